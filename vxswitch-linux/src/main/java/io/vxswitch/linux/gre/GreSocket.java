package io.vxswitch.linux.gre;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MessageVector;
import io.vxswitch.linux.ffi.MmsgHdr;
import io.vxswitch.linux.ffi.SockaddrIn;
import io.vxswitch.linux.ffi.SockaddrIn6;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.udp.IpAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A raw IP socket of protocol GRE (47) connected to one remote address, for sending ERSPAN: the caller writes the GRE
 * header and what follows, the kernel adds the IPv4 or IPv6 header (source address, DSCP, TTL, DF as set here) and
 * routes it. Opening it is where a destination that cannot be reached shows: no privilege (EPERM without
 * CAP_NET_RAW), a local address the host does not have, no route to the remote (connect fails with ENETUNREACH) are
 * errors then, with a sentence saying what to do; later, a send the kernel refuses is a result the caller counts.
 *
 * <p>Connected, so that a send names no address, the kernel keeps the route (and tells the path MTU,
 * {@link #pathMtu}), and hard ICMP errors from the path (the collector's host saying it does not speak GRE) come back
 * as the error of a later send instead of going nowhere. It never reads: a classic BPF program that accepts nothing
 * keeps GRE from the remote from piling up in its receive queue. Never fragments locally (DF set, as Linux's own
 * ERSPAN device does): the sender cuts copies to the path MTU and sets ERSPAN's T bit instead.
 *
 * <p>Non-blocking, batched with {@code sendmmsg} through a {@link MessageVector} whose messages have no address. One
 * thread sends; {@link #pathMtu} may be asked from any.
 */
public final class GreSocket implements AutoCloseable {
    private final IpAddress remote;
    private final IpAddress local;
    private final IoCounters counters = new IoCounters();
    private final Arena arena = Arena.ofShared();
    private final DataPathCalls calls = new DataPathCalls(arena);
    private int fd;

    private GreSocket(int fd, IpAddress remote, IpAddress local) {
        this.fd = fd;
        this.remote = remote;
        this.local = local;
    }

    /**
     * Opens a GRE socket to {@code remote}.
     *
     * @param local the source address (an address of this host), or null for the one the route gives
     * @param dscp  0-63, for the outer header's DSCP
     * @param ttl   1-255, or 0 for the system's default
     * @throws LinuxException no privilege, a local address that is not this host's, no route to {@code remote}
     */
    public static GreSocket open(IpAddress remote, IpAddress local, int dscp, int ttl) {
        boolean ipv4 = remote.isIpv4();
        if (local != null && local.isIpv4() != ipv4) {
            throw new IllegalArgumentException("GRE local " + local + " and remote " + remote + " are of different IP"
                + " versions");
        }
        String action = "cannot open the ERSPAN (GRE) socket to " + remote;
        int fd = Libc.socket(ipv4 ? Sockets.AF_INET : Sockets.AF_INET6,
            Sockets.SOCK_RAW | Sockets.SOCK_NONBLOCK | Sockets.SOCK_CLOEXEC, Sockets.IPPROTO_GRE);
        if (fd < 0) {
            throw new LinuxException(action, ipv4 ? "socket(AF_INET, SOCK_RAW, IPPROTO_GRE)"
                : "socket(AF_INET6, SOCK_RAW, IPPROTO_GRE)", -fd, hint(remote, local, -fd));
        }
        try (Arena setup = Arena.ofConfined()) {
            MemorySegment program = setup.allocate(8, 8); // struct sock_filter {code, jt, jf, k}: BPF_RET|BPF_K 0
            program.set(ValueLayout.JAVA_SHORT, 0, (short) 0x06);
            MemorySegment fprog = setup.allocate(16, 8); // struct sock_fprog {unsigned short len; filter *}
            fprog.set(ValueLayout.JAVA_SHORT, 0, (short) 1);
            fprog.set(ValueLayout.ADDRESS, 8, program);
            check(Libc.setsockopt(fd, Sockets.SOL_SOCKET, Sockets.SO_ATTACH_FILTER, fprog, 16), action,
                "setsockopt(SO_ATTACH_FILTER)", remote, local);
            int level = ipv4 ? Sockets.IPPROTO_IP : Sockets.IPPROTO_IPV6;
            check(setInt(setup, fd, level, ipv4 ? Sockets.IP_MTU_DISCOVER : Sockets.IPV6_MTU_DISCOVER,
                Sockets.IP_PMTUDISC_DO), action, ipv4 ? "setsockopt(IP_MTU_DISCOVER)" : "setsockopt(IPV6_MTU_DISCOVER)",
                remote, local);
            if (dscp != 0) {
                check(setInt(setup, fd, level, ipv4 ? Sockets.IP_TOS : Sockets.IPV6_TCLASS, dscp << 2), action,
                    ipv4 ? "setsockopt(IP_TOS)" : "setsockopt(IPV6_TCLASS)", remote, local);
            }
            if (ttl != 0) {
                check(setInt(setup, fd, level, ipv4 ? Sockets.IP_TTL : Sockets.IPV6_UNICAST_HOPS, ttl), action,
                    ipv4 ? "setsockopt(IP_TTL)" : "setsockopt(IPV6_UNICAST_HOPS)", remote, local);
            }
            MemorySegment address = setup.allocate(SockaddrIn6.LAYOUT);
            if (local != null) {
                check(Libc.bind(fd, address, write(address, local)), action, "bind to " + local, remote, local);
            }
            check(Libc.connect(fd, address, write(address, remote)), action, "connect", remote, local);
            MemorySegment length = setup.allocateFrom(ValueLayout.JAVA_INT, SockaddrIn6.SIZE);
            check(Libc.getsockname(fd, address, length), action, "getsockname", remote, local);
            IpAddress source = ipv4 ? IpAddress.ipv4(SockaddrIn.address(address, 0))
                : new IpAddress(SockaddrIn6.addressHigh(address, 0), SockaddrIn6.addressLow(address, 0));
            return new GreSocket(fd, remote, source);
        } catch (RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private static int setInt(Arena setup, int fd, int level, int name, int value) {
        return Libc.setsockopt(fd, level, name, setup.allocateFrom(ValueLayout.JAVA_INT, value), 4);
    }

    private static int write(MemorySegment s, IpAddress a) {
        if (a.isIpv4()) {
            SockaddrIn.write(s, 0, (int) a.low(), 0);
            return SockaddrIn.SIZE;
        }
        SockaddrIn6.write(s, 0, a.high(), a.low(), 0);
        return SockaddrIn6.SIZE;
    }

    private static void check(int r, String action, String syscall, IpAddress remote, IpAddress local) {
        if (r < 0) {
            throw new LinuxException(action, syscall, -r, hint(remote, local, -r));
        }
    }

    /** What the user can do about {@code errno} while opening the socket. */
    static String hint(IpAddress remote, IpAddress local, int errno) {
        return switch (errno) {
            case Errno.EPERM, Errno.EACCES -> "a raw GRE socket needs CAP_NET_RAW: run vxswitch as root or grant it";
            case Errno.ENETUNREACH, Errno.EHOSTUNREACH -> "no route to the collector " + remote
                + " (see ip route get " + remote + "): add one, or check the address";
            case Errno.EADDRNOTAVAIL -> (local == null ? "the source address" : local.toString())
                + " is not an address of this host (see ip addr): give one it has, or leave local out";
            case Errno.EAFNOSUPPORT -> "IPv6 is disabled on this host (net.ipv6.conf.all.disable_ipv6)";
            case Errno.EPROTONOSUPPORT -> "this kernel does not take raw GRE sockets";
            default -> null;
        };
    }

    public IpAddress remote() {
        return remote;
    }

    /** The source address of the packets: the one given, or the one the route chose. */
    public IpAddress localAddress() {
        return local;
    }

    public boolean isIpv6() {
        return !remote.isIpv4();
    }

    public int fd() {
        return fd;
    }

    public IoCounters counters() {
        return counters;
    }

    /**
     * The kernel's path MTU to the remote now (the route's MTU, lowered by ICMP "packet too big"), or -errno. Not for
     * the data path: it allocates.
     */
    public int pathMtu() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment value = a.allocateFrom(ValueLayout.JAVA_INT, 0);
            MemorySegment length = a.allocateFrom(ValueLayout.JAVA_INT, 4);
            int r = isIpv6() ? Libc.getsockopt(openFd(), Sockets.IPPROTO_IPV6, Sockets.IPV6_MTU, value, length)
                : Libc.getsockopt(openFd(), Sockets.IPPROTO_IP, Sockets.IP_MTU, value, length);
            return r < 0 ? r : value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** Bytes of IP header the kernel puts before each GRE header: 20 for IPv4, 40 for IPv6. */
    public int ipHeaderLength() {
        return isIpv6() ? 40 : 20;
    }

    /**
     * Sends messages {@code 0 .. count-1} of {@code v} (prepared with {@link MessageVector#prepareSend} and no
     * address) with {@code sendmmsg}. {@code results[k]} becomes the bytes message {@code k} sent, 0 if the
     * socket's queue was full (the rest are left unsent then), or {@code -errno} if the kernel refused it; the others
     * still go. Allocation-free.
     *
     * @return messages sent
     */
    public int send(MessageVector v, int count, int[] results) {
        for (int k = 0; k < count; k++) {
            results[k] = 0;
        }
        MemorySegment messages = v.messages();
        int f = openFd();
        int sent = 0;
        int next = 0;
        while (next < count) {
            MemorySegment from = next == 0 ? messages : messages.asSlice(MmsgHdr.SIZE * next);
            int r = calls.sendmmsg(f, from, count - next, 0);
            if (r > 0) {
                for (int k = next; k < next + r; k++) {
                    int length = MmsgHdr.length(messages, MmsgHdr.SIZE * k);
                    results[k] = length;
                    counters.add(IoCounter.TX_BYTES, length);
                }
                counters.add(IoCounter.TX_FRAMES, r);
                sent += r;
                next += r;
            } else if (r == -Errno.EAGAIN || r == -Errno.ENOBUFS) {
                counters.add(IoCounter.TX_WOULD_BLOCK, count - next);
                break;
            } else {
                results[next] = r; // sendmmsg reports the first message it could not send: that one is lost
                counters.increment(IoCounter.TX_ERRORS);
                next++;
            }
        }
        return sent;
    }

    private int openFd() {
        int f = fd;
        if (f < 0) {
            throw new IllegalStateException("GRE socket to " + remote + " is closed");
        }
        return f;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            Libc.close(fd);
            fd = -1;
        }
        arena.close();
    }

    @Override
    public String toString() {
        return "GRE " + local + " -> " + remote;
    }
}
