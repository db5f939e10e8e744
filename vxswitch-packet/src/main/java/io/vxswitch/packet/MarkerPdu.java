package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * Marker PDU and Marker Response PDU view (IEEE 802.1AX-2014 §6.5.3.3): the Marker protocol's Slow Protocols payload
 * after the Ethernet header, read and written in place. {@code at} is where the subtype byte is (the frame's offset
 * + 14). Both PDUs have one layout; the TLV type says which (1: Marker Information, sent by a Marker Generator; 2:
 * Marker Response Information, sent back by the Marker Responder with the requester's port, system and transaction
 * id unchanged). Check {@link #check} before trusting a received one's fields.
 *
 * <pre>
 *   0 subtype (2 = Marker)   1 version (1)           2 TLV type (1 or 2)     3 length (16)
 *   4 requester port         6 requester system (MAC)                        12 requester transaction id
 *  16 pad (2)               18 TLV terminator (0), 19 length (0), 20 reserved (90)                   = 110 bytes
 * </pre>
 * The same length as a LACPDU: a Marker frame is 124 bytes before the FCS.
 */
public final class MarkerPdu {
    public static final int SUBTYPE_OFFSET = 0;
    public static final int VERSION_OFFSET = 1;
    public static final int TLV_TYPE_OFFSET = 2;
    public static final int TLV_LENGTH_OFFSET = 3;
    public static final int REQUESTER_PORT = 4;
    public static final int REQUESTER_SYSTEM = 6;
    public static final int REQUESTER_TRANSACTION_ID = 12;
    public static final int PAD = 16;
    public static final int TERMINATOR_OFFSET = 18;

    public static final int VERSION = 1;
    /** Marker Information: a Marker Generator asks (§6.5.3.3). */
    public static final int TLV_MARKER_INFORMATION = 1;
    /** Marker Response Information: a Marker Responder answers. */
    public static final int TLV_MARKER_RESPONSE = 2;
    /** Of the information TLV, type and length included: 2 + 2 + 6 + 4 + 2 (pad). */
    public static final int INFO_LENGTH = 16;
    /** A whole Marker PDU (without the Ethernet header), as sent. */
    public static final int LENGTH = Lacpdu.LENGTH;
    /** Through the information TLV (its pad included): what the responder needs of a received one. */
    public static final int MIN_LENGTH = TERMINATOR_OFFSET;

    /** What is wrong with a received Slow Protocols frame that claims to be a Marker PDU. */
    public enum Fault {
        NONE("ok"),
        TRUNCATED("shorter than the Marker information (18 bytes after the Ethernet header)"),
        NOT_MARKER("a Slow Protocols subtype other than the Marker protocol"),
        BAD_VERSION("version 0: Marker protocol versions start at 1"),
        BAD_TLV("the information is not TLV type 1 (Marker) or 2 (Marker Response) of length 16");

        private final String description;

        Fault(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    private MarkerPdu() {
    }

    /**
     * What stops {@code length} bytes at {@code at} from being a Marker or Marker Response PDU, or {@link Fault#NONE}.
     * Later versions are accepted, their version 1 fields read (as for a LACPDU); the terminator and the reserved
     * tail are not looked at.
     */
    public static Fault check(MemorySegment s, long at, int length) {
        if (length < MIN_LENGTH) {
            return Fault.TRUNCATED;
        }
        if (Wire.u8(s, at + SUBTYPE_OFFSET) != Lacpdu.SUBTYPE_MARKER) {
            return Fault.NOT_MARKER;
        }
        if (Wire.u8(s, at + VERSION_OFFSET) == 0) {
            return Fault.BAD_VERSION;
        }
        int type = Wire.u8(s, at + TLV_TYPE_OFFSET);
        if ((type != TLV_MARKER_INFORMATION && type != TLV_MARKER_RESPONSE)
            || Wire.u8(s, at + TLV_LENGTH_OFFSET) != INFO_LENGTH) {
            return Fault.BAD_TLV;
        }
        return Fault.NONE;
    }

    /** True if the slow protocols payload at {@code at} is of the Marker protocol (any TLV, checked or not). */
    public static boolean isMarker(MemorySegment s, long at, int length) {
        return length > SUBTYPE_OFFSET && Wire.u8(s, at + SUBTYPE_OFFSET) == Lacpdu.SUBTYPE_MARKER;
    }

    /** The TLV type of a checked one: {@link #TLV_MARKER_INFORMATION} or {@link #TLV_MARKER_RESPONSE}. */
    public static int tlvType(MemorySegment s, long at) {
        return Wire.u8(s, at + TLV_TYPE_OFFSET);
    }

    public static int requesterPort(MemorySegment s, long at) {
        return Wire.u16(s, at + REQUESTER_PORT);
    }

    public static long requesterSystem(MemorySegment s, long at) {
        return Wire.u48(s, at + REQUESTER_SYSTEM);
    }

    /** The requester's transaction id, an unsigned 32-bit number. */
    public static long transactionId(MemorySegment s, long at) {
        return Wire.u32(s, at + REQUESTER_TRANSACTION_ID);
    }

    /**
     * Writes a whole PDU of {@link #LENGTH} bytes at {@code at}: version 1, the TLV of {@code type} with the requester's
     * port, system and transaction id, the pad, the terminator and the reserved tail all zero.
     */
    public static void write(MemorySegment s, long at, int type, int port, long system, long transactionId) {
        s.asSlice(at, LENGTH).fill((byte) 0);
        Wire.putU8(s, at + SUBTYPE_OFFSET, Lacpdu.SUBTYPE_MARKER);
        Wire.putU8(s, at + VERSION_OFFSET, VERSION);
        Wire.putU8(s, at + TLV_TYPE_OFFSET, type);
        Wire.putU8(s, at + TLV_LENGTH_OFFSET, INFO_LENGTH);
        Wire.putU16(s, at + REQUESTER_PORT, port);
        Wire.putU48(s, at + REQUESTER_SYSTEM, system);
        Wire.putU32(s, at + REQUESTER_TRANSACTION_ID, transactionId);
        // pad, terminator (type 0, length 0) and 90 reserved bytes: zero already
    }
}
