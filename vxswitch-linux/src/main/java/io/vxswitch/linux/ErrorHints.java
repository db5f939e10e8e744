package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;

/**
 * Advice for the errors a user can fix: the kernel's errno turned into a sentence about this operation.
 * Each method returns {@code null} when it has nothing better to say than libc's text.
 */
public final class ErrorHints {
    static final String RUN_AS_ROOT = ": run as root";

    private ErrorHints() {
    }

    /** Advice that holds for any call: missing privileges, exhausted descriptors. */
    public static String generic(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "need CAP_NET_ADMIN" + RUN_AS_ROOT;
            case Errno.EMFILE, Errno.ENFILE -> "too many open files: raise the limit (ulimit -n)";
            default -> null;
        };
    }

    /** Opening {@code /dev/net/tun}. */
    public static String openTun(int errno) {
        return switch (errno) {
            case Errno.ENOENT, Errno.ENODEV, Errno.ENXIO ->
                "/dev/net/tun is missing: load the tun driver or run in a container with --device /dev/net/tun";
            default -> generic(errno);
        };
    }

    /** {@code TUNSETIFF} for tap {@code name}. */
    public static String tunSetIff(String name, int errno) {
        return switch (errno) {
            case Errno.EBUSY -> "tap name '" + name + "' is in use by another process (waited 1 s for it to let go;"
                + " see ip -d link show " + name + ")";
            case Errno.EINVAL -> "an interface '" + name
                + "' exists and is not a tap device with the same flags (see ip -d link show " + name + ")";
            default -> generic(errno);
        };
    }

    /** A call that names an interface: {@code if_nametoindex} or a SIOC[GS]IF* ioctl. */
    public static String interfaceCall(String name, int errno) {
        return switch (errno) {
            case Errno.ENODEV, Errno.ENXIO -> "no interface '" + name + "' (see ip link)";
            default -> generic(errno);
        };
    }

    /** {@code socket(AF_PACKET, SOCK_RAW, ...)}: needs CAP_NET_RAW rather than CAP_NET_ADMIN. */
    public static String packetSocket(int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "need CAP_NET_RAW" + RUN_AS_ROOT;
            case Errno.EAFNOSUPPORT -> "this kernel has no AF_PACKET support (CONFIG_PACKET)";
            default -> generic(errno);
        };
    }

    /** Binding a UDP socket to {@code address} (text as the user wrote it) and {@code port}. */
    public static String udpBind(String address, int port, int errno) {
        return switch (errno) {
            case Errno.EADDRNOTAVAIL -> address + " is not an address of this host (see ip addr)";
            case Errno.EADDRINUSE -> "UDP port " + port + " on " + address
                + " is already in use (another VTEP or the kernel's vxlan device?)";
            case Errno.EACCES, Errno.EPERM -> port < 1024
                ? "UDP port " + port + " is below 1024: need CAP_NET_BIND_SERVICE" + RUN_AS_ROOT
                : generic(errno);
            case Errno.EAFNOSUPPORT -> "IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6)";
            default -> generic(errno);
        };
    }

    /** Sending to systemd's {@code $NOTIFY_SOCKET}. */
    public static String notifySocket(int errno) {
        return switch (errno) {
            case Errno.ENOENT -> "no socket there (a NOTIFY_SOCKET inherited from another service's environment?)";
            case Errno.ECONNREFUSED -> "nothing listens on it any more";
            case Errno.EACCES, Errno.EPERM -> "no permission to write to it";
            default -> generic(errno);
        };
    }
}
