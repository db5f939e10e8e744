package io.vxswitch.linux.vhost;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The device side of one split virtqueue (virtio 1.0 §2.4) in a guest's memory: the descriptor table, the available
 * ring the driver fills, the used ring the device fills. The guest's driver writes the first two while the switch
 * reads them, so everything read from them is checked before it is used: indices against the table, buffers against
 * the guest's memory ({@link GuestMemory}), chains against loops. A check that fails records a {@link RingFault} (see
 * {@link #fault}) and the caller stops the port; nothing is ever read or written outside the guest's memory.
 *
 * <p>Layout (§2.4.5, §2.4.6, §2.4.8), little-endian (virtio 1.0; a legacy x86 or arm64 guest is little-endian too):
 * <pre>
 *   descriptor i:  addr u64 @0, len u32 @8, flags u16 @12, next u16 @14      (16 bytes, table 16-aligned)
 *   available:     flags u16 @0, idx u16 @2, ring[size] u16 @4              (2-aligned)
 *   used:          flags u16 @0, idx u16 @2, ring[size] {id u32, len u32} @4 (4-aligned)
 * </pre>
 * Indices are free-running 16-bit counters; an entry is at {@code idx % size} (the size is a power of two).
 *
 * <p>Notifications without {@code VIRTIO_RING_F_EVENT_IDX} (§2.4.7, §2.4.8): the device sets
 * {@code VRING_USED_F_NO_NOTIFY} while it is busy with the ring anyway (the driver then does not kick), and signals
 * the driver only if it has not set {@code VRING_AVAIL_F_NO_INTERRUPT}.
 *
 * <p>One thread (the port's forwarding agent) uses a started queue; the control thread builds it and hands it over.
 */
public final class SplitVirtqueue {
    /** The largest split queue (§2.4: "Queue Size ... maximum 32768"). */
    public static final int MAX_SIZE = 32768;

    static final int DESC_SIZE = 16;
    static final int F_NEXT = 1;
    static final int F_WRITE = 2;
    static final int F_INDIRECT = 4;
    static final int USED_F_NO_NOTIFY = 1;
    static final int AVAIL_F_NO_INTERRUPT = 1;
    /** {@link #takeHead}, {@link #readChain}, {@link #writeChain}: a fault was recorded. */
    public static final int FAULT = -1;

    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT.withOrder(ByteOrder.LITTLE_ENDIAN);
    /** avail->idx is read with acquire: the ring entries and descriptors it covers were written before it. */
    private static final VarHandle U16_ORDERED = U16.varHandle();

    private final int index;
    private final int size;
    private final int mask;
    private final long descAddress;
    private final long availAddress;
    private final long usedAddress;
    private GuestMemory memory;
    private MemorySegment desc;
    private MemorySegment avail;
    private MemorySegment used;
    /** The next available-ring position to take. */
    private int lastAvail;
    /** avail->idx as last read; entries up to it need no new read. */
    private int availIdx;
    /** The next used-ring position to fill, and what the driver has been shown of it. */
    private int usedIdx;
    private int publishedUsed;
    /** Used entries published since the driver was last signalled (or told it need not be). */
    private boolean signalDue;
    // The first fault found: written by the agent, read by the conductor after the port's volatile stop flag.
    private RingFault fault;
    private int faultDescriptor;
    private long faultValue;
    private long faultLimit;
    private long faultAddress;
    private long faultLength;
    private String faultDetail = "";

    private SplitVirtqueue(int index, int size, GuestMemory memory, long descAddress, long availAddress,
                           long usedAddress, int base) {
        this.index = index;
        this.size = size;
        this.mask = size - 1;
        this.descAddress = descAddress;
        this.availAddress = availAddress;
        this.usedAddress = usedAddress;
        this.lastAvail = base & 0xFFFF;
        this.availIdx = lastAvail;
        this.usedIdx = lastAvail; // the device completes in order: as far as it has taken
        this.publishedUsed = usedIdx;
        if (!remap(memory)) {
            throw new VhostUserException(String.format("queue %d: its rings (descriptors 0x%x, available 0x%x, used"
                + " 0x%x, %d entries) are not inside the guest's memory (%s), or not aligned", index, descAddress,
                availAddress, usedAddress, size, memory));
        }
    }

    /**
     * A queue the front-end has described: {@code size} entries, the three parts at these user addresses (as
     * {@code SET_VRING_ADDR} gives them), resuming at available index {@code base} ({@code SET_VRING_BASE}).
     *
     * @throws VhostUserException if the size is not a power of two up to {@link #MAX_SIZE}, or a part is not inside
     *                            one region of {@code memory} with its alignment
     */
    public static SplitVirtqueue start(int index, int size, GuestMemory memory, long descAddress, long availAddress,
                                       long usedAddress, int base) {
        if (size < 1 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new VhostUserException("queue " + index + ": a split queue has a power-of-two size up to "
                + MAX_SIZE + ", not " + size);
        }
        return new SplitVirtqueue(index, size, memory, descAddress, availAddress, usedAddress, base);
    }

    /**
     * Finds the rings again in {@code memory} (a new memory table while the queue runs); false if they are no longer
     * inside it, or misaligned. The queue keeps its indices.
     */
    public boolean remap(GuestMemory m) {
        MemorySegment d = m.userSlice(descAddress, (long) DESC_SIZE * size);
        MemorySegment a = m.userSlice(availAddress, 4 + 2L * size + 2);
        MemorySegment u = m.userSlice(usedAddress, 4 + 8L * size + 2);
        if (d == null || a == null || u == null
            || d.address() % 16 != 0 || a.address() % 2 != 0 || u.address() % 4 != 0) {
            return false;
        }
        this.memory = m;
        this.desc = d;
        this.avail = a;
        this.used = u;
        return true;
    }

    public int index() {
        return index;
    }

    public int size() {
        return size;
    }

    /** The next available index the device would take: what {@code GET_VRING_BASE} answers once stopped. */
    public int lastAvail() {
        return lastAvail;
    }

    GuestMemory memory() {
        return memory;
    }

    /**
     * How many buffers the driver has made available and the device not yet taken; reads {@code avail->idx} again
     * only when the last reading is used up. {@link #FAULT} if the index ran further ahead than the ring holds.
     */
    public int available() {
        int n = (availIdx - lastAvail) & 0xFFFF;
        if (n == 0) {
            availIdx = (short) U16_ORDERED.getAcquire(avail, 2L) & 0xFFFF;
            n = (availIdx - lastAvail) & 0xFFFF;
            if (n > size) {
                return fail(RingFault.AVAIL_INDEX, -1, n, size, 0, 0);
            }
        }
        return n;
    }

    /** As {@link #available}, with {@code avail->idx} read again whatever is left of the last reading. */
    public int refresh() {
        availIdx = lastAvail;
        return available();
    }

    /** The head descriptor of the next available buffer, taken; call only after {@link #available} said one is. */
    public int takeHead() {
        int head = avail.get(U16, 4 + 2L * (lastAvail & mask)) & 0xFFFF;
        if (head >= size) {
            return fail(RingFault.HEAD_OUT_OF_RANGE, head, head, size, 0, 0);
        }
        lastAvail = (lastAvail + 1) & 0xFFFF;
        return head;
    }

    /** Gives back the last {@code n} buffers taken (a frame that did not fit): they will be taken again. */
    public void untake(int n) {
        lastAvail = (lastAvail - n) & 0xFFFF;
    }

    /**
     * Copies the device-readable chain from descriptor {@code head} into {@code dst[at ..]}, at most {@code max}
     * bytes. Every descriptor is checked, also past {@code max}.
     *
     * @return the chain's whole length (more than {@code max} if it did not fit), or {@link #FAULT}
     */
    public long readChain(int head, MemorySegment dst, long at, long max) {
        long total = 0;
        int i = head;
        for (int n = 1; ; n++) {
            if (n > size) {
                return fail(RingFault.CHAIN_LOOP, head, n, size, 0, 0);
            }
            long d = (long) DESC_SIZE * i;
            long address = desc.get(U64, d);
            long length = desc.get(U32, d + 8) & 0xFFFF_FFFFL;
            int flags = desc.get(U16, d + 12) & 0xFFFF;
            if ((flags & F_INDIRECT) != 0) {
                return fail(RingFault.INDIRECT, i, flags, 0, address, length);
            }
            if ((flags & F_WRITE) != 0) {
                return fail(RingFault.WRITABLE_ON_TX, i, flags, 0, address, length);
            }
            long copy = Math.min(length, Math.max(0, max - total));
            if (copy > 0 && !memory.copyFromGuest(address, copy, dst, at + total)
                || copy < length && !memory.containsGuest(address + copy, length - copy)) {
                return fail(RingFault.OUTSIDE_MEMORY, i, 0, 0, address, length);
            }
            total += length; // at most size * 4 GiB: no overflow
            if ((flags & F_NEXT) == 0) {
                return total;
            }
            int next = desc.get(U16, d + 14) & 0xFFFF;
            if (next >= size) {
                return fail(RingFault.NEXT_OUT_OF_RANGE, i, next, size, 0, 0);
            }
            i = next;
        }
    }

    /**
     * Writes {@code length} bytes from {@code src[from ..]} into the device-writable chain from descriptor
     * {@code head}, in order, as far as the chain holds.
     *
     * @return the bytes written (less than {@code length} if the chain is smaller), or {@link #FAULT}
     */
    public long writeChain(int head, MemorySegment src, long from, long length) {
        long written = 0;
        int i = head;
        for (int n = 1; ; n++) {
            if (n > size) {
                return fail(RingFault.CHAIN_LOOP, head, n, size, 0, 0);
            }
            long d = (long) DESC_SIZE * i;
            long address = desc.get(U64, d);
            long room = desc.get(U32, d + 8) & 0xFFFF_FFFFL;
            int flags = desc.get(U16, d + 12) & 0xFFFF;
            if ((flags & F_INDIRECT) != 0) {
                return fail(RingFault.INDIRECT, i, flags, 0, address, room);
            }
            if ((flags & F_WRITE) == 0) {
                return fail(RingFault.READ_ONLY_ON_RX, i, flags, 0, address, room);
            }
            long copy = Math.min(room, length - written);
            if (!memory.copyToGuest(src, from + written, address, copy)
                || !memory.containsGuest(address + copy, room - copy)) {
                return fail(RingFault.OUTSIDE_MEMORY, i, 0, 0, address, room);
            }
            written += copy;
            if (written == length || (flags & F_NEXT) == 0) {
                return written;
            }
            int next = desc.get(U16, d + 14) & 0xFFFF;
            if (next >= size) {
                return fail(RingFault.NEXT_OUT_OF_RANGE, i, next, size, 0, 0);
            }
            i = next;
        }
    }

    /**
     * Writes the 16-bit value at byte {@code offset} of the chain from {@code head} (the {@code num_buffers} field of
     * a virtio-net header, once the device knows how many buffers a frame took), byte by byte, as a header may span
     * descriptors. False (a fault recorded) if the chain is shorter or broken.
     */
    public boolean patchU16(int head, long offset, int value, MemorySegment scratch) {
        scratch.set(ValueLayout.JAVA_BYTE, 0, (byte) value);
        scratch.set(ValueLayout.JAVA_BYTE, 1, (byte) (value >>> 8));
        long skip = offset;
        int done = 0;
        int i = head;
        for (int n = 1; n <= size; n++) {
            long d = (long) DESC_SIZE * i;
            long address = desc.get(U64, d);
            long room = desc.get(U32, d + 8) & 0xFFFF_FFFFL;
            int flags = desc.get(U16, d + 12) & 0xFFFF;
            while (skip < room && done < 2) {
                if (!memory.copyToGuest(scratch, done, address + skip, 1)) {
                    fail(RingFault.OUTSIDE_MEMORY, i, 0, 0, address, room);
                    return false;
                }
                skip++;
                done++;
            }
            if (done == 2) {
                return true;
            }
            skip -= room;
            int next = desc.get(U16, d + 14) & 0xFFFF;
            if ((flags & F_NEXT) == 0 || next >= size) {
                break;
            }
            i = next;
        }
        fail(RingFault.CHANGED, head, 0, 0, 0, 0); // it held the header when it was written
        return false;
    }

    /** Puts buffer {@code head} in the used ring with {@code length} bytes written; the driver sees it once published. */
    public void pushUsed(int head, long length) {
        long e = 4 + 8L * (usedIdx & mask);
        used.set(U32, e, head);
        used.set(U32, e + 4, (int) length);
        usedIdx = (usedIdx + 1) & 0xFFFF;
    }

    /** Takes back the last {@code n} used entries, not yet published (a frame that did not fit). */
    public void unpush(int n) {
        usedIdx = (usedIdx - n) & 0xFFFF;
    }

    /** Shows the driver every used entry pushed so far ({@code used->idx}, a release store). True if there were any. */
    public boolean publishUsed() {
        if (usedIdx == publishedUsed) {
            return false;
        }
        U16_ORDERED.setRelease(used, 2L, (short) usedIdx);
        publishedUsed = usedIdx;
        signalDue = true;
        return true;
    }

    /**
     * True if the driver should be signalled now: entries were published since the last time, and it has not set
     * {@code VRING_AVAIL_F_NO_INTERRUPT}. Clears the pending signal either way.
     */
    public boolean takeSignal() {
        if (!signalDue) {
            return false;
        }
        signalDue = false;
        VarHandle.fullFence(); // our used->idx store before the driver's flags load (§2.4.7.2)
        return (avail.get(U16, 0) & AVAIL_F_NO_INTERRUPT) == 0;
    }

    /**
     * Asks the driver to kick (true) or not to bother (false, {@code VRING_USED_F_NO_NOTIFY}) when it makes buffers
     * available. Turning kicks on is followed by a full fence, so a caller's next look at the ring sees what the
     * driver added before it read the flag (§2.4.7.2, the device side of the race).
     */
    public void kicks(boolean wanted) {
        used.set(U16, 0, (short) (wanted ? 0 : USED_F_NO_NOTIFY));
        if (wanted) {
            VarHandle.fullFence();
        }
    }

    /** The first fault found, or null. */
    public RingFault fault() {
        return fault;
    }

    /** The fault as one sentence naming the queue. */
    public String describeFault() {
        return fault == null ? "" : "queue " + index + ": "
            + fault.describe(faultDescriptor, faultValue, faultLimit, faultAddress, faultLength, faultDetail);
    }

    /** Records that the guest's memory faulted under the switch. */
    public void memoryFault(String what) {
        fail(RingFault.MEMORY_FAULT, -1, 0, 0, 0, 0);
        faultDetail = what;
    }

    private int fail(RingFault f, int descriptor, long value, long limit, long address, long length) {
        if (fault == null) {
            fault = f;
            faultDescriptor = descriptor;
            faultValue = value;
            faultLimit = limit;
            faultAddress = address;
            faultLength = length;
        }
        return FAULT;
    }
}
