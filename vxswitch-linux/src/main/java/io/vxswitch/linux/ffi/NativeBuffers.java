package io.vxswitch.linux.ffi;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The address of a frame inside a caller's buffer, for the per-frame calls. Slicing the segment would make
 * a new object per frame unless the JIT happens to remove it; a checked raw address never does. The checks
 * stand in for the ones the linker makes on a segment argument: bounds, native memory, a live arena the
 * calling thread may use. The caller then keeps {@code buffer} reachable until the call returns, and must
 * not close a shared arena from another thread meanwhile (ports belong to one thread).
 */
public final class NativeBuffers {
    private NativeBuffers() {
    }

    /**
     * @throws IndexOutOfBoundsException if {@code [offset, offset + length)} is not inside {@code buffer}
     * @throws IllegalArgumentException  for a heap segment
     * @throws IllegalStateException     if the arena is closed or confined to another thread
     */
    public static long address(MemorySegment buffer, long offset, long length) {
        Objects.checkFromIndexSize(offset, length, buffer.byteSize());
        if (!buffer.isNative()) {
            throw new IllegalArgumentException("frame buffers must be native memory (from an Arena), not a heap array");
        }
        if (!buffer.scope().isAlive() || !buffer.isAccessibleBy(Thread.currentThread())) {
            throw new IllegalStateException("frame buffer is closed or belongs to another thread");
        }
        return buffer.address() + offset;
    }
}
