package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** {@code struct packet_mreq} (PACKET_ADD_MEMBERSHIP): 16 bytes. */
public final class PacketMreq {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_INT.withName("mr_ifindex"),
        JAVA_SHORT.withName("mr_type"),
        JAVA_SHORT.withName("mr_alen"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("mr_address")).withName("packet_mreq");
    public static final int SIZE = (int) LAYOUT.byteSize();

    public static final int PACKET_ADD_MEMBERSHIP = 1;
    public static final short PACKET_MR_PROMISC = 1;
    /** Receive frames sent to the multicast MAC in {@code mr_address} (packet(7)). */
    public static final short PACKET_MR_MULTICAST = 0;

    private static final VarHandle IFINDEX = Layouts.field(LAYOUT, "mr_ifindex");
    private static final VarHandle TYPE = Layouts.field(LAYOUT, "mr_type");
    private static final VarHandle ALEN = Layouts.field(LAYOUT, "mr_alen");

    private PacketMreq() {
    }

    public static void write(MemorySegment s, int ifindex, short type) {
        s.asSlice(0, SIZE).fill((byte) 0);
        IFINDEX.set(s, 0L, ifindex);
        TYPE.set(s, 0L, type);
    }

    /** A membership of multicast group {@code mac} (48 bits) on {@code ifindex}. */
    public static void writeMulticast(MemorySegment s, int ifindex, long mac) {
        write(s, ifindex, PACKET_MR_MULTICAST);
        ALEN.set(s, 0L, (short) 6);
        for (int i = 0; i < 6; i++) {
            s.set(JAVA_BYTE, 8 + i, (byte) (mac >>> (40 - 8 * i)));
        }
    }
}
