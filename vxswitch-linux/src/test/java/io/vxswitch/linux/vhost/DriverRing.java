package io.vxswitch.linux.vhost;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The driver's side of one split virtqueue in a test's "guest memory" (a segment at a made-up guest address): writes
 * descriptors and the available ring as a virtio driver would, reads the used ring. Tests corrupt what they like with
 * the raw setters.
 */
public final class DriverRing {
    public static final long GUEST = 0x4000_0000L;
    static final int SIZE = 8;
    static final long DESC = 0x0;
    static final long AVAIL = 0x1000;
    static final long USED = 0x2000;
    static final long BUFFERS = 0x10000;
    static final int BUFFER = 2048;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);

    final MemorySegment memory;
    final GuestMemory guest;
    private int availIdx;
    private int nextDesc;

    public DriverRing(Arena arena, long bytes) {
        memory = arena.allocate(bytes, 4096);
        guest = GuestMemory.of(new long[] {GUEST}, memory);
    }

    public SplitVirtqueue queue(int index) {
        return SplitVirtqueue.start(index, SIZE, guest, GUEST + DESC, GUEST + AVAIL, GUEST + USED, 0);
    }

    /** Descriptor {@code i}: a buffer at guest address {@code address}. */
    public void desc(int i, long address, int length, int flags, int next) {
        long d = DESC + 16L * i;
        memory.set(U64, d, address);
        memory.set(U32, d + 8, length);
        memory.set(U16, d + 12, (short) flags);
        memory.set(U16, d + 14, (short) next);
    }

    /** Makes the chain from {@code head} available (ring entry, then the index). */
    public void offer(int head) {
        memory.set(U16, AVAIL + 4 + 2L * (availIdx % SIZE), (short) head);
        availIdx++;
        memory.set(U16, AVAIL + 2, (short) availIdx);
    }

    void availIdx(int idx) {
        memory.set(U16, AVAIL + 2, (short) idx);
    }

    void availFlags(int flags) {
        memory.set(U16, AVAIL, (short) flags);
    }

    /** A transmit buffer: a 12-byte zero header and {@code frame} in one descriptor, offered. Returns its head. */
    public int transmit(byte[] frame) {
        int d = nextDesc++ % SIZE;
        long at = BUFFERS + (long) BUFFER * d;
        memory.asSlice(at, 12).fill((byte) 0);
        MemorySegment.copy(frame, 0, memory, ValueLayout.JAVA_BYTE, at + 12, frame.length);
        desc(d, GUEST + at, 12 + frame.length, 0, 0);
        offer(d);
        return d;
    }

    /** A receive buffer of {@code length} bytes, device-writable, offered. Returns its head. */
    public int receiveBuffer(int length) {
        int d = nextDesc++ % SIZE;
        desc(d, GUEST + BUFFERS + (long) BUFFER * d, length, SplitVirtqueue.F_WRITE, 0);
        offer(d);
        return d;
    }

    /** Where buffer {@code d} lives (its descriptor's address is the test's to change). */
    public long bufferAddress(int d) {
        return GUEST + BUFFERS + (long) BUFFER * d;
    }

    public byte[] bufferBytes(int d, int length) {
        byte[] b = new byte[length];
        MemorySegment.copy(memory, ValueLayout.JAVA_BYTE, BUFFERS + (long) BUFFER * d, b, 0, length);
        return b;
    }

    public int usedIdx() {
        return memory.get(U16, USED + 2) & 0xFFFF;
    }

    int usedFlags() {
        return memory.get(U16, USED) & 0xFFFF;
    }

    public int usedId(int i) {
        return memory.get(U32, USED + 4 + 8L * (i % SIZE));
    }

    public int usedLength(int i) {
        return memory.get(U32, USED + 4 + 8L * (i % SIZE) + 4);
    }
}
