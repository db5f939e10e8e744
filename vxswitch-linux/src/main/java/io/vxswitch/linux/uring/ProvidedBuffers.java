package io.vxswitch.linux.uring;

import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.ffi.Mmap;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Buffers an io_uring picks from as reads complete (a provided-buffer ring, {@code struct io_uring_buf}): the kernel
 * takes the next one for each frame a multishot read copies, and its owner hands a buffer back with {@link #give}
 * once the frame in it is done with. {@code count} buffers of {@code bytes} each, buffer id {@code i} at
 * {@link #address}{@code (i)}; made with every buffer given.
 */
public final class ProvidedBuffers implements AutoCloseable {
    private static final int ENTRY_BYTES = 16;
    /** The ring's tail: the {@code resv} field of its first entry. */
    private static final long TAIL = 14;
    private static final VarHandle SHORT = ValueLayout.JAVA_SHORT.varHandle();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffers;
    private final long base;
    private final int bytes;
    private final int count;
    private final long ringAddress;
    private final long ringBytes;
    private final MemorySegment ring;
    private final int mask;
    private int tail;
    private boolean closed;

    /** @param count a power of two, at most 32,768 */
    public ProvidedBuffers(int count, int bytes) {
        if (Integer.bitCount(count) != 1 || count > 32_768) {
            throw new IllegalArgumentException("a provided-buffer ring has a power of two of entries, got " + count);
        }
        this.count = count;
        this.bytes = (bytes + 63) & ~63;
        this.mask = count - 1;
        this.ringBytes = Math.max(4096, (long) ENTRY_BYTES * count);
        long address = Mmap.mmap(ringBytes, Mmap.PROT_READ | Mmap.PROT_WRITE, Mmap.MAP_PRIVATE_ANONYMOUS, -1);
        if (address < 0) {
            arena.close();
            throw new LinuxException("cannot map a provided-buffer ring", "mmap", (int) -address, null);
        }
        this.ringAddress = address; // page-aligned, as the kernel wants it
        this.ring = MemorySegment.ofAddress(address).reinterpret(ringBytes);
        this.buffers = arena.allocate((long) this.bytes * count, 4096);
        this.base = buffers.address();
        for (int i = 0; i < count; i++) {
            give(i);
        }
    }

    /** Hands buffer {@code id} (back) to the kernel. */
    public void give(int id) {
        long e = (long) (tail & mask) * ENTRY_BYTES;
        ring.set(ValueLayout.JAVA_LONG, e, base + (long) id * bytes);
        ring.set(ValueLayout.JAVA_INT, e + 8, bytes);
        ring.set(ValueLayout.JAVA_SHORT, e + 12, (short) id);
        tail++;
        SHORT.setRelease(ring, TAIL, (short) tail); // the kernel reads the entry only after it sees the tail
    }

    /** All the buffers, one segment: buffer {@code id} starts at {@link #offset}{@code (id)}. */
    public MemorySegment memory() {
        return buffers;
    }

    public long offset(int id) {
        return (long) id * bytes;
    }

    public int bytes() {
        return bytes;
    }

    public int entries() {
        return count;
    }

    long ringAddress() {
        return ringAddress;
    }

    /** After the ring that read into them is closed. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            Mmap.munmap(ringAddress, ringBytes);
            arena.close();
        }
    }
}
