package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * ICMP for IPv4 (RFC 792). Every message starts with type, code and checksum; echo request/reply then
 * carry an identifier and a sequence number, which is all the lab's ping needs.
 */
public final class Icmp {
    public static final int TYPE_OFFSET = 0;
    public static final int CODE_OFFSET = 1;
    public static final int CHECKSUM_OFFSET = 2;
    public static final int IDENTIFIER_OFFSET = 4;
    public static final int SEQUENCE_OFFSET = 6;
    /** Type, code, checksum and the 4-byte rest-of-header (identifier/sequence for echo). */
    public static final int HEADER_LENGTH = 8;

    public static final int ECHO_REPLY = 0;
    public static final int DEST_UNREACHABLE = 3;
    public static final int ECHO_REQUEST = 8;
    public static final int TIME_EXCEEDED = 11;

    private Icmp() {
    }

    public static int type(MemorySegment s, long icmp) {
        return Wire.u8(s, icmp + TYPE_OFFSET);
    }

    public static int code(MemorySegment s, long icmp) {
        return Wire.u8(s, icmp + CODE_OFFSET);
    }

    public static int checksum(MemorySegment s, long icmp) {
        return Wire.u16(s, icmp + CHECKSUM_OFFSET);
    }

    public static int identifier(MemorySegment s, long icmp) {
        return Wire.u16(s, icmp + IDENTIFIER_OFFSET);
    }

    public static int sequence(MemorySegment s, long icmp) {
        return Wire.u16(s, icmp + SEQUENCE_OFFSET);
    }

    public static boolean isEcho(int type) {
        return type == ECHO_REQUEST || type == ECHO_REPLY;
    }

    public static void type(MemorySegment s, long icmp, int value) {
        Wire.putU8(s, icmp + TYPE_OFFSET, value);
    }

    public static void code(MemorySegment s, long icmp, int value) {
        Wire.putU8(s, icmp + CODE_OFFSET, value);
    }

    public static void checksum(MemorySegment s, long icmp, int value) {
        Wire.putU16(s, icmp + CHECKSUM_OFFSET, value);
    }

    public static void identifier(MemorySegment s, long icmp, int value) {
        Wire.putU16(s, icmp + IDENTIFIER_OFFSET, value);
    }

    public static void sequence(MemorySegment s, long icmp, int value) {
        Wire.putU16(s, icmp + SEQUENCE_OFFSET, value);
    }

    /**
     * Recomputes and stores the checksum over the whole message ({@code length} bytes, header and data):
     * RFC 792 computes it "starting with the ICMP Type", with the checksum field zero.
     */
    public static void updateChecksum(MemorySegment s, long icmp, int length) {
        checksum(s, icmp, 0);
        checksum(s, icmp, InternetChecksum.checksum(s, icmp, length));
    }

    public static boolean checksumValid(MemorySegment s, long icmp, int length) {
        return InternetChecksum.verify(s, icmp, length);
    }

    /** Names as tcpdump prints them. */
    public static String typeName(int type) {
        return switch (type) {
            case ECHO_REPLY -> "echo reply";
            case DEST_UNREACHABLE -> "unreachable";
            case 5 -> "redirect";
            case ECHO_REQUEST -> "echo request";
            case TIME_EXCEEDED -> "time exceeded";
            default -> "type " + type;
        };
    }
}
