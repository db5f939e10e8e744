package io.vxswitch.ipfix;

import io.vxswitch.forwarding.flow.FlowObservation;
import org.agrona.DirectBuffer;

/**
 * The exporter's flow cache: one entry per flow key (MACs, VLAN, IP addresses, protocol, ports, ingress and egress
 * port, tunnel or not), counting packets and bytes between its first and last frame. Owned by the exporter thread
 * alone: no locks. Bounded: at most {@code capacity} entries, kept in primitive arrays allocated once.
 *
 * <p>Hard cases, decided here:
 * <ul>
 * <li>Expiry needs no timer per entry (Open vSwitch's MAC table does the same): entries are on two lists, by last
 *     frame (moved to the head on each frame) and by first frame (never moved); the idle timeout walks the first
 *     from its old end, the active timeout the second, each stopping at the first entry not yet due. A sweep costs
 *     what it expires. This takes frames to arrive in about time order, which they do: each lane's ring is in its
 *     own order, and the exporter drains every ring each turn, so lanes differ by a turn at most.</li>
 * <li>A flow past its active timeout is exported and removed; its next frame starts a new record, so a long flow
 *     reaches the collector as a series of deltas (packetDeltaCount, RFC 7011's model of a long-lived flow).</li>
 * <li>Full: the entry seen least recently is exported early (flowEndReason "lack of resources") and counted, rather
 *     than the new flow being lost: the collector gets every frame, in more records.</li>
 * <li>The key is hashed with a per-cache secret, so traffic cannot be crafted to collide in the index.</li>
 * </ul>
 */
public final class FlowCache {
    /** Where expired and evicted flows go; the entry is valid until the call returns. */
    public interface Sink {
        void export(FlowCache cache, int entry, FlowEndReason reason);
    }

    private static final int KEY_LONGS = 8;
    private static final int NONE = -1;

    private final int capacity;
    private final long secret;
    private final long[] keys;
    private final long[] packets;
    private final long[] layer2Octets;
    private final long[] octets;
    private final long[] first;
    private final long[] last;
    /** Recently seen list: head is the latest frame. */
    private final int[] seenPrev;
    private final int[] seenNext;
    /** Creation list: head is the newest flow. */
    private final int[] bornPrev;
    private final int[] bornNext;
    /** Open addressing, linear probing: entry + 1, 0 for an empty slot. Twice the entries, so probes stay short. */
    private final int[] index;
    private final int mask;
    private final int[] freeNext;
    private int freeHead;
    private int seenHead = NONE;
    private int seenTail = NONE;
    private int bornHead = NONE;
    private int bornTail = NONE;
    private int size;
    private long created;
    private long evicted;

    public FlowCache(int capacity, long secret) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a flow cache needs room for at least one flow, got " + capacity);
        }
        this.capacity = capacity;
        this.secret = secret;
        keys = new long[capacity * KEY_LONGS];
        packets = new long[capacity];
        layer2Octets = new long[capacity];
        octets = new long[capacity];
        first = new long[capacity];
        last = new long[capacity];
        seenPrev = new int[capacity];
        seenNext = new int[capacity];
        bornPrev = new int[capacity];
        bornNext = new int[capacity];
        freeNext = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            freeNext[i] = i + 1 < capacity ? i + 1 : NONE;
        }
        freeHead = 0;
        int slots = Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1;
        index = new int[slots];
        mask = slots - 1;
    }

    /**
     * Counts one observation (as {@link FlowObservation} lays it out at {@code at}) into its flow, creating the flow
     * if new; a full cache first exports its least recently seen flow to {@code sink}.
     */
    public void add(DirectBuffer b, int at, Sink sink) {
        long k0 = FlowObservation.srcMac(b, at);
        long k1 = FlowObservation.dstMac(b, at);
        long k2 = FlowObservation.srcIpHigh(b, at);
        long k3 = FlowObservation.srcIpLow(b, at);
        long k4 = FlowObservation.dstIpHigh(b, at);
        long k5 = FlowObservation.dstIpLow(b, at);
        long k6 = (long) FlowObservation.vlan(b, at) << 48 | (long) FlowObservation.flags(b, at) << 40
            | (long) FlowObservation.protocol(b, at) << 32 | (long) FlowObservation.srcPort(b, at) << 16
            | FlowObservation.dstPort(b, at);
        long k7 = (long) FlowObservation.ingress(b, at) << 32 | (FlowObservation.egress(b, at) & 0xFFFFFFFFL);
        long time = FlowObservation.time(b, at);
        int slot = slot(hash(k0, k1, k2, k3, k4, k5, k6, k7));
        int e;
        while ((e = index[slot] - 1) != NONE) {
            int k = e * KEY_LONGS;
            if (keys[k] == k0 && keys[k + 1] == k1 && keys[k + 2] == k2 && keys[k + 3] == k3 && keys[k + 4] == k4
                && keys[k + 5] == k5 && keys[k + 6] == k6 && keys[k + 7] == k7) {
                break;
            }
            slot = (slot + 1) & mask;
        }
        if (e == NONE) {
            if (size == capacity) {
                int oldest = seenTail;
                evicted++;
                sink.export(this, oldest, FlowEndReason.LACK_OF_RESOURCES);
                remove(oldest);
                add(b, at, sink); // the index changed under the probe: look again (now there is room)
                return;
            }
            e = freeHead;
            freeHead = freeNext[e];
            int k = e * KEY_LONGS;
            keys[k] = k0;
            keys[k + 1] = k1;
            keys[k + 2] = k2;
            keys[k + 3] = k3;
            keys[k + 4] = k4;
            keys[k + 5] = k5;
            keys[k + 6] = k6;
            keys[k + 7] = k7;
            packets[e] = 0;
            layer2Octets[e] = 0;
            octets[e] = 0;
            first[e] = time;
            last[e] = time;
            index[slot] = e + 1;
            size++;
            created++;
            linkBorn(e);
        } else {
            unlinkSeen(e);
        }
        linkSeen(e);
        packets[e]++;
        layer2Octets[e] += FlowObservation.frameLength(b, at);
        octets[e] += FlowObservation.ipLength(b, at);
        if (time > last[e]) { // lanes' clocks are one clock, but their rings are drained one after the other
            last[e] = time;
        }
        if (time < first[e]) {
            first[e] = time;
        }
    }

    /**
     * Exports and removes every flow idle for {@code idleNanos} or older than {@code activeNanos} at {@code now};
     * returns how many.
     */
    public int expire(long now, long idleNanos, long activeNanos, Sink sink) {
        int n = 0;
        while (seenTail != NONE && now - last[seenTail] >= idleNanos) {
            int e = seenTail;
            sink.export(this, e, FlowEndReason.IDLE_TIMEOUT);
            remove(e);
            n++;
        }
        while (bornTail != NONE && now - first[bornTail] >= activeNanos) {
            int e = bornTail;
            sink.export(this, e, FlowEndReason.ACTIVE_TIMEOUT);
            remove(e);
            n++;
        }
        return n;
    }

    /** Exports and removes every flow with {@code reason} (the exporter stops); returns how many. */
    public int flush(FlowEndReason reason, Sink sink) {
        int n = 0;
        while (bornTail != NONE) {
            int e = bornTail;
            sink.export(this, e, reason);
            remove(e);
            n++;
        }
        return n;
    }

    private void remove(int e) {
        int k = e * KEY_LONGS;
        int slot = slot(hash(keys[k], keys[k + 1], keys[k + 2], keys[k + 3], keys[k + 4], keys[k + 5], keys[k + 6],
            keys[k + 7]));
        while (index[slot] != e + 1) {
            slot = (slot + 1) & mask;
        }
        // backward-shift deletion (Knuth 6.4, algorithm R): no tombstones, probe chains stay whole
        int hole = slot;
        int next = (hole + 1) & mask;
        while (index[next] != 0) {
            int m = index[next] - 1;
            int mk = m * KEY_LONGS;
            int home = slot(hash(keys[mk], keys[mk + 1], keys[mk + 2], keys[mk + 3], keys[mk + 4], keys[mk + 5],
                keys[mk + 6], keys[mk + 7]));
            if (((next - home) & mask) >= ((next - hole) & mask)) { // home is not between hole and next: move it
                index[hole] = index[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        index[hole] = 0;
        unlinkSeen(e);
        unlinkBorn(e);
        freeNext[e] = freeHead;
        freeHead = e;
        size--;
    }

    private long hash(long k0, long k1, long k2, long k3, long k4, long k5, long k6, long k7) {
        long h = secret;
        h = mix(h ^ k0);
        h = mix(h ^ k1);
        h = mix(h ^ k2);
        h = mix(h ^ k3);
        h = mix(h ^ k4);
        h = mix(h ^ k5);
        h = mix(h ^ k6);
        return mix(h ^ k7);
    }

    private static long mix(long h) {
        h *= 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29);
    }

    private int slot(long hash) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    private void linkSeen(int e) {
        seenPrev[e] = NONE;
        seenNext[e] = seenHead;
        if (seenHead != NONE) {
            seenPrev[seenHead] = e;
        }
        seenHead = e;
        if (seenTail == NONE) {
            seenTail = e;
        }
    }

    private void unlinkSeen(int e) {
        int p = seenPrev[e];
        int n = seenNext[e];
        if (p != NONE) {
            seenNext[p] = n;
        } else {
            seenHead = n;
        }
        if (n != NONE) {
            seenPrev[n] = p;
        } else {
            seenTail = p;
        }
    }

    private void linkBorn(int e) {
        bornPrev[e] = NONE;
        bornNext[e] = bornHead;
        if (bornHead != NONE) {
            bornPrev[bornHead] = e;
        }
        bornHead = e;
        if (bornTail == NONE) {
            bornTail = e;
        }
    }

    private void unlinkBorn(int e) {
        int p = bornPrev[e];
        int n = bornNext[e];
        if (p != NONE) {
            bornNext[p] = n;
        } else {
            bornHead = n;
        }
        if (n != NONE) {
            bornPrev[n] = p;
        } else {
            bornTail = p;
        }
    }

    /** Fills {@code r} with entry {@code e}'s key and counts (times as the lanes' nanoseconds; the caller converts). */
    public void read(int e, FlowRecord r) {
        int k = e * KEY_LONGS;
        int flags = (int) (keys[k + 6] >>> 40) & 0xFF;
        r.kind = (flags & FlowObservation.FLAG_IPV4) != 0 ? FlowRecord.Kind.IPV4
            : (flags & FlowObservation.FLAG_IPV6) != 0 ? FlowRecord.Kind.IPV6 : FlowRecord.Kind.L2;
        r.srcMac = keys[k];
        r.dstMac = keys[k + 1];
        r.srcIpHigh = keys[k + 2];
        r.srcIpLow = keys[k + 3];
        r.dstIpHigh = keys[k + 4];
        r.dstIpLow = keys[k + 5];
        r.vlan = (int) (keys[k + 6] >>> 48) & 0xFFFF;
        r.protocol = (int) (keys[k + 6] >>> 32) & 0xFF;
        r.srcPort = (int) (keys[k + 6] >>> 16) & 0xFFFF;
        r.dstPort = (int) keys[k + 6] & 0xFFFF;
        r.packets = packets[e];
        r.layer2Octets = layer2Octets[e];
        r.octets = octets[e];
        r.startMillis = first[e];
        r.endMillis = last[e];
    }

    /** True if the flow came from or went into a tunnel port. */
    public boolean tunnel(int e) {
        return ((keys[e * KEY_LONGS + 6] >>> 40) & FlowObservation.FLAG_TUNNEL) != 0;
    }

    public int ingressPort(int e) {
        return (int) (keys[e * KEY_LONGS + 7] >>> 32);
    }

    /** The one egress port, or {@link FlowObservation#NO_SINGLE_EGRESS}. */
    public int egressPort(int e) {
        return (int) keys[e * KEY_LONGS + 7];
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    /** Flows created since the cache was made. */
    public long created() {
        return created;
    }

    /** Flows exported early to make room. */
    public long evicted() {
        return evicted;
    }
}
