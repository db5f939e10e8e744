package io.vxswitch.linux.ffi;

/** Socket constants of Linux (x86_64 and the asm-generic architectures agree on these). */
public final class Sockets {
    public static final int AF_INET = SockaddrIn.AF_INET;
    public static final int AF_INET6 = SockaddrIn6.AF_INET6;
    public static final int AF_PACKET = SockaddrLl.AF_PACKET;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_RAW = 3;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;

    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEPORT = 15;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    /** Reads and clears the socket's pending error (sk_err), as a failed receive would. */
    public static final int SO_ERROR = 4;
    /** IPv4 UDP only: send with a zero checksum (RFC 7348 §5 allows it for VXLAN over IPv4). */
    public static final int SO_NO_CHECK = 11;

    /** Attaches a classic BPF program (struct sock_fprog) that filters what the socket receives. */
    public static final int SO_ATTACH_FILTER = 26;

    public static final int IPPROTO_IP = 0;
    /** GRE, the IP protocol of ERSPAN. */
    public static final int IPPROTO_GRE = 47;
    public static final int IP_TOS = 1;
    public static final int IP_TTL = 2;
    /** The path MTU of a connected socket (getsockopt). */
    public static final int IP_MTU = 14;
    public static final int IPV6_UNICAST_HOPS = 16;
    /** The path MTU of a connected IPv6 socket (getsockopt). */
    public static final int IPV6_MTU = 24;
    public static final int IPV6_TCLASS = 67;
    public static final int IPPROTO_UDP = 17;
    /** {@code SOL_UDP} (= IPPROTO_UDP), the level of the UDP socket options. */
    public static final int SOL_UDP = 17;
    /** {@code UDP_SEGMENT} (Linux 4.18): send one buffer as datagrams of this many bytes each (UDP GSO). */
    public static final int UDP_SEGMENT = 103;
    /** {@code UDP_GRO} (Linux 5.0): receive coalesced datagrams whole, with their segment size as a control message. */
    public static final int UDP_GRO = 104;
    public static final int IPPROTO_IPV6 = 41;
    public static final int IP_MTU_DISCOVER = 10;
    public static final int IPV6_MTU_DISCOVER = 23;
    public static final int IPV6_V6ONLY = 26;
    /** Never fragment locally; set DF. Sends larger than the path MTU fail with EMSGSIZE. */
    public static final int IP_PMTUDISC_DO = 2;
    /** Leave the decision to the route (DF from path MTU discovery), the Linux default. */
    public static final int IP_PMTUDISC_WANT = 1;

    public static final int PACKET_IGNORE_OUTGOING = 23;

    public static final int MSG_TRUNC = MsgHdr.MSG_TRUNC;

    public static final int O_RDWR = 0x2;
    public static final int O_NONBLOCK = 0x800;
    public static final int O_CLOEXEC = 0x80000;

    private Sockets() {
    }
}
