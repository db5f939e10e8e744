package io.vxswitch.linux.dataplane;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Outgoing frames of one port on their way from a forwarding agent to its sender: a {@link SlotRing} over
 * slots of {@code slotBytes} each, frames packed back to back, up to {@code framesPerSlot} per slot. The
 * agent {@link #reserve reserves} room, writes the frame there, {@link #commit commits} it, and {@link #publish
 * publishes} the slot at the end of its turn (or when the slot is full); the sender walks the published
 * slots' frames and {@link #release releases} them. All memory is allocated here, once.
 */
final class FrameQueue implements AutoCloseable {
    private final SlotRing ring;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final int slotBytes;
    private final int framesPerSlot;
    private final int[] counts;
    private final long[] offsets;
    private final int[] lengths;
    // producer state
    private int filling = -1;
    private long fillOffset;
    // consumer state
    private int sending = -1;

    /** Slots per port: one being filled, up to three waiting for (or in) the sender. */
    static final int SLOTS = 4;
    /** Frames per slot: what one turn of a busy port sends. */
    static final int FRAMES_PER_SLOT = 32;
    static final int MIN_SLOT_BYTES = 64 * 1024;

    /** A queue for a port whose frames are at most {@code maxFrame} bytes. */
    static FrameQueue forFrames(int maxFrame) {
        return new FrameQueue(SLOTS, Math.max(MIN_SLOT_BYTES, (maxFrame + 7) & ~7), FRAMES_PER_SLOT);
    }

    FrameQueue(int slots, int slotBytes, int framesPerSlot) {
        this.ring = new SlotRing(slots);
        this.slotBytes = slotBytes;
        this.framesPerSlot = framesPerSlot;
        this.buffer = arena.allocate((long) slots * slotBytes, 64);
        this.counts = new int[slots];
        this.offsets = new long[slots * framesPerSlot];
        this.lengths = new int[slots * framesPerSlot];
    }

    /** See {@link SlotRing#attach}. */
    void attach(Backpressure bp, PortDevice device) {
        ring.attach(bp, device);
    }

    /** The largest frame a slot holds. */
    int maxFrame() {
        return slotBytes;
    }

    MemorySegment buffer() {
        return buffer;
    }

    /**
     * Producer: the offset in {@link #buffer} where a frame of up to {@code length} bytes goes, or -1 when the
     * frame is larger than a slot or every slot still waits for the sender (the port's transmit queue is full,
     * after the wait {@link #attach} allows).
     */
    long reserve(int length) {
        if (length > slotBytes) {
            return -1;
        }
        if (filling >= 0) {
            long slotEnd = (long) filling * slotBytes + slotBytes;
            if (counts[filling] < framesPerSlot && fillOffset + length <= slotEnd) {
                return fillOffset;
            }
            publish();
        }
        filling = ring.claim();
        if (filling < 0) {
            return -1;
        }
        counts[filling] = 0;
        fillOffset = (long) filling * slotBytes;
        return fillOffset;
    }

    /** Producer: the frame written at the offset {@link #reserve} gave is {@code length} bytes long. */
    void commit(int length) {
        int k = filling * framesPerSlot + counts[filling]++;
        offsets[k] = fillOffset;
        lengths[k] = length;
        fillOffset += (length + 7) & ~7; // keep frames 8-byte aligned
    }

    /** Producer: hands the slot being filled (if it holds a frame) to the sender. True if one was published. */
    boolean publish() {
        if (filling < 0 || counts[filling] == 0) {
            return false;
        }
        ring.publish();
        filling = -1;
        return true;
    }

    /** Consumer: frames in the oldest published slot (taking it), or 0 when nothing waits. */
    int take() {
        sending = ring.next();
        return sending < 0 ? 0 : counts[sending];
    }

    long frameOffset(int k) {
        return offsets[sending * framesPerSlot + k];
    }

    int frameLength(int k) {
        return lengths[sending * framesPerSlot + k];
    }

    /** Consumer: the slot from {@link #take} is sent. */
    void release() {
        ring.release();
        sending = -1;
    }

    boolean hasPublished() {
        return ring.hasPublished();
    }

    @Override
    public void close() {
        arena.close();
    }
}
