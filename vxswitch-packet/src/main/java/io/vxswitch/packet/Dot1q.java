package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * IEEE 802.1Q tag view. The tag sits where the EtherType would be: a 16-bit TPID then a 16-bit TCI
 * (PCP:3, DEI:1, VID:12), followed by the encapsulated EtherType.
 */
public final class Dot1q {
    public static final int TPID_OFFSET = 0;
    public static final int TCI_OFFSET = 2;
    public static final int LENGTH = 4;
    public static final int VID_MASK = 0x0FFF;
    /** VID 0 means "priority tag only": the frame belongs to the port's native VLAN. */
    public static final int PRIORITY_ONLY_VID = 0;
    /** VID 4095 is reserved (IEEE 802.1Q-2018 Table 9-2). */
    public static final int RESERVED_VID = 4095;
    public static final int MAX_VID = 4094;

    private Dot1q() {
    }

    public static int tci(MemorySegment s, long tag) {
        return Wire.u16(s, tag + TCI_OFFSET);
    }

    public static int vid(int tci) {
        return tci & VID_MASK;
    }

    public static int pcp(int tci) {
        return tci >>> 13;
    }

    public static boolean dei(int tci) {
        return (tci & 0x1000) != 0;
    }

    public static int tci(int pcp, boolean dei, int vid) {
        return (pcp << 13) | (dei ? 0x1000 : 0) | (vid & VID_MASK);
    }

    public static void write(MemorySegment s, long tag, int tpid, int tci) {
        Wire.putU16(s, tag + TPID_OFFSET, tpid);
        Wire.putU16(s, tag + TCI_OFFSET, tci);
    }
}
