package io.vxswitch.linux.ffi;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** {@code struct iovec { void *iov_base; size_t iov_len; }}: 16 bytes on LP64. */
public final class Iovec {
    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
        ADDRESS.withName("iov_base"),
        JAVA_LONG.withName("iov_len")).withName("iovec");
    public static final long SIZE = LAYOUT.byteSize();

    private static final long BASE_OFFSET = Layouts.offset(LAYOUT, "iov_base");
    private static final VarHandle LEN = Layouts.field(LAYOUT, "iov_len");

    private Iovec() {
    }

    /**
     * Points {@code iov_base} at a raw address inside a segment the caller keeps alive; writing the number
     * avoids making a segment (and an allocation) per frame.
     */
    public static void baseAddress(MemorySegment s, long at, long address) {
        s.set(JAVA_LONG, at + BASE_OFFSET, address);
    }

    public static void length(MemorySegment s, long at, long length) {
        LEN.set(s, at, length);
    }
}
