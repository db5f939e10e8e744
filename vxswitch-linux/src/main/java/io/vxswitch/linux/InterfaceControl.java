package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.IfReq;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Link settings through the classic netdevice(7) ioctls on an AF_INET datagram socket: index, flags (up),
 * MTU and MAC address. They act on the network namespace of the calling thread, so configure a device
 * before it is moved to another namespace. Setup-time calls: each opens and closes its own socket.
 */
public final class InterfaceControl {
    static final long SIOCGIFFLAGS = 0x8913;
    static final long SIOCSIFFLAGS = 0x8914;
    static final long SIOCGIFMTU = 0x8921;
    static final long SIOCSIFMTU = 0x8922;
    static final long SIOCSIFHWADDR = 0x8924;
    static final long SIOCGIFHWADDR = 0x8927;
    static final short IFF_UP = 0x1;
    static final short IFF_RUNNING = 0x40;
    /** IF_NAMESIZE: interface names are at most 15 bytes and a NUL. */
    static final int NAME_SIZE = 16;
    /** ETH_MIN_MTU; the upper bound is the device's own (tap allows 65535). */
    public static final int MIN_MTU = 68;

    private InterfaceControl() {
    }

    /** The interface index of {@code name}. */
    public static int index(String name) {
        InterfaceName.validate("interface name", name);
        try (Arena arena = Arena.ofConfined()) {
            int index = Libc.ifNameToIndex(arena.allocateFrom(name));
            if (index < 0) {
                throw new LinuxException("cannot use interface '" + name + "'", "if_nametoindex", -index,
                    ErrorHints.interfaceCall(name, -index));
            }
            return index;
        }
    }

    /** True if an interface {@code name} exists in this thread's network namespace. */
    public static boolean exists(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return Libc.ifNameToIndex(arena.allocateFrom(InterfaceName.validate("interface name", name))) > 0;
        }
    }

    /**
     * The state of interface {@code index} in this thread's namespace: {@link LinkState#GONE} once it has been
     * deleted or moved away (the index names nothing here any more), else up or down from its flags. Two
     * syscalls and a socket: for housekeeping, not the data path.
     */
    public static LinkState linkState(int index) {
        String name;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(NAME_SIZE);
            int r = Libc.ifIndexToName(index, buf);
            if (r == -Errno.ENXIO || r == -Errno.ENODEV) {
                return LinkState.GONE;
            }
            if (r < 0) {
                throw new LinuxException("cannot look up interface index " + index, "if_indextoname", -r, null);
            }
            name = buf.getString(0);
        }
        short flags = (short) withIfReq(name, "cannot read the flags of '" + name + "'", (fd, ifr, action) -> {
            int r = Libc.ioctl(fd, SIOCGIFFLAGS, ifr);
            if (r == -Errno.ENODEV) {
                return 0; // deleted between the two calls: down now, gone at the next look
            }
            call(r, action, "ioctl(SIOCGIFFLAGS)", name);
            return IfReq.flags(ifr);
        });
        return (flags & (IFF_UP | IFF_RUNNING)) == (IFF_UP | IFF_RUNNING) ? LinkState.UP : LinkState.DOWN;
    }

    /** Sets IFF_UP, like {@code ip link set NAME up}. */
    public static void setUp(String name) {
        withIfReq(name, "cannot set interface '" + name + "' up", (fd, ifr, action) -> {
            call(Libc.ioctl(fd, SIOCGIFFLAGS, ifr), action, "ioctl(SIOCGIFFLAGS)", name);
            IfReq.flags(ifr, (short) (IfReq.flags(ifr) | IFF_UP));
            call(Libc.ioctl(fd, SIOCSIFFLAGS, ifr), action, "ioctl(SIOCSIFFLAGS)", name);
            return 0;
        });
    }

    public static int mtu(String name) {
        return (int) withIfReq(name, "cannot read the MTU of '" + name + "'", (fd, ifr, action) -> {
            call(Libc.ioctl(fd, SIOCGIFMTU, ifr), action, "ioctl(SIOCGIFMTU)", name);
            return IfReq.intValue(ifr);
        });
    }

    /** Like {@code ip link set NAME mtu MTU}. */
    public static void setMtu(String name, int mtu) {
        if (mtu < MIN_MTU || mtu > 65535) {
            throw new IllegalArgumentException("MTU " + mtu + " for '" + name + "' is out of range "
                + MIN_MTU + "-65535");
        }
        withIfReq(name, "cannot set the MTU of '" + name + "' to " + mtu, (fd, ifr, action) -> {
            IfReq.intValue(ifr, mtu);
            call(Libc.ioctl(fd, SIOCSIFMTU, ifr), action, "ioctl(SIOCSIFMTU)", name);
            return 0;
        });
    }

    public static long macAddress(String name) {
        return withIfReq(name, "cannot read the MAC address of '" + name + "'", (fd, ifr, action) -> {
            call(Libc.ioctl(fd, SIOCGIFHWADDR, ifr), action, "ioctl(SIOCGIFHWADDR)", name);
            return IfReq.hardwareAddress(ifr);
        });
    }

    /** Like {@code ip link set NAME address MAC}; a group (multicast) address is refused. */
    public static void setMacAddress(String name, long mac) {
        if (!MacAddress.isUnicast(mac) || mac == 0) {
            throw new IllegalArgumentException("MAC address " + MacAddress.format(mac) + " for '" + name
                + "' must be a non-zero unicast address (low bit of the first octet clear)");
        }
        withIfReq(name, "cannot set the MAC address of '" + name + "' to " + MacAddress.format(mac),
            (fd, ifr, action) -> {
                IfReq.hardwareAddress(ifr, mac);
                call(Libc.ioctl(fd, SIOCSIFHWADDR, ifr), action, "ioctl(SIOCSIFHWADDR)", name);
                return 0;
            });
    }

    private interface IfReqCall {
        long run(int fd, MemorySegment ifr, String action);
    }

    private static long withIfReq(String name, String action, IfReqCall call) {
        InterfaceName.validate("interface name", name);
        int fd = Libc.socket(Sockets.AF_INET, Sockets.SOCK_DGRAM | Sockets.SOCK_CLOEXEC, 0);
        LinuxException.check(fd, action, "socket(AF_INET, SOCK_DGRAM)");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ifr = arena.allocate(IfReq.LAYOUT);
            IfReq.reset(ifr, name);
            return call.run(fd, ifr, action);
        } finally {
            Libc.close(fd);
        }
    }

    private static void call(int result, String action, String syscall, String name) {
        if (result < 0) {
            throw new LinuxException(action, syscall, -result, ErrorHints.interfaceCall(name, -result));
        }
    }
}
