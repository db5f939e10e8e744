package io.vxswitch.vxlan;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntConsumer;

/**
 * The remote tunnel endpoints this VTEP talks to, each with a small {@code int} id: the FDB stores the id
 * of the VTEP behind a remote MAC, flood lists hold ids, and the sender reads the address back by id.
 *
 * <p>Ids are stable: an address keeps its id until it is removed. A removed id is free for reuse, lowest
 * first (ids stay dense, so per-VTEP arrays stay small), so everything holding the id must forget it
 * first: {@link #onRemove} listeners run before the id is freed (flood lists and the FDB subscribe).
 * Address → id and id → address lookups allocate nothing.
 *
 * <p>Several forwarding loops may share the registry: an address lookup takes no lock (an optimistic read, validated
 * as in the FDB), registering and removing take a write lock, and each loop counts packets in its own lane's
 * counters.
 */
public final class RemoteVteps {
    public static final int NONE = -1;

    private final int capacity;
    private final AddressIndex index;
    private final long[] highs;
    private final long[] lows;
    private final BitSet used;
    /**
     * Packets per remote VTEP id ({@link PeerCounter}: decapsulated from it, encapsulated to it), a row per lane:
     * each lane's row is written by that lane's thread only, and padded off the others' cache lines.
     */
    private final CounterSet counts;
    private final CounterLane[] lanes;
    private final List<IntConsumer> removeListeners = new ArrayList<>();
    private final StampedLock lock = new StampedLock();
    private volatile int size;

    private static final int RX = PeerCounter.RX_PACKETS.ordinal();
    private static final int TX = PeerCounter.TX_PACKETS.ordinal();

    /** A registry for at most {@code capacity} remote VTEPs (ids 0..capacity-1), counted by one lane. */
    public RemoteVteps(int capacity) {
        this(capacity, 1);
    }

    /** A registry for at most {@code capacity} remote VTEPs, counted by {@code lanes} forwarding loops. */
    public RemoteVteps(int capacity, int lanes) {
        if (capacity < 1 || capacity > 1 << 20) {
            throw new IllegalArgumentException("remote VTEP capacity " + capacity + " out of range 1..1048576");
        }
        this.capacity = capacity;
        this.index = new AddressIndex(capacity);
        this.highs = new long[capacity];
        this.lows = new long[capacity];
        this.used = new BitSet(capacity);
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1, got " + lanes);
        }
        this.counts = new CounterSet(List.of(PeerCounter.values()), capacity, lanes);
        this.lanes = new CounterLane[lanes];
        for (int i = 0; i < lanes; i++) {
            this.lanes[i] = counts.writer(i);
        }
    }

    /** Counts {@code packets} decapsulated from VTEP {@code id} by lane {@code lane} (more than one: coalesced). */
    public void countRx(int lane, int id, int packets) {
        lanes[lane].add(id, RX, packets);
    }

    /** Counts {@code packets} encapsulated to VTEP {@code id} by lane {@code lane} (a super-frame's segments). */
    public void countTx(int lane, int id, int packets) {
        lanes[lane].add(id, TX, packets);
    }

    public long rxPackets(int id) {
        return counts.get(id, RX);
    }

    public long txPackets(int id) {
        return counts.get(id, TX);
    }

    /** The per-VTEP counts, an instance per id: what the {@link Vtep} registers for its tunnel. */
    public CounterSet counters() {
        return counts;
    }

    /** The ids in use, lowest first. */
    public int[] ids() {
        return used.stream().toArray();
    }

    /**
     * The id of {@code address}, registering it if new.
     *
     * @throws IllegalArgumentException for a multicast or unspecified address (not a tunnel endpoint)
     * @throws IllegalStateException when the registry is full
     */
    public int register(VtepAddress address) {
        long w = lock.writeLock();
        try {
            return registerLocked(address);
        } finally {
            lock.unlockWrite(w);
        }
    }

    private int registerLocked(VtepAddress address) {
        int existing = index.get(address.high(), address.low());
        if (existing != AddressIndex.MISSING) {
            return existing;
        }
        if (address.isMulticast() || address.isUnspecified()) {
            throw new IllegalArgumentException("remote VTEP " + address + " is not a unicast address"
                + (address.isMulticast() ? " (a multicast group goes in the flood list as the VNI's group)" : ""));
        }
        int id = used.nextClearBit(0);
        if (id >= capacity) {
            throw new IllegalStateException("cannot add remote VTEP " + address + ": all " + capacity
                + " ids are in use (remove unused VTEPs or raise the capacity)");
        }
        used.set(id);
        counts.reset(id);
        highs[id] = address.high();
        lows[id] = address.low();
        index.put(address.high(), address.low(), id);
        size++;
        return id;
    }

    /** The id of {@code address}, or {@link #NONE}. */
    public int idOf(VtepAddress address) {
        return idOf(address.high(), address.low());
    }

    /** The id of an IPv4 VTEP, e.g. the outer source of a received packet, or {@link #NONE}. No allocation. */
    public int idOfIpv4(int address) {
        return idOf(0, 0x0000_FFFF_0000_0000L | (address & 0xFFFF_FFFFL));
    }

    /** The id of a VTEP given as 128 bits ({@link VtepAddress} form), or {@link #NONE}. No allocation, no lock. */
    public int idOf(long high, long low) {
        for (int tries = 0; tries < 4; tries++) {
            long stamp = lock.tryOptimisticRead();
            int id = index.get(high, low);
            if (lock.validate(stamp)) {
                return id;
            }
        }
        long r = lock.readLock();
        try {
            return index.get(high, low);
        } finally {
            lock.unlockRead(r);
        }
    }

    public boolean contains(int id) {
        return id >= 0 && id < capacity && used.get(id);
    }

    /** The address of {@code id}, or null if the id is free. */
    public VtepAddress address(int id) {
        return contains(id) ? new VtepAddress(highs[id], lows[id]) : null;
    }

    public boolean isIpv4(int id) {
        return VtepAddress.isIpv4(highs[id], lows[id]);
    }

    /** The IPv4 address of {@code id} (when {@link #isIpv4}); no allocation. */
    public int ipv4(int id) {
        return (int) lows[id];
    }

    public long high(int id) {
        return highs[id];
    }

    public long low(int id) {
        return lows[id];
    }

    /** Removes {@code address}; returns the id it had, or {@link #NONE}. Listeners run first. */
    public int remove(VtepAddress address) {
        long w = lock.writeLock();
        try {
            int id = index.get(address.high(), address.low());
            if (id == AddressIndex.MISSING) {
                return NONE;
            }
            for (IntConsumer listener : removeListeners) {
                listener.accept(id);
            }
            index.remove(address.high(), address.low());
            used.clear(id);
            size--;
            return id;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /**
     * Makes {@code sw} name this table's VTEPs by address in its traces and listings, and forget the MACs learned
     * behind a VTEP when it is removed: the switch's side of the tunnel, wired once by whoever builds the tunnel.
     */
    public void serve(Switch sw) {
        sw.setRemoteNamer(id -> contains(id) ? address(id).toString() : "#" + id);
        onRemove(id -> sw.fdb().removeRemote(id));
    }

    /** Runs {@code listener} with the id of each VTEP about to be removed, before its id can be reused. */
    public void onRemove(IntConsumer listener) {
        removeListeners.add(listener);
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return capacity;
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("RemoteVteps{");
        for (int id = used.nextSetBit(0); id >= 0; id = used.nextSetBit(id + 1)) {
            out.append(out.length() > 12 ? ", " : "").append(id).append('=').append(address(id));
        }
        return out.append('}').toString();
    }
}
