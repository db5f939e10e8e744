package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The frames one forwarding agent copies for a {@link PortCapture}: a ring of fixed slots with one writer (the agent)
 * and one reader, one volatile write per frame each way. When the reader falls behind, frames are dropped and counted
 * (as a kernel capture buffer does), never waited for.
 */
final class CaptureRing implements AutoCloseable {
    private final int slots;
    private final int snaplen;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment data;
    private final long[] times;
    private final int[] captured;
    private final int[] lengths;
    private volatile long written;
    private volatile long read;
    private volatile long dropped;

    CaptureRing(int slots, int snaplen) {
        this.slots = slots;
        this.snaplen = snaplen;
        this.data = arena.allocate((long) slots * snaplen, 64);
        this.times = new long[slots];
        this.captured = new int[slots];
        this.lengths = new int[slots];
    }

    /** Writer: a frame received on the port, at {@code now} ({@code System.nanoTime()}). */
    void offer(MemorySegment frame, long offset, int length, long now) {
        int slot = claim();
        if (slot < 0) {
            return;
        }
        int keep = Math.min(length, snaplen);
        MemorySegment.copy(frame, offset, data, (long) slot * snaplen, keep);
        publish(slot, keep, length, now);
    }

    /** Writer: copy {@code i} of a decision, which the switch sends to the port. */
    void offerEgress(ForwardingDecision d, int i, long now) {
        int length = d.egressLength(i);
        if (length > snaplen) {
            // the copy is written whole; a short snapshot cannot hold it: count it rather than write past the slot
            dropped = dropped + 1;
            return;
        }
        int slot = claim();
        if (slot < 0) {
            return;
        }
        d.writeEgress(i, data, (long) slot * snaplen);
        publish(slot, length, length, now);
    }

    private int claim() {
        long w = written;
        if (w - read >= slots) {
            dropped = dropped + 1;
            return -1;
        }
        return (int) (w % slots);
    }

    private void publish(int slot, int keep, int length, long now) {
        times[slot] = now;
        captured[slot] = keep;
        lengths[slot] = length;
        written = written + 1;
    }

    /** Reader: true if a frame waits. */
    boolean hasNext() {
        return read != written;
    }

    /** Reader: the time of the oldest waiting frame; only after {@link #hasNext}. */
    long nextTime() {
        return times[(int) (read % slots)];
    }

    /** Reader: copies the oldest waiting frame into {@code into} and returns its captured length. */
    int take(byte[] into) {
        int slot = (int) (read % slots);
        int keep = captured[slot];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, (long) slot * snaplen, into, 0, keep);
        return keep;
    }

    /** Reader: the original length of the frame {@link #take} copied. */
    int takenLength() {
        return lengths[(int) (read % slots)];
    }

    /** Reader: done with the frame {@link #take} copied. */
    void advance() {
        read = read + 1;
    }

    long dropped() {
        return dropped;
    }

    @Override
    public void close() {
        arena.close();
    }
}
