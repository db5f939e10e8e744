package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocketPool;

import java.lang.foreign.MemorySegment;

/**
 * A tunnel port's transmit side below VXLAN: {@code sendmmsg} batches going round a {@link SlotRing}, so the
 * forwarding agent fills one while the sender sends another. Messages are packed into a batch's buffer, each on a
 * cache line of its own; a UDP GSO message (a train of VXLAN datagrams) takes many datagrams' room. A message the
 * kernel refuses is counted by its datagrams; a refused GSO message turns GSO off for good, with a notice.
 */
final class TunnelTxQueue implements AutoCloseable {
    static final int BATCH = 64;
    static final int SLOTS = 4;

    private final UdpSocketPool sockets;
    private final SlotRing ring = new SlotRing(SLOTS);
    private final UdpBatch[] tx = new UdpBatch[SLOTS];
    private final int[] counts = new int[SLOTS];
    /** Bytes used in each batch's buffer. */
    private final long[] fillBytes = new long[SLOTS];
    /** Datagrams in each message of each batch (more than 1 for a GSO message), to count what is refused. */
    private final int[][] datagrams = new int[SLOTS][BATCH];
    /** UDP GSO: on where the sockets take it, off for good after the kernel refuses a send. */
    private volatile boolean gso;
    private volatile String notice;
    // forwarding agent
    private int filling = -1;
    /** Counts the batches started, so that a message index can be told to belong to the batch still being filled. */
    private long started;
    // sender
    private long refused;

    TunnelTxQueue(UdpSocketPool sockets, int slotSize) {
        this.sockets = sockets;
        for (int s = 0; s < SLOTS; s++) {
            tx[s] = new UdpBatch(BATCH, slotSize);
        }
        this.gso = sockets.supportsSegmentation();
    }

    void attach(Backpressure backpressure, PortDevice device) {
        ring.attach(backpressure, device);
    }

    /** True while UDP GSO is on. */
    boolean gso() {
        return gso;
    }

    /**
     * Agent: message index in the batch being filled, with {@code bytes} of room at {@link #offset()} (the next batch
     * is started when this one is out of messages or room), or -1 if every batch waits for the sender.
     */
    int claim(int bytes) {
        if (filling >= 0 && (counts[filling] == BATCH || fillBytes[filling] + bytes > tx[filling].dataSize())) {
            publish();
        }
        if (filling < 0) {
            filling = ring.claim();
            if (filling < 0) {
                return -1;
            }
            counts[filling] = 0;
            fillBytes[filling] = 0;
            started++;
        }
        return counts[filling];
    }

    /** Agent: which batch is being filled, as a count of the batches started (0 before the first). */
    long batchStarted() {
        return started;
    }

    /**
     * Agent: true if a message of {@code bytes} may be written at {@code offset} of the batch being filled, past the
     * end of its last message ({@link #commitAt}): it has room for the bytes and for one more message.
     */
    boolean roomAt(long offset, int bytes) {
        return filling >= 0 && counts[filling] < BATCH && offset + bytes <= tx[filling].dataSize();
    }

    /** Agent, after {@link #roomAt} said yes: the index the next message of the batch being filled takes. */
    int nextMessage() {
        return counts[filling];
    }

    /** Agent, after {@link #claim}: the batch being filled. */
    UdpBatch batch() {
        return tx[filling];
    }

    /** Agent, after {@link #claim}: where the claimed message starts in {@link #batch()}'s buffer. */
    long offset() {
        return fillBytes[filling];
    }

    MemorySegment buffer() {
        return tx[filling].buffer();
    }

    /** Agent: message {@code at}, {@code bytes} long and holding {@code datagrams} datagrams, is complete. */
    void commit(int at, int bytes, int datagrams) {
        commitAt(at, fillBytes[filling], bytes, datagrams);
    }

    /**
     * Agent: message {@code at}, written at {@code offset} (where {@link #claim} said, or right after the last message,
     * see {@link #roomAt}), {@code bytes} long and holding {@code datagrams} datagrams, is complete.
     */
    void commitAt(int at, long offset, int bytes, int datagrams) {
        this.datagrams[filling][at] = datagrams;
        counts[filling] = at + 1;
        fillBytes[filling] = (offset + bytes + 63) & ~63; // the next message starts on a cache line
    }

    /** Agent: the last message, {@code at}, took one more datagram (a UDP GSO segment) and now ends at {@code end}. */
    void grow(int at, long end) {
        datagrams[filling][at]++;
        fillBytes[filling] = (end + 63) & ~63;
    }

    /** Agent: hands the batch being filled to the sender; true if it had any message. */
    boolean publish() {
        if (filling < 0 || counts[filling] == 0) {
            return false;
        }
        ring.publish();
        filling = -1;
        return true;
    }

    /** Sender: one {@code sendmmsg} per published batch; returns the messages handed over. */
    int transmit() {
        int total = 0;
        for (int s = ring.next(); s >= 0; s = ring.next()) {
            int count = counts[s];
            UdpBatch b = tx[s];
            int sent = sockets.send(b, count);
            if (sent < count) {
                countRefused(b, count, datagrams[s]);
            }
            ring.release();
            total += count;
        }
        return total;
    }

    /** Counts the datagrams of the messages the kernel refused; a refused GSO message turns GSO off, once. */
    private void countRefused(UdpBatch b, int count, int[] datagramsOf) {
        for (int m = 0; m < count; m++) {
            int r = b.sendResult(m);
            if (r > 0) {
                continue;
            }
            refused += datagramsOf[m];
            if (b.segmentSize(m) > 0 && gso && (r == -Errno.EIO || r == -Errno.EINVAL)) {
                gso = false; // the agent sends one datagram per segment from its next frame on
                notice = "the kernel refused a UDP GSO send (" + Errno.name(-r) + "; kernels before 6.10 do where "
                    + "the underlay device cannot checksum UDP); " + datagramsOf[m] + " datagrams lost, one datagram"
                    + " per segment from now on";
            }
        }
    }

    /** Any thread: true while a published batch waits for the sender. */
    boolean hasPending() {
        return ring.hasPublished();
    }

    /** Datagrams the kernel refused. */
    long refused() {
        return refused;
    }

    /** The GSO notice, once; null when there is nothing new. */
    String takeNotice() {
        String n = notice;
        if (n != null) {
            notice = null;
        }
        return n;
    }

    @Override
    public void close() {
        for (UdpBatch b : tx) {
            b.close();
        }
    }
}
