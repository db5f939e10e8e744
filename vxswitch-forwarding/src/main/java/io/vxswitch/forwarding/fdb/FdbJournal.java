package io.vxswitch.forwarding.fdb;

import io.vxswitch.packet.MacAddress;

/**
 * The FDB's changes for a control plane: every change of a learned entry's existence or place (learned, moved, aged,
 * evicted, flushed, removed, replaced by a static or EVPN entry), in order, so that a BGP EVPN speaker can advertise
 * the MACs that are local and withdraw those that are not any more (RFC 7432 §9.2.1). An EVPN entry that a frame moves
 * to a local port becomes a learned entry there: a {@link Kind#MOVED} event.
 *
 * <p>A bounded ring of primitive arrays: nothing allocates per event. Written by the FDB under its write lock (every
 * such change holds it already), so by one writer at a time, and read by {@link #drain} without any FDB lock: a
 * single-producer single-consumer ring whose two positions are volatile, each written by one side only. Taking the
 * write lock to drain would instead fail every lookup and refresh in flight on the forwarding lanes, and would hold
 * them off while the visitor runs. When the ring is full new events are dropped and the next drain asks the reader to
 * {@link Visitor#resync}; a new journal starts that way too, since its reader knows nothing yet.
 */
public final class FdbJournal {
    /** Largest ring: 16 M events, 17 bytes each. */
    public static final int MAX_CAPACITY = 1 << 24;

    /** What happened to a learned entry. */
    public enum Kind {
        /** A MAC learned where it was seen: now local on that port (or behind that remote VTEP). */
        LEARNED,
        /** A learned MAC, or an EVPN entry, now learned on another port or behind another remote VTEP. */
        MOVED,
        /** A learned entry gone (aged, evicted, flushed, removed, or replaced by a static or EVPN entry). */
        REMOVED
    }

    /** Receives the journal's events, oldest first. */
    public interface Visitor {
        /**
         * Events were dropped (the ring was full) or the journal is new: forget what the events said so far and rescan
         * the learned entries with {@link Fdb#forEach} (from here or right after the drain). The events that follow
         * may repeat changes the rescan already shows; applied in order they end in the table's state.
         */
        void resync();

        /**
         * One change: {@code port} and {@code remote} are where the MAC is now learned ({@link Kind#LEARNED}, {@link
         * Kind#MOVED}) or where it was ({@link Kind#REMOVED}).
         */
        void event(Kind kind, int vlan, long mac, int port, int remote);
    }

    private static final Kind[] KINDS = Kind.values();

    private final int capacity;
    private final byte[] kinds;
    private final long[] keys;
    private final int[] ports;
    private final int[] remotes;
    /** Events recorded so far; written by the FDB's writers (one at a time, under its lock). */
    private volatile long written;
    /** Events handed to the reader so far; written by the reader only. */
    private volatile long read;
    /** Set by a writer that dropped an event, cleared by the reader when it tells its visitor to resync. */
    private volatile boolean lost = true;

    FdbJournal(int capacity) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("FDB journal capacity must be 1-" + MAX_CAPACITY + " events, got "
                + capacity);
        }
        this.capacity = capacity;
        kinds = new byte[capacity];
        keys = new long[capacity];
        ports = new int[capacity];
        remotes = new int[capacity];
    }

    public int capacity() {
        return capacity;
    }

    /** Records one change of the entry with {@code key} (vlan << 48 | mac); under the FDB's write lock. */
    void record(Kind kind, long key, int port, int remote) {
        long w = written;
        if (w - read >= capacity) {
            lost = true; // the reader is a ring behind: it rescans instead
            return;
        }
        int i = (int) (w % capacity);
        kinds[i] = (byte) kind.ordinal();
        keys[i] = key;
        ports[i] = port;
        remotes[i] = remote;
        written = w + 1; // publishes the slot
    }

    /**
     * Hands the events recorded since the last drain to {@code visitor}, oldest first, after a {@link
     * Visitor#resync} if events were lost; from one thread at a time. Returns how many events it handed over.
     */
    int drain(Visitor visitor) {
        long r = read;
        if (lost) {
            // Cleared before the skip: a drop after this sets it again and the next drain resyncs once more. The
            // skipped events are older than the rescan, which holds the FDB's read lock after their writers let go.
            lost = false;
            r = written;
            read = r;
            visitor.resync();
        }
        long w = written;
        int handed = 0;
        try {
            while (r < w) {
                int i = (int) (r % capacity);
                Kind kind = KINDS[kinds[i]];
                long key = keys[i];
                int port = ports[i];
                int remote = remotes[i];
                r++;
                handed++;
                visitor.event(kind, (int) (key >>> 48), key & MacAddress.MASK, port, remote);
            }
        } finally {
            read = r; // frees the slots, also those of the events handed over before a visitor threw
        }
        return handed;
    }
}
