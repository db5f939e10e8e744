package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The Internet checksum (RFC 1071): the 16-bit one's complement of the one's complement sum of the
 * data taken as 16-bit big-endian words. Used by IPv4 headers, ICMP, UDP and TCP. Allocates nothing.
 *
 * <p>The sum is carried in a {@code long} and folded only at the end: RFC 1071 §2(B) and §2(C) show that
 * one's complement addition is associative and can be done on wider words with deferred carries, so
 * several ranges (a pseudo-header, then a header, then a payload) can be summed one after the other.
 */
public final class InternetChecksum {
    private static final ValueLayout.OfLong LE64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt LE32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private InternetChecksum() {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} to a running sum. An odd trailing byte is padded
     * with a zero on the right (RFC 1071 §4.1), so only the last range summed may have an odd length.
     */
    public static long add(MemorySegment s, long offset, int length, long sum) {
        // 64-bit little-endian reads, the machine's own order: RFC 1071 §2(B) byte order independence says the sum
        // of byte-swapped words is the byte-swapped sum, so the range is summed swapped and swapped back once at
        // the end. Each long adds as two 32-bit halves; the carries collect in the high bits and are folded later
        // (§2(C)): 2^31 bytes cannot overflow the accumulator.
        long acc = 0;
        long p = offset;
        long end = offset + length;
        for (; p + 16 <= end; p += 16) {
            long a = s.get(LE64, p);
            long b = s.get(LE64, p + 8);
            acc += (a >>> 32) + (a & 0xFFFF_FFFFL) + (b >>> 32) + (b & 0xFFFF_FFFFL);
        }
        if (p + 8 <= end) {
            long a = s.get(LE64, p);
            acc += (a >>> 32) + (a & 0xFFFF_FFFFL);
            p += 8;
        }
        if (p + 4 <= end) {
            acc += s.get(LE32, p) & 0xFFFF_FFFFL;
            p += 4;
        }
        if (p + 2 <= end) {
            acc += s.get(LE16, p) & 0xFFFF;
            p += 2;
        }
        if (p < end) {
            acc += s.get(ValueLayout.JAVA_BYTE, p) & 0xFF; // big-endian b << 8, swapped
        }
        int swapped = fold(acc);
        return sum + (((swapped & 0xFF) << 8) | (swapped >>> 8));
    }

    /** Adds one 16-bit value, e.g. a pseudo-header protocol or length field. */
    public static long addU16(long sum, int value) {
        return sum + (value & 0xFFFF);
    }

    /** Adds a 32-bit value such as an IPv4 address: its two 16-bit halves. */
    public static long addU32(long sum, int value) {
        return sum + (value >>> 16) + (value & 0xFFFF);
    }

    /** Folds the carries of a running sum back into 16 bits (end-around carry). */
    public static int fold(long sum) {
        long v = sum;
        while ((v >>> 16) != 0) {
            v = (v & 0xFFFF) + (v >>> 16);
        }
        return (int) v;
    }

    /** The checksum to store: the one's complement of the folded sum. */
    public static int finish(long sum) {
        return ~fold(sum) & 0xFFFF;
    }

    /** Checksum of one range. */
    public static int checksum(MemorySegment s, long offset, int length) {
        return finish(add(s, offset, length, 0));
    }

    /** Checksum of one range on top of an initial sum, e.g. a UDP pseudo-header. */
    public static int checksum(MemorySegment s, long offset, int length, long initial) {
        return finish(add(s, offset, length, initial));
    }

    /**
     * True if a range that includes its own checksum field sums to all ones, which is how a receiver
     * verifies it (RFC 1071 §1: "the result ... will be all 1 bits if the checksum is correct").
     */
    public static boolean verify(MemorySegment s, long offset, int length) {
        return fold(add(s, offset, length, 0)) == 0xFFFF;
    }

    /** Like {@link #verify(MemorySegment, long, int)} on top of a pseudo-header sum. */
    public static boolean verify(MemorySegment s, long offset, int length, long initial) {
        return fold(add(s, offset, length, initial)) == 0xFFFF;
    }
}
