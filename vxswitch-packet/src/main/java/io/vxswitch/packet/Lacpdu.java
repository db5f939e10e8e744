package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * LACPDU view (IEEE 802.1AX-2014 §6.4.2.3, figure 6-7): the Slow Protocols payload after the Ethernet header, read
 * and written in place. {@code at} is where the subtype byte is (the frame's offset + 14). Check {@link #check}
 * before trusting a received one's fields.
 *
 * <pre>
 *   0 subtype (1 = LACP)    1 version              2 TLV actor (1), 3 length (20)
 *   4 actor system priority 6 actor system (MAC)   12 actor key   14 actor port priority   16 actor port
 *  18 actor state          19 reserved (3)        22 TLV partner (2), 23 length (20), 24..41 partner as actor
 *  42 TLV collector (3), 43 length (16), 44 collector max delay, 46 reserved (12)
 *  58 TLV terminator (0), 59 length (0), 60 reserved (50)                                    = 110 bytes
 * </pre>
 */
public final class Lacpdu {
    /** The Slow Protocols multicast address (802.3 Annex 57A): link-local, never forwarded by a bridge. */
    public static final long SLOW_PROTOCOLS_MAC = 0x0180_C200_0002L;
    /** The Slow Protocols EtherType (802.3 Annex 57A). */
    public static final int SLOW_PROTOCOLS_ETHERTYPE = 0x8809;
    /** Slow Protocols subtype of LACP; 2 is the Marker protocol. */
    public static final int SUBTYPE_LACP = 1;
    public static final int SUBTYPE_MARKER = 2;
    public static final int VERSION = 1;

    public static final int SUBTYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int ACTOR_OFFSET = 2;
    public static final int PARTNER_OFFSET = 22;
    public static final int COLLECTOR_OFFSET = 42;
    public static final int TERMINATOR_OFFSET = 58;
    /** Within an actor or partner TLV: type, length, then the information. */
    public static final int TLV_TYPE = 0;
    public static final int TLV_LENGTH = 1;
    public static final int SYSTEM_PRIORITY = 2;
    public static final int SYSTEM = 4;
    public static final int KEY = 10;
    public static final int PORT_PRIORITY = 12;
    public static final int PORT = 14;
    public static final int STATE = 16;

    public static final int TLV_ACTOR = 1;
    public static final int TLV_PARTNER = 2;
    public static final int TLV_COLLECTOR = 3;
    /** Actor and partner information TLVs are 20 bytes, the collector's 16. */
    public static final int INFO_LENGTH = 20;
    public static final int COLLECTOR_LENGTH = 16;
    /** A whole LACPDU (without the Ethernet header); the frame is 124 bytes. */
    public static final int LENGTH = 110;
    /** Through the partner TLV: what the protocol needs of a received LACPDU. */
    public static final int MIN_LENGTH = COLLECTOR_OFFSET;

    /** What is wrong with a received Slow Protocols frame that claims to be a LACPDU. */
    public enum Fault {
        NONE("ok"),
        TRUNCATED("shorter than the actor and partner information (42 bytes after the Ethernet header)"),
        NOT_LACP("a Slow Protocols subtype other than LACP (a Marker, or OAM)"),
        BAD_VERSION("version 0: LACP versions start at 1"),
        BAD_ACTOR_TLV("the actor information is not TLV type 1, length 20"),
        BAD_PARTNER_TLV("the partner information is not TLV type 2, length 20");

        private final String description;

        Fault(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private Lacpdu() {
    }

    /**
     * What stops {@code length} bytes at {@code at} from being a LACPDU this switch can act on, or {@link Fault#NONE}.
     * Later versions are accepted (802.1AX §6.4.2.3: a receiver of a higher version acts on the version 1 fields);
     * the collector and terminator are not looked at, as Open vSwitch and Linux do not either.
     */
    public static Fault check(MemorySegment s, long at, int length) {
        if (length < MIN_LENGTH) {
            return Fault.TRUNCATED;
        }
        if (Wire.u8(s, at + SUBTYPE_OFFSET) != SUBTYPE_LACP) {
            return Fault.NOT_LACP;
        }
        if (Wire.u8(s, at + VERSION_OFFSET) == 0) {
            return Fault.BAD_VERSION;
        }
        if (Wire.u8(s, at + ACTOR_OFFSET + TLV_TYPE) != TLV_ACTOR
            || Wire.u8(s, at + ACTOR_OFFSET + TLV_LENGTH) != INFO_LENGTH) {
            return Fault.BAD_ACTOR_TLV;
        }
        if (Wire.u8(s, at + PARTNER_OFFSET + TLV_TYPE) != TLV_PARTNER
            || Wire.u8(s, at + PARTNER_OFFSET + TLV_LENGTH) != INFO_LENGTH) {
            return Fault.BAD_PARTNER_TLV;
        }
        return Fault.NONE;
    }

    /** True if the frame at {@code frame} is addressed to the Slow Protocols group (its EtherType not looked at). */
    public static boolean toSlowProtocols(MemorySegment s, long frame) {
        return Wire.u48(s, frame) == SLOW_PROTOCOLS_MAC;
    }

    // ---- one information TLV: at + ACTOR_OFFSET or at + PARTNER_OFFSET

    public static int systemPriority(MemorySegment s, long tlv) {
        return Wire.u16(s, tlv + SYSTEM_PRIORITY);
    }

    public static long system(MemorySegment s, long tlv) {
        return Wire.u48(s, tlv + SYSTEM);
    }

    public static int key(MemorySegment s, long tlv) {
        return Wire.u16(s, tlv + KEY);
    }

    public static int portPriority(MemorySegment s, long tlv) {
        return Wire.u16(s, tlv + PORT_PRIORITY);
    }

    public static int port(MemorySegment s, long tlv) {
        return Wire.u16(s, tlv + PORT);
    }

    public static int state(MemorySegment s, long tlv) {
        return Wire.u8(s, tlv + STATE);
    }

    /** Writes an information TLV's fields (type and length included) and zeroes its 3 reserved bytes. */
    public static void writeInfo(MemorySegment s, long tlv, int type, int systemPriority, long system, int key,
                                 int portPriority, int port, int state) {
        Wire.putU8(s, tlv + TLV_TYPE, type);
        Wire.putU8(s, tlv + TLV_LENGTH, INFO_LENGTH);
        Wire.putU16(s, tlv + SYSTEM_PRIORITY, systemPriority);
        Wire.putU48(s, tlv + SYSTEM, system);
        Wire.putU16(s, tlv + KEY, key);
        Wire.putU16(s, tlv + PORT_PRIORITY, portPriority);
        Wire.putU16(s, tlv + PORT, port);
        Wire.putU8(s, tlv + STATE, state);
        s.asSlice(tlv + STATE + 1, 3).fill((byte) 0);
    }

    /**
     * Writes the parts of a LACPDU besides the actor and partner information: subtype, version, the collector TLV
     * (max delay 0, as Open vSwitch and Linux send), the terminator and the reserved tail, all zero.
     */
    public static void writeFrame(MemorySegment s, long at) {
        s.asSlice(at, LENGTH).fill((byte) 0);
        Wire.putU8(s, at + SUBTYPE_OFFSET, SUBTYPE_LACP);
        Wire.putU8(s, at + VERSION_OFFSET, VERSION);
        Wire.putU8(s, at + COLLECTOR_OFFSET + TLV_TYPE, TLV_COLLECTOR);
        Wire.putU8(s, at + COLLECTOR_OFFSET + TLV_LENGTH, COLLECTOR_LENGTH);
        // terminator TLV: type 0, length 0, and 50 reserved bytes: zero already
    }

    /** Writes the Ethernet header of a LACPDU frame from {@code source} (the member port's MAC) at {@code frame}. */
    public static void writeEthernet(MemorySegment s, long frame, long source) {
        Wire.putU48(s, frame, SLOW_PROTOCOLS_MAC);
        Wire.putU48(s, frame + 6, source);
        Wire.putU16(s, frame + 12, SLOW_PROTOCOLS_ETHERTYPE);
    }
}
