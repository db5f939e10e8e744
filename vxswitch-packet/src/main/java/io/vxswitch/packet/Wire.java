package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Network-byte-order reads and writes over a {@link MemorySegment}, unaligned, with no allocation.
 * Every header view in this package goes through here so the byte order is decided in one place.
 */
public final class Wire {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private Wire() {
    }

    public static int u8(MemorySegment s, long offset) {
        return s.get(ValueLayout.JAVA_BYTE, offset) & 0xFF;
    }

    public static int u16(MemorySegment s, long offset) {
        return s.get(U16, offset) & 0xFFFF;
    }

    public static long u32(MemorySegment s, long offset) {
        return s.get(U32, offset) & 0xFFFF_FFFFL;
    }

    public static int i32(MemorySegment s, long offset) {
        return s.get(U32, offset);
    }

    /** A 64-bit big-endian field (half of an IPv6 address), as raw bits. */
    public static long i64(MemorySegment s, long offset) {
        return s.get(U64, offset);
    }

    /** A 48-bit big-endian field, such as a MAC address, as the low bits of a long. */
    public static long u48(MemorySegment s, long offset) {
        return ((long) u16(s, offset) << 32) | u32(s, offset + 2);
    }

    public static void putU8(MemorySegment s, long offset, int value) {
        s.set(ValueLayout.JAVA_BYTE, offset, (byte) value);
    }

    public static void putU16(MemorySegment s, long offset, int value) {
        s.set(U16, offset, (short) value);
    }

    public static void putU32(MemorySegment s, long offset, long value) {
        s.set(U32, offset, (int) value);
    }

    public static void putU48(MemorySegment s, long offset, long value) {
        putU16(s, offset, (int) (value >>> 32));
        putU32(s, offset + 2, value);
    }

    public static void putI64(MemorySegment s, long offset, long value) {
        s.set(U64, offset, value);
    }
}
