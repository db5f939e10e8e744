package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/** Ethernet II header view: destination, source, EtherType (or the TPID of a first VLAN tag). */
public final class Ethernet {
    public static final int DST_OFFSET = 0;
    public static final int SRC_OFFSET = 6;
    public static final int TYPE_OFFSET = 12;
    public static final int HEADER_LENGTH = 14;
    /** Minimum frame without FCS on the wire; software ports may carry shorter, unpadded frames. */
    public static final int MIN_FRAME_LENGTH = 60;

    private Ethernet() {
    }

    public static long dst(MemorySegment s, long frame) {
        return Wire.u48(s, frame + DST_OFFSET);
    }

    public static long src(MemorySegment s, long frame) {
        return Wire.u48(s, frame + SRC_OFFSET);
    }

    public static int etherType(MemorySegment s, long frame) {
        return Wire.u16(s, frame + TYPE_OFFSET);
    }

    public static void dst(MemorySegment s, long frame, long mac) {
        Wire.putU48(s, frame + DST_OFFSET, mac);
    }

    public static void src(MemorySegment s, long frame, long mac) {
        Wire.putU48(s, frame + SRC_OFFSET, mac);
    }

    public static void etherType(MemorySegment s, long frame, int type) {
        Wire.putU16(s, frame + TYPE_OFFSET, type);
    }
}
