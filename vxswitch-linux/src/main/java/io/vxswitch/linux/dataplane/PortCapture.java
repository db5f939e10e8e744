package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies of one port's frames for {@code vxswitch capture}: what arrives on the port as received, what the switch
 * sends to it as it leaves (tag pushed or popped). The switch loop offers frames; one reader takes them. A ring of
 * fixed slots, one volatile write per frame each way; when the reader falls behind, frames are dropped and counted
 * (as a kernel capture buffer does), never waited for.
 *
 * <p>Only a port being captured pays anything: the switch loop checks one array slot per frame otherwise.
 */
public final class PortCapture implements AutoCloseable {
    public static final int SLOTS = 512;
    /** A slot holds the largest frame a port carries: 9000-byte MTU, Ethernet header, two tags. */
    public static final int MAX_SNAPLEN = 9022;

    private final int port;
    private final int snaplen;
    private final long wallOffsetNanos;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment data;
    private final long[] times = new long[SLOTS];
    private final int[] captured = new int[SLOTS];
    private final int[] lengths = new int[SLOTS];
    private volatile long written;
    private volatile long read;
    private long dropped;
    private volatile boolean stopped;

    /**
     * @param port    the switch port
     * @param snaplen bytes kept of each frame (1 to {@link #MAX_SNAPLEN})
     */
    public PortCapture(int port, int snaplen) {
        if (snaplen < 1 || snaplen > MAX_SNAPLEN) {
            throw new IllegalArgumentException("snapshot length must be 1-" + MAX_SNAPLEN + ", got " + snaplen);
        }
        this.port = port;
        this.snaplen = snaplen;
        this.data = arena.allocate((long) SLOTS * snaplen, 64);
        // pcap wants wall-clock time; the data path has System.nanoTime(): fix the offset once
        this.wallOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    public int port() {
        return port;
    }

    public int snaplen() {
        return snaplen;
    }

    /** Switch loop: a frame received on the port. */
    void offer(MemorySegment frame, long offset, int length, long now) {
        int slot = claim();
        if (slot < 0) {
            return;
        }
        int keep = Math.min(length, snaplen);
        MemorySegment.copy(frame, offset, data, (long) slot * snaplen, keep);
        publish(slot, keep, length, now);
    }

    /** Switch loop: copy {@code i} of a decision, which the switch sends to the port. */
    void offerEgress(ForwardingDecision d, int i, long now) {
        int length = d.egressLength(i);
        if (length > snaplen) {
            // the copy is written whole; a short snapshot cannot hold it: count it rather than write past the slot
            dropped++;
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
        if (w - read >= SLOTS) {
            dropped++;
            return -1;
        }
        return (int) (w % SLOTS);
    }

    private void publish(int slot, int keep, int length, long now) {
        times[slot] = now + wallOffsetNanos;
        captured[slot] = keep;
        lengths[slot] = length;
        written = written + 1;
    }

    /** Reader: a frame taken from the ring, or {@link #next} returned false. */
    public record Frame(long wallNanos, int captured, int length) {
    }

    /**
     * Reader: copies the oldest waiting frame into {@code into} (at least {@link #snaplen()} bytes) and describes it,
     * or returns null if none waits.
     */
    public Frame next(byte[] into) {
        long r = read;
        if (r == written) {
            return null;
        }
        int slot = (int) (r % SLOTS);
        int keep = captured[slot];
        MemorySegment.copy(data, ValueLayout.JAVA_BYTE, (long) slot * snaplen, into, 0, keep);
        Frame f = new Frame(times[slot], keep, lengths[slot]);
        read = r + 1;
        return f;
    }

    /** Frames lost because the reader fell behind (or a copy was longer than the snapshot length). */
    public long dropped() {
        return dropped;
    }

    /** True once the dataplane has detached it (stopped by the reader, or the switch is stopping). */
    public boolean stopped() {
        return stopped;
    }

    void markStopped() {
        stopped = true;
    }

    /** Frees the ring; only after the dataplane detached it. */
    @Override
    public void close() {
        arena.close();
    }
}
