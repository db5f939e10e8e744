package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Copies of one port's frames for {@code vxswitch capture}: what arrives on the port as received, what the switch
 * sends to it as it leaves (tag pushed or popped). Each forwarding agent that reads the port writes into a
 * {@link CaptureRing} of its own (no two threads write one ring); the one reader merges the rings by time, so the
 * capture is in order per flow (a flow stays on one agent) and by time across agents.
 *
 * <p>Only a port being captured pays anything: an agent checks one array slot per frame otherwise.
 */
public final class PortCapture implements AutoCloseable {
    public static final int SLOTS = 512;
    /** A slot holds the largest frame a port carries: 9000-byte MTU, Ethernet header, two tags. */
    public static final int MAX_SNAPLEN = 9022;

    private final int port;
    private final int snaplen;
    private final long wallOffsetNanos;
    /** One ring per forwarding lane (agent). */
    private final CaptureRing[] rings;
    private volatile boolean stopped;

    /** A capture for a dataplane with one forwarding loop. */
    public PortCapture(int port, int snaplen) {
        this(port, snaplen, 1);
    }

    /**
     * @param port    the switch port
     * @param snaplen bytes kept of each frame (1 to {@link #MAX_SNAPLEN})
     * @param loops   the dataplane's forwarding loops: each writes a ring of its own
     */
    public PortCapture(int port, int snaplen, int loops) {
        if (snaplen < 1 || snaplen > MAX_SNAPLEN) {
            throw new IllegalArgumentException("snapshot length must be 1-" + MAX_SNAPLEN + ", got " + snaplen);
        }
        if (loops < 1) {
            throw new IllegalArgumentException("a capture needs at least one loop, got " + loops);
        }
        this.port = port;
        this.snaplen = snaplen;
        this.rings = new CaptureRing[loops];
        for (int i = 0; i < loops; i++) {
            rings[i] = new CaptureRing(SLOTS, snaplen);
        }
        // pcap wants wall-clock time; the data path has System.nanoTime(): fix the offset once
        this.wallOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
    }

    public int port() {
        return port;
    }

    public int snaplen() {
        return snaplen;
    }

    /** How many loops can write into it. */
    int loops() {
        return rings.length;
    }

    /** The ring forwarding lane {@code lane} writes into. */
    CaptureRing ring(int lane) {
        return rings[lane];
    }

    /** Reader: a frame taken from the rings, or {@link #next} returned false. */
    public record Frame(long wallNanos, int captured, int length) {
    }

    /**
     * Reader: copies the oldest waiting frame of all loops into {@code into} (at least {@link #snaplen()} bytes) and
     * describes it, or returns null if none waits.
     */
    public Frame next(byte[] into) {
        CaptureRing oldest = null;
        for (CaptureRing r : rings) {
            if (r.hasNext() && (oldest == null || r.nextTime() - oldest.nextTime() < 0)) {
                oldest = r;
            }
        }
        if (oldest == null) {
            return null;
        }
        long time = oldest.nextTime();
        int keep = oldest.take(into);
        Frame f = new Frame(time + wallOffsetNanos, keep, oldest.takenLength());
        oldest.advance();
        return f;
    }

    /** Frames lost because the reader fell behind (or a copy was longer than the snapshot length). */
    public long dropped() {
        long sum = 0;
        for (CaptureRing r : rings) {
            sum += r.dropped();
        }
        return sum;
    }

    /** True once the dataplane has detached it (stopped by the reader, or the switch is stopping). */
    public boolean stopped() {
        return stopped;
    }

    void markStopped() {
        stopped = true;
    }

    /** Frees the rings; only after the dataplane detached it. */
    @Override
    public void close() {
        for (CaptureRing r : rings) {
            r.close();
        }
    }
}
