package io.vxswitch.linux.udp;

import io.vxswitch.linux.ErrorHints;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.SockaddrIn;
import io.vxswitch.linux.ffi.SockaddrIn6;
import io.vxswitch.linux.ffi.Sockets;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Opening a {@link UdpSocket}: the socket, its options before bind, bind, and the port the kernel gave it. */
final class UdpSocketSetup {
    private UdpSocketSetup() {
    }

    /** See {@link UdpSocket#bind(IpAddress, int, boolean)}; returns the descriptor, its port in boundPort[0]. */
    static int bind(IpAddress local, int port, boolean shared, int[] boundPort) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("UDP port " + port + " is out of range 0-65535");
        }
        String action = "cannot open UDP socket on " + UdpSocket.endpoint(local, port);
        boolean ipv4 = local.isIpv4();
        int fd = Libc.socket(ipv4 ? Sockets.AF_INET : Sockets.AF_INET6,
            Sockets.SOCK_DGRAM | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, Sockets.IPPROTO_UDP);
        if (fd < 0) {
            throw new LinuxException(action, ipv4 ? "socket(AF_INET, SOCK_DGRAM)" : "socket(AF_INET6, SOCK_DGRAM)",
                -fd, ErrorHints.udpBind(local.toString(), port, -fd));
        }
        try (Arena setup = Arena.ofConfined()) {
            if (!ipv4) {
                int r = Libc.setsockopt(fd, Sockets.IPPROTO_IPV6, Sockets.IPV6_V6ONLY,
                    setup.allocateFrom(ValueLayout.JAVA_INT, 1), 4);
                LinuxException.check(r, action, "setsockopt(IPV6_V6ONLY)");
            }
            if (shared) {
                int r = Libc.setsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_REUSEPORT,
                    setup.allocateFrom(ValueLayout.JAVA_INT, 1), 4);
                LinuxException.check(r, action, "setsockopt(SO_REUSEPORT)");
            }
            MemorySegment address = setup.allocate(SockaddrIn6.LAYOUT);
            int length = UdpSocket.writeAddress(address, local.high(), local.low(), port);
            int r = Libc.bind(fd, address, length);
            if (r < 0) {
                throw new LinuxException(action, "bind", -r, ErrorHints.udpBind(local.toString(), port, -r));
            }
            MemorySegment lengthOut = setup.allocateFrom(ValueLayout.JAVA_INT, SockaddrIn6.SIZE);
            LinuxException.check(Libc.getsockname(fd, address, lengthOut), action, "getsockname");
            boundPort[0] = ipv4 ? SockaddrIn.port(address, 0) : SockaddrIn6.port(address, 0);
            return fd;
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }
}
