package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code struct sockaddr_ll} (packet(7)): 20 bytes. The protocol is an EtherType in network order. */
public final class SockaddrLl {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_SHORT.withName("sll_family"),
        Layouts.NET_SHORT.withName("sll_protocol"),
        JAVA_INT.withName("sll_ifindex"),
        JAVA_SHORT.withName("sll_hatype"),
        JAVA_BYTE.withName("sll_pkttype"),
        JAVA_BYTE.withName("sll_halen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("sll_addr")).withName("sockaddr_ll");
    public static final long SIZE = LAYOUT.byteSize();

    public static final short AF_PACKET = 17;
    /** {@code ETH_P_ALL}: every protocol, including frames the host sends (if not ignored). */
    public static final int ETH_P_ALL = 0x0003;
    /** {@code sll_pkttype} of a frame this host transmits on the interface. */
    public static final int PACKET_OUTGOING = 4;

    private static final VarHandle FAMILY = Layouts.field(LAYOUT, "sll_family");
    private static final VarHandle PROTOCOL = Layouts.field(LAYOUT, "sll_protocol");
    private static final VarHandle IFINDEX = Layouts.field(LAYOUT, "sll_ifindex");
    private static final VarHandle PKTTYPE = Layouts.field(LAYOUT, "sll_pkttype");

    private SockaddrLl() {
    }

    /** Fills an address that binds to {@code ifindex} for EtherType {@code protocol}. */
    public static void forBind(MemorySegment s, long at, int ifindex, int protocol) {
        s.asSlice(at, SIZE).fill((byte) 0);
        FAMILY.set(s, at, AF_PACKET);
        PROTOCOL.set(s, at, (short) protocol);
        IFINDEX.set(s, at, ifindex);
    }

    public static int packetType(MemorySegment s, long at) {
        return (byte) PKTTYPE.get(s, at) & 0xFF;
    }
}
