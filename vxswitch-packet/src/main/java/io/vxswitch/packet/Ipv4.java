package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/** IPv4 header view (RFC 791 §3.1). Addresses are {@code int}s in network order bits. */
public final class Ipv4 {
    public static final int VERSION_IHL_OFFSET = 0;
    /** DSCP (RFC 2474) in the upper six bits, ECN (RFC 3168) in the lower two: the old TOS octet. */
    public static final int DSCP_ECN_OFFSET = 1;
    public static final int TOTAL_LENGTH_OFFSET = 2;
    public static final int IDENTIFICATION_OFFSET = 4;
    public static final int FLAGS_FRAGMENT_OFFSET = 6;
    public static final int TTL_OFFSET = 8;
    public static final int PROTOCOL_OFFSET = 9;
    public static final int HEADER_CHECKSUM_OFFSET = 10;
    public static final int SRC_OFFSET = 12;
    public static final int DST_OFFSET = 16;
    /** A header without options: IHL 5. */
    public static final int MIN_HEADER_LENGTH = 20;
    public static final int MIN_IHL = 5;
    public static final int VERSION = 4;

    public static final int PROTOCOL_ICMP = 1;
    public static final int PROTOCOL_TCP = 6;
    public static final int PROTOCOL_UDP = 17;

    /** Flags are the top three bits of the 16-bit flags/fragment-offset field; bit 0 is reserved. */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;
    /** Fragment offset in units of 8 bytes. */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;
    public static final int DEFAULT_TTL = 64;

    private Ipv4() {
    }

    public static int version(MemorySegment s, long ip) {
        return Wire.u8(s, ip + VERSION_IHL_OFFSET) >>> 4;
    }

    /** Header length in 32-bit words. */
    public static int ihl(MemorySegment s, long ip) {
        return Wire.u8(s, ip + VERSION_IHL_OFFSET) & 0x0F;
    }

    /** Header length in bytes, options included. */
    public static int headerLength(MemorySegment s, long ip) {
        return ihl(s, ip) * 4;
    }

    public static int dscp(MemorySegment s, long ip) {
        return Wire.u8(s, ip + DSCP_ECN_OFFSET) >>> 2;
    }

    public static int ecn(MemorySegment s, long ip) {
        return Wire.u8(s, ip + DSCP_ECN_OFFSET) & 0x03;
    }

    /** Length of the datagram, header included; a frame may carry more bytes than this (Ethernet padding). */
    public static int totalLength(MemorySegment s, long ip) {
        return Wire.u16(s, ip + TOTAL_LENGTH_OFFSET);
    }

    public static int identification(MemorySegment s, long ip) {
        return Wire.u16(s, ip + IDENTIFICATION_OFFSET);
    }

    /** The raw 16-bit flags and fragment offset field. */
    public static int flagsFragment(MemorySegment s, long ip) {
        return Wire.u16(s, ip + FLAGS_FRAGMENT_OFFSET);
    }

    public static boolean dontFragment(MemorySegment s, long ip) {
        return (flagsFragment(s, ip) & FLAG_DONT_FRAGMENT) != 0;
    }

    public static boolean moreFragments(MemorySegment s, long ip) {
        return (flagsFragment(s, ip) & FLAG_MORE_FRAGMENTS) != 0;
    }

    /** Fragment offset in bytes (the field counts 8-byte units). */
    public static int fragmentOffset(MemorySegment s, long ip) {
        return (flagsFragment(s, ip) & FRAGMENT_OFFSET_MASK) * 8;
    }

    /** True for any piece of a fragmented datagram: more fragments follow, or this one is not the first. */
    public static boolean isFragment(MemorySegment s, long ip) {
        return (flagsFragment(s, ip) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK)) != 0;
    }

    public static int ttl(MemorySegment s, long ip) {
        return Wire.u8(s, ip + TTL_OFFSET);
    }

    public static int protocol(MemorySegment s, long ip) {
        return Wire.u8(s, ip + PROTOCOL_OFFSET);
    }

    public static int headerChecksum(MemorySegment s, long ip) {
        return Wire.u16(s, ip + HEADER_CHECKSUM_OFFSET);
    }

    public static int src(MemorySegment s, long ip) {
        return Wire.i32(s, ip + SRC_OFFSET);
    }

    public static int dst(MemorySegment s, long ip) {
        return Wire.i32(s, ip + DST_OFFSET);
    }

    /** Writes version 4 and the header length in 32-bit words. */
    public static void versionIhl(MemorySegment s, long ip, int ihl) {
        Wire.putU8(s, ip + VERSION_IHL_OFFSET, (VERSION << 4) | (ihl & 0x0F));
    }

    public static void dscpEcn(MemorySegment s, long ip, int dscp, int ecn) {
        Wire.putU8(s, ip + DSCP_ECN_OFFSET, ((dscp & 0x3F) << 2) | (ecn & 0x03));
    }

    public static void totalLength(MemorySegment s, long ip, int value) {
        Wire.putU16(s, ip + TOTAL_LENGTH_OFFSET, value);
    }

    public static void identification(MemorySegment s, long ip, int value) {
        Wire.putU16(s, ip + IDENTIFICATION_OFFSET, value);
    }

    public static void flagsFragment(MemorySegment s, long ip, int value) {
        Wire.putU16(s, ip + FLAGS_FRAGMENT_OFFSET, value);
    }

    public static void ttl(MemorySegment s, long ip, int value) {
        Wire.putU8(s, ip + TTL_OFFSET, value);
    }

    public static void protocol(MemorySegment s, long ip, int value) {
        Wire.putU8(s, ip + PROTOCOL_OFFSET, value);
    }

    public static void headerChecksum(MemorySegment s, long ip, int value) {
        Wire.putU16(s, ip + HEADER_CHECKSUM_OFFSET, value);
    }

    public static void src(MemorySegment s, long ip, int address) {
        Wire.putU32(s, ip + SRC_OFFSET, address);
    }

    public static void dst(MemorySegment s, long ip, int address) {
        Wire.putU32(s, ip + DST_OFFSET, address);
    }

    /** Computes the header checksum over {@link #headerLength} bytes as if the checksum field were zero. */
    public static int computeHeaderChecksum(MemorySegment s, long ip) {
        // Sum around the checksum field rather than zeroing it, so computing never writes to the frame.
        long sum = InternetChecksum.add(s, ip, HEADER_CHECKSUM_OFFSET, 0);
        int after = HEADER_CHECKSUM_OFFSET + 2;
        sum = InternetChecksum.add(s, ip + after, headerLength(s, ip) - after, sum);
        return InternetChecksum.finish(sum);
    }

    /** Recomputes and stores the header checksum; call after any header field changes. */
    public static void updateHeaderChecksum(MemorySegment s, long ip) {
        headerChecksum(s, ip, computeHeaderChecksum(s, ip));
    }

    /** RFC 791 §3.1: the checksum of a correct header, including the checksum field, is all ones. */
    public static boolean headerChecksumValid(MemorySegment s, long ip) {
        return InternetChecksum.verify(s, ip, headerLength(s, ip));
    }

    /**
     * Writes a 20-byte header without options: DSCP 0, DF set and identification 0, which RFC 6864 §4.1
     * allows for atomic datagrams (DF=1, MF=0, offset 0); then the checksum.
     */
    public static void writeHeader(MemorySegment s, long ip, int protocol, int src, int dst, int payloadLength,
                                   int ttl) {
        versionIhl(s, ip, MIN_IHL);
        dscpEcn(s, ip, 0, 0);
        totalLength(s, ip, MIN_HEADER_LENGTH + payloadLength);
        identification(s, ip, 0);
        flagsFragment(s, ip, FLAG_DONT_FRAGMENT);
        ttl(s, ip, ttl);
        protocol(s, ip, protocol);
        src(s, ip, src);
        dst(s, ip, dst);
        updateHeaderChecksum(s, ip);
    }

    /** Sum of the pseudo-header that UDP and TCP checksums cover (RFC 768, RFC 9293 §3.1). */
    public static long pseudoHeaderSum(int src, int dst, int protocol, int length) {
        long sum = InternetChecksum.addU32(0, src);
        sum = InternetChecksum.addU32(sum, dst);
        sum = InternetChecksum.addU16(sum, protocol);
        return InternetChecksum.addU16(sum, length);
    }

    public static String protocolName(int protocol) {
        return switch (protocol) {
            case PROTOCOL_ICMP -> "ICMP";
            case PROTOCOL_TCP -> "TCP";
            case PROTOCOL_UDP -> "UDP";
            default -> "proto " + protocol;
        };
    }
}
