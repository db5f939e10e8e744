package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * The GRE and ERSPAN headers of an ERSPAN packet (Cisco's Encapsulated Remote SPAN, draft-foschiano-erspan-03), the
 * bytes between the outer IP header and the mirrored Ethernet frame. Type II and type III both use a GRE header with
 * only the S bit set, so a sequence number follows (draft §4.1, §4.2):
 * <pre>
 *  GRE (8 octets)
 *  |0|0|0|1|0|00000|000000000|00000|  Protocol: 0x88BE type II, 0x22EB type III |
 *  |              Sequence Number (increments per packet per session)            |
 *
 *  ERSPAN type II (8 octets): header version 1
 *  |  Ver  |          VLAN         | COS | En|T|    Session ID     |
 *  |      Reserved         |                  Index                |
 *
 *  ERSPAN type III (12 octets, no optional sub-header): header version 2
 *  |  Ver  |          VLAN         | COS |BSO|T|    Session ID     |
 *  |                          Timestamp                            |
 *  |              SGT              |P|    FT   |   Hw ID   |D|Gra|O|
 * </pre>
 * <ul>
 * <li>VLAN, COS: the mirrored frame's VLAN and priority (802.1p).</li>
 * <li>En (type II): how the frame's VLAN was carried; {@link #EN_UNTAGGED} (0) or {@link #EN_TAG_IN_FRAME} (3, the
 *     802.1Q tag is kept in the mirrored frame), as Linux's ERSPAN device writes it.</li>
 * <li>BSO (type III): bad/short/oversized frame, RFC 1757's classes: {@link #BSO_GOOD}, {@link #BSO_SHORT},
 *     {@link #BSO_OVERSIZED}.</li>
 * <li>T: the mirrored frame was cut short (to a session's truncation, or to fit the underlay's MTU).</li>
 * <li>Index (type II): 20 bits naming the source port and direction as the sender likes.</li>
 * <li>Timestamp (type III): with Gra 00, units of 100 microseconds; 32 bits wrap after about 5 days.</li>
 * <li>P, FT (type III): P=1 and frame type 0 say the payload is an Ethernet frame (what Linux writes).</li>
 * <li>Hw ID (type III): the ERSPAN engine within the sending system; D: 0 ingress, 1 egress copy.</li>
 * </ul>
 * Wireshark's {@code erspan} dissector reads these fields by the names {@code erspan.version}, {@code erspan.vlan},
 * {@code erspan.cos}, {@code erspan.encap}, {@code erspan.bso}, {@code erspan.truncated}, {@code erspan.spanid},
 * {@code erspan.index}, {@code erspan.timestamp}, {@code erspan.hw}, {@code erspan.direction}, {@code erspan.gra}.
 * Open vSwitch and Linux call type II "erspan_ver 1" and type III "erspan_ver 2", after the header's version field.
 */
public final class Erspan {
    /** IP protocol number of GRE. */
    public static final int IP_PROTOCOL_GRE = 47;
    /** GRE protocol type of ERSPAN types I and II. */
    public static final int GRE_PROTOCOL_TYPE_II = 0x88BE;
    /** GRE protocol type of ERSPAN type III. */
    public static final int GRE_PROTOCOL_TYPE_III = 0x22EB;
    /** GRE's S bit: a sequence number follows the protocol type. */
    public static final int GRE_FLAG_SEQUENCE = 0x1000;
    /** GRE header with a sequence number. */
    public static final int GRE_LENGTH = 8;
    public static final int TYPE_II_LENGTH = 8;
    public static final int TYPE_III_LENGTH = 12;
    /** Everything between the outer IP header and the mirrored frame, type II: 16 octets. */
    public static final int TYPE_II_OVERHEAD = GRE_LENGTH + TYPE_II_LENGTH;
    /** The same for type III without the optional platform sub-header: 20 octets. */
    public static final int TYPE_III_OVERHEAD = GRE_LENGTH + TYPE_III_LENGTH;
    /** The ERSPAN header's version field of type II. */
    public static final int VERSION_TYPE_II = 1;
    /** The ERSPAN header's version field of type III. */
    public static final int VERSION_TYPE_III = 2;
    /** En: the mirrored frame had no VLAN tag. */
    public static final int EN_UNTAGGED = 0;
    /** En: the mirrored frame's 802.1Q tag is kept in the frame. */
    public static final int EN_TAG_IN_FRAME = 3;
    public static final int BSO_GOOD = 0;
    /** BSO: shorter than a minimum Ethernet frame (60 octets without FCS). */
    public static final int BSO_SHORT = 1;
    /** BSO: longer than a maximum untagged Ethernet frame (1514 octets without FCS). */
    public static final int BSO_OVERSIZED = 2;
    public static final int MAX_SESSION_ID = 0x3FF;
    public static final int MAX_INDEX = 0xF_FFFF;
    public static final int MAX_HARDWARE_ID = 0x3F;
    /** Type III timestamp granularity 00: 100 microseconds. */
    public static final int GRANULARITY_100_MICROS = 0;
    /** Nanoseconds per type III timestamp unit at {@link #GRANULARITY_100_MICROS}. */
    public static final long TIMESTAMP_UNIT_NANOS = 100_000L;

    private static final int ERSPAN = GRE_LENGTH;

    private Erspan() {
    }

    /** GRE + ERSPAN header length of a type (2 or 3). */
    public static int overhead(int type) {
        return switch (type) {
            case 2 -> TYPE_II_OVERHEAD;
            case 3 -> TYPE_III_OVERHEAD;
            default -> throw new IllegalArgumentException("ERSPAN type " + type + ": vxswitch sends type 2 or 3");
        };
    }

    /**
     * Writes GRE and ERSPAN type II headers at {@code at} (where the GRE header starts; the frame follows 16 octets
     * on). The fields are masked to their widths.
     */
    public static void writeTypeII(MemorySegment s, long at, int sequence, int vlan, int cos, int en,
                                   boolean truncated, int sessionId, int index) {
        Wire.putU16(s, at, GRE_FLAG_SEQUENCE);
        Wire.putU16(s, at + 2, GRE_PROTOCOL_TYPE_II);
        Wire.putU32(s, at + 4, sequence & 0xFFFF_FFFFL);
        writeBase(s, at + ERSPAN, VERSION_TYPE_II, vlan, cos, en, truncated, sessionId);
        Wire.putU32(s, at + ERSPAN + 4, index & MAX_INDEX);
    }

    /**
     * Writes GRE and ERSPAN type III headers at {@code at} (the frame follows 20 octets on): no security group tag,
     * an Ethernet payload (P=1, FT=0), 100-microsecond timestamp granularity, no platform sub-header.
     *
     * @param egress the D bit: an egress copy
     */
    public static void writeTypeIII(MemorySegment s, long at, int sequence, int vlan, int cos, int bso,
                                    boolean truncated, int sessionId, int timestamp, int hardwareId, boolean egress) {
        Wire.putU16(s, at, GRE_FLAG_SEQUENCE);
        Wire.putU16(s, at + 2, GRE_PROTOCOL_TYPE_III);
        Wire.putU32(s, at + 4, sequence & 0xFFFF_FFFFL);
        writeBase(s, at + ERSPAN, VERSION_TYPE_III, vlan, cos, bso, truncated, sessionId);
        Wire.putU32(s, at + ERSPAN + 4, timestamp & 0xFFFF_FFFFL);
        Wire.putU16(s, at + ERSPAN + 8, 0); // SGT
        Wire.putU16(s, at + ERSPAN + 10, 0x8000 | (hardwareId & MAX_HARDWARE_ID) << 4 | (egress ? 0x8 : 0)
            | GRANULARITY_100_MICROS << 1);
    }

    private static void writeBase(MemorySegment s, long at, int version, int vlan, int cos, int enOrBso,
                                  boolean truncated, int sessionId) {
        Wire.putU16(s, at, version << 12 | vlan & 0xFFF);
        Wire.putU16(s, at + 2, (cos & 7) << 13 | (enOrBso & 3) << 11 | (truncated ? 0x400 : 0)
            | sessionId & MAX_SESSION_ID);
    }

    /** RFC 1757's class of a frame of {@code length} octets without FCS, for type III's BSO field. */
    public static int bso(int length) {
        return length < Ethernet.MIN_FRAME_LENGTH ? BSO_SHORT : length > MAX_UNTAGGED_FRAME ? BSO_OVERSIZED : BSO_GOOD;
    }

    /** The longest Ethernet frame without a tag or FCS, BSO's "oversized" bound. */
    public static final int MAX_UNTAGGED_FRAME = 1514;

    // ---- reading (tests, tools); {@code at} is where the GRE header starts

    public static int greFlags(MemorySegment s, long at) {
        return Wire.u16(s, at);
    }

    public static int greProtocol(MemorySegment s, long at) {
        return Wire.u16(s, at + 2);
    }

    public static long sequence(MemorySegment s, long at) {
        return Wire.u32(s, at + 4);
    }

    public static int version(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN) >>> 12;
    }

    public static int vlan(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN) & 0xFFF;
    }

    public static int cos(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN + 2) >>> 13;
    }

    /** En (type II) or BSO (type III). */
    public static int enOrBso(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN + 2) >>> 11 & 3;
    }

    public static boolean truncated(MemorySegment s, long at) {
        return (Wire.u16(s, at + ERSPAN + 2) & 0x400) != 0;
    }

    public static int sessionId(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN + 2) & MAX_SESSION_ID;
    }

    /** Type II only. */
    public static int index(MemorySegment s, long at) {
        return (int) (Wire.u32(s, at + ERSPAN + 4) & MAX_INDEX);
    }

    /** Type III only. */
    public static long timestamp(MemorySegment s, long at) {
        return Wire.u32(s, at + ERSPAN + 4);
    }

    /** Type III only. */
    public static int hardwareId(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN + 10) >>> 4 & MAX_HARDWARE_ID;
    }

    /** Type III only: the D bit. */
    public static boolean egress(MemorySegment s, long at) {
        return (Wire.u16(s, at + ERSPAN + 10) & 0x8) != 0;
    }

    /** Type III only: the P, FT, Hw ID, D, Gra and O fields as one 16-bit word. */
    public static int typeIIIFlags(MemorySegment s, long at) {
        return Wire.u16(s, at + ERSPAN + 10);
    }

    /** Length of the GRE and ERSPAN headers of the packet at {@code at}, from its GRE protocol type; -1 if neither. */
    public static int overheadOf(MemorySegment s, long at) {
        int p = greProtocol(s, at);
        return p == GRE_PROTOCOL_TYPE_II ? TYPE_II_OVERHEAD : p == GRE_PROTOCOL_TYPE_III ? TYPE_III_OVERHEAD : -1;
    }
}
