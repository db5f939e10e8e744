package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct cmsghdr { size_t cmsg_len; int cmsg_level; int cmsg_type; }} followed by the data, every
 * element aligned to {@code sizeof(size_t)} (the CMSG_* macros, which are not functions and so are
 * reimplemented here).
 */
public final class CmsgHdr {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("cmsg_len"),
        JAVA_INT.withName("cmsg_level"),
        JAVA_INT.withName("cmsg_type")).withName("cmsghdr");
    public static final long SIZE = LAYOUT.byteSize();

    private static final VarHandle LEN = Layouts.field(LAYOUT, "cmsg_len");
    private static final VarHandle LEVEL = Layouts.field(LAYOUT, "cmsg_level");
    private static final VarHandle TYPE = Layouts.field(LAYOUT, "cmsg_type");

    private CmsgHdr() {
    }

    /** {@code CMSG_ALIGN}: rounded up to a multiple of 8. */
    public static long align(long length) {
        return (length + 7) & ~7L;
    }

    /** {@code CMSG_SPACE(dataLength)}: room for one header and its data in a control buffer. */
    public static long space(long dataLength) {
        return align(SIZE) + align(dataLength);
    }

    /** {@code CMSG_DATA} as an offset from the header. */
    public static long dataOffset() {
        return align(SIZE);
    }

    /** Writes a header for {@code dataLength} bytes of data ({@code CMSG_LEN}); the data follows at {@link #dataOffset}. */
    public static void write(MemorySegment s, long at, int level, int type, long dataLength) {
        LEN.set(s, at, align(SIZE) + dataLength);
        LEVEL.set(s, at, level);
        TYPE.set(s, at, type);
    }

    /**
     * The offset of the data of the first control message of {@code level} and {@code type} with at least
     * {@code minData} bytes of data, in the {@code length} bytes of ancillary data at {@code control[at]}; -1 if there
     * is none (or the buffer is malformed).
     */
    public static long find(MemorySegment control, long at, long length, int level, int type, long minData) {
        long end = at + length;
        long header = at;
        while (header + SIZE <= end) {
            long cmsgLength = length(control, header);
            if (cmsgLength < SIZE || header + cmsgLength > end) {
                return -1;
            }
            if (level(control, header) == level && type(control, header) == type
                && cmsgLength >= dataOffset() + minData) {
                return header + dataOffset();
            }
            header += align(cmsgLength);
        }
        return -1;
    }

    public static long length(MemorySegment s, long at) {
        return (long) LEN.get(s, at);
    }

    public static int level(MemorySegment s, long at) {
        return (int) LEVEL.get(s, at);
    }

    public static int type(MemorySegment s, long at) {
        return (int) TYPE.get(s, at);
    }
}
