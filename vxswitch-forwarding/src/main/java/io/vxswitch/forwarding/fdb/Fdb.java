package io.vxswitch.forwarding.fdb;

import io.vxswitch.packet.MacAddress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;
import java.util.function.IntPredicate;

import static io.vxswitch.forwarding.fdb.FdbEntries.EVPN;
import static io.vxswitch.forwarding.fdb.FdbEntries.LEARNED;
import static io.vxswitch.forwarding.fdb.FdbEntries.OWNED;
import static io.vxswitch.forwarding.fdb.FdbEntries.STATIC;
import static io.vxswitch.forwarding.fdb.FdbEntries.VNIC;
import static io.vxswitch.forwarding.fdb.FdbEntries.base;

/*
 * Design, after Open vSwitch lib/mac-learning.c.
 *
 * Entries live in a fixed pool of parallel primitive arrays indexed by entry id (FdbEntries: key, port, remote VTEP,
 * type, lastSeen, moves), with a stack of free ids; FdbIndex maps the key (vlan << 48 | mac) to the id and PortLru
 * keeps each port's learned entries in recency order. Learning and lookup allocate nothing and box nothing. Time is passed
 * in (monotonic nanoseconds), never read from a clock.
 *
 * Threads: several forwarding loops share one table (the Linux bridge's model). What every frame does takes no
 * lock: a lookup, and the refresh of a source MAC already learned where it was seen, are optimistic reads
 * validated against a StampedLock's stamp, retried if a writer got in between. The refresh is one opaque write of
 * lastSeen and leaves the LRU list alone; a refreshed entry is put back in order only when it reaches the old end
 * of its list (PortLru.oldestSeen, PortLru.expired), so aging and eviction still take the least recently seen entry, exactly. A stray
 * refresh that lands on an entry released and reused meanwhile is harmless: reuse sets lastSeen to about the same
 * time. Everything that changes the table's shape (a new MAC, a move, aging, eviction, configuration) takes the
 * write lock: once per MAC per aging time, not per frame.
 *
 * Hard cases:
 *  - Hash flooding: someone sends source MACs chosen to collide. The index hashes with a per-table secret and
 *    is never more than half full, so probe chains stay short.
 *  - MAC flooding: a port sprays random source MACs to fill the table and turn known unicast into floods. Each
 *    port has a learning limit, and when the table is full the victim is the least recently seen entry of the
 *    port holding the most learned MACs (BusiestPorts keeps that port at hand in O(log ports)); a learning port
 *    tied for the most loses its own. So a port never loses a MAC to a port that holds as many or more: once a
 *    flooder holds more than any other port, it only evicts its own entries, and it can never push another
 *    port below its own count.
 *  - Aging without a timer per entry: expire() walks each port's LRU list from the old end and stops once the
 *    entry there was listed less than an aging time ago, so it costs O(ports + expired + entries put back in
 *    order), each entry in use being put back at most once per aging time. Aging is per port.
 *  - MAC moves (VM migration, NIC failover, loops): a learned MAC seen on another port moves there and the move is
 *    counted; a loop shows as a fast-rising move count. The destination port's limit still applies.
 *  - Static entries never age, move or get evicted, and are on no LRU list. Traffic from a static MAC on another
 *    port does not override it (STATIC_ENTRY). A static entry replaces a learned one with the same key.
 *  - A table full of static entries cannot make room: learning is refused (TABLE_FULL).
 *  - Churn: deletion shifts probe chains back instead of leaving tombstones, so misses stay short forever.
 *  - Left to the caller: refusing multicast source MACs, and OVS's 5 s lock after a gratuitous ARP that stops
 *    bond reflections from moving a MAC.
 *  - A refresh writes lastSeen only if it is at least refreshNanos older than the frame (1 ms in a switch, as the
 *    Linux bridge writes fdb->updated at most once a jiffy), so a busy flow does not write a shared cache line on
 *    every frame. An entry may then age out up to refreshNanos early.
 *  - A MAC flood over a port's limit is refused without the lock, once per frame; the refusal is counted in the
 *    calling lane's own cell (LaneCounts), never on a line the other lanes' lookups read.
 *
 * vNIC MACs, the Linux bridge's "local" entries: a VDS knows the MAC of each local vNIC without learning, and the
 * vNIC owns it in every VLAN: the MAC is never learned, refreshed or moved anywhere, by no frame (from an uplink, a
 * tunnel or a nested hypervisor), and it is a destination in each VLAN the vNIC's port group carries. They are
 * entries of this table, so a frame costs one probe for its source and one for its destination:
 *  - Owner entry, key (OWNER_VLAN, mac): one per vNIC with a MAC. OWNER_VLAN lies outside the 12-bit VLANs, so no
 *    frame's key can meet it. It answers "is this MAC a vNIC's, in any VLAN" and "which vNIC".
 *  - Direct entry, key (vlan, mac), type VNIC: for a vNIC whose port group carries one VLAN (access or none, the
 *    usual case), so that a lookup of its MAC is one probe like any learned MAC's.
 *  - A vNIC on a trunk gets no direct entries: one per carried VLAN would be up to 4094 per vNIC. A destination that
 *    misses in its VLAN probes the owner entry too, but only while some trunk vNIC has a MAC (VnicScopes.trunks);
 *    so an unknown destination costs two probes then, as it did with the separate table, and one otherwise.
 *  - Which VLANs a vNIC's MAC is a destination in is VnicScopes's: the switch sets it again when the port group's
 *    VLANs change, and the direct entry moves with it.
 *  - A learned or static entry whose MAC a vNIC owns is kept (fdb show lists it, a static one still steers the
 *    VLANs the vNIC does not carry, a learned one ages out) but marked OWNED. The paths that would use it see the
 *    mark and ask the owner entry: the vNIC wins in its VLANs, and the MAC is not refreshed or moved. Such an entry
 *    holds the key of the vNIC's direct entry; when it goes, the direct entry is put back. Marks change when a vNIC
 *    takes or lets go of a MAC, by a scan of the table (configuration, not frames); a learned entry is never made
 *    for an owned MAC, and a static one is marked when it is added.
 *  - Source of a frame: the (vlan, src) probe finds a learned entry (refresh), a static, direct or marked entry (not
 *    learned), or nothing; only then is the owner entry probed: for a new MAC (once per aging time) or a vNIC's MAC
 *    seen outside its VLAN (rare), and not at all while no vNIC has a MAC. A vNIC sending with its own MAC is
 *    recognised by the caller without a probe.
 *  - Changes: a new MAC for a vNIC (setVnic), or its port's removal (removePort), drops the old owner and direct
 *    entries and clears the old MAC's marks, so from then on that MAC is learned like any other; the new MAC's
 *    entries are marked. New VLANs for the port group (setVnic with the same MAC) only move the direct entry.
 *  - Room: vNIC entries come from a reserve of two per port beyond the capacity, so they never crowd out learned
 *    MACs, and size() and stats() count only learned, static and EVPN entries.
 *  - Views: forEach, portOf and entryId show learned, static and EVPN entries; forEachVnic lists each
 *    vNIC's MAC once (fdb show's "vnic" rows, shown in the port group's VLAN or "any" for a trunk), vnicPort
 *    names the owner (for traces), and direct entries are never shown.
 *
 * EVPN entries, for a BGP EVPN control plane (RFC 7432, RFC 8365): a MAC behind remote VTEP R of tunnel port T,
 * from a MAC/IP Advertisement route, with the route's MAC mobility sequence number in a column of its own.
 *  - The control plane decides where a MAC lives (RFC 7432 §15 compares sequence numbers; this table does not):
 *    addEvpn replaces a learned or EVPN entry of the key, and is refused by a static entry (the operator's word) or
 *    a vNIC's MAC (the vNIC owns it in every VLAN). A vNIC that takes the MAC later marks the EVPN entry like a
 *    learned one.
 *  - Like static entries they never age, are on no LRU list, do not count against a port's learning limit, are never
 *    evicted to make room for learned MACs, and count in size() and stats(); a table full of static and EVPN entries
 *    refuses both. flushLearned and flushPort leave them; removePort (the tunnel port goes), removeRemote (the VTEP
 *    goes) and removeEvpn (the route is withdrawn) remove them; remove() does not (it is the operator's).
 *  - A frame from an EVPN MAC on tunnel port T, from any VTEP, changes nothing: EVPN_ENTRY, decided in the optimistic
 *    read like STATIC_ENTRY, so such a frame costs one probe and no lock. (The refresh of a learned MAC is untouched:
 *    its test still comes first.)
 *  - Remote to local: a frame from an EVPN MAC on any other port means the MAC moved here (a VM migrated in). Under
 *    the write lock the entry becomes a learned entry on T's list and then moves like one: the destination port's
 *    limit applies, the move is counted, and the MacMoveGuard sees it. If the guard freezes the MAC, the EVPN entry
 *    stays as it is and the frame is refused; a learned MAC frozen back home behind a VTEP stays there as a learned
 *    entry, until the control plane installs it again. The guard's history is kept when addEvpn replaces the entry
 *    in place, so a MAC that the control plane and local frames toss back and forth is seen flapping.
 *  - Local to remote is the control plane's: addEvpn over the learned entry (a REMOVED event, below).
 *
 * The change journal (FdbJournal), so the control plane can advertise local MACs and withdraw them: every change of a
 * learned entry's existence or place (learned, moved, aged, evicted, flushed, removed, replaced by a static or EVPN
 * entry) and every EVPN entry that a frame makes local (MOVED) is an event. Every one of these changes holds the write
 * lock already, so the ring needs no lock of its own; it is read without any lock (a single-producer single-consumer
 * ring), because a drain under the write lock would fail every lookup in flight on the lanes. Off by default: each
 * change then reads one null field, and nothing else. When the ring is full, events are dropped and the next drain
 * tells the reader to resync (rescan with forEach); a new journal starts that way.
 */

/**
 * The MAC table of one host switch, keyed by (VLAN, MAC), with the MACs of its local vNICs. Safe for several
 * threads: lookups and refreshes take no lock, changes take a write lock (see the design note above).
 *
 * <p>Ports are numbered 0 to {@code maxPorts - 1}; VLANs 0 to 4095; MACs are the low 48 bits of a {@code long}.
 * Times are nanoseconds on a monotonic clock, the same clock for every call. Lanes (the forwarding threads) are
 * numbered 0 to {@code lanes - 1}; each lane index is used by one thread at a time.
 */
public final class Fdb {
    public static final int NOT_FOUND = -1;
    /** Remote VTEP id of entries behind a local port rather than a tunnel. */
    public static final int NO_REMOTE = -1;
    /** Sequence number of an entry that is not an EVPN entry. */
    public static final long NO_SEQUENCE = -1;
    /** OVS's and ESXi's default: a learned MAC idle for 300 s is forgotten. */
    public static final long DEFAULT_AGING_NANOS = 300_000_000_000L;
    /** Largest capacity: the index needs a power-of-two table of twice as many slots. */
    public static final int MAX_CAPACITY = 1 << 29;
    /** How often a switch writes a busy entry's last-seen time: at most once a millisecond. */
    public static final long SWITCH_REFRESH_NANOS = 1_000_000L;
    /** A refresh interval that writes the last-seen time whenever the clock has moved: exact aging. */
    public static final long EVERY_TICK = 1;

    private static final int MAX_VLAN = 4095;
    /** Optimistic reads that met a writer this many times in a row wait for it instead. */
    private static final int OPTIMISTIC_TRIES = 4;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);

    private final int capacity;
    private final int maxPorts;
    private final long refreshNanos;

    private final FdbEntries entries;
    // The entries' columns, read here directly: the data path's probes take one load fewer.
    private final long[] keys;
    private final int[] ports;
    private final int[] remotes;
    private final byte[] types;
    private final long[] lastSeen;
    private final int[] moves;
    private final int[] sequences;
    private final FdbIndex index;
    /** Learned, static and EVPN entries; vNIC entries use the reserve and are not counted. */
    private int size;

    private final PortLru lru;
    private final VnicEntries vnics;
    private final long[] aging;
    /**
     * Each port's MAC limit as its port group last said ({@link #setMacLimit}): a frame brings its ingress port's limit,
     * but a MAC frozen back on its home port is not that frame's to count (unlimited until set).
     */
    private final int[] macLimits;
    /** Per port: its static and EVPN entries (those on no LRU list), so removePort scans only if there are some. */
    private final int[] staticOn;
    private final LaneCounts limitReached;
    private final StampedLock lock = new StampedLock();

    private MacMoveGuard guard;
    private long lastMoveKey = -1;
    private int lastMoveFrom;
    private int lastMoveTo;
    /** Changes of learned entries for the control plane; null (off) until enableJournal. */
    private volatile FdbJournal journal;

    private long learnedTotal;
    private long movedTotal;
    private long agedTotal;
    private long evictedTotal;

    /**
     * A table for one lane that writes last-seen times on every tick (exact aging); for tools and tests.
     *
     * @param capacity   most entries, learned and static together (OVS's mac-table-size)
     * @param maxPorts   port ids are 0 to {@code maxPorts - 1}
     * @param hashSecret per-table secret of the index hash; pick it at random in production
     */
    public Fdb(int capacity, int maxPorts, long hashSecret) {
        this(capacity, maxPorts, hashSecret, 1, EVERY_TICK);
    }

    /**
     * @param lanes        how many forwarding lanes learn at once, each with its own index
     * @param refreshNanos a refresh writes an entry's last-seen time only once it is this much older than the frame
     *                     ({@link #SWITCH_REFRESH_NANOS} in a switch, {@link #EVERY_TICK} for exact aging)
     */
    public Fdb(int capacity, int maxPorts, long hashSecret, int lanes, long refreshNanos) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("FDB capacity must be 1-" + MAX_CAPACITY + ", got " + capacity);
        }
        if (maxPorts < 1) {
            throw new IllegalArgumentException("FDB needs at least one port, got maxPorts " + maxPorts);
        }
        if (lanes < 1 || refreshNanos < 1) {
            throw new IllegalArgumentException("FDB needs at least one lane and a refresh interval of at least 1 ns,"
                + " got " + lanes + " lanes, " + refreshNanos + " ns");
        }
        if ((long) capacity + 2L * maxPorts > MAX_CAPACITY) {
            throw new IllegalArgumentException("FDB capacity " + capacity + " and " + maxPorts + " ports need more than "
                + MAX_CAPACITY + " entries");
        }
        int pool = capacity + 2 * maxPorts; // an owner and a direct entry for each port that may be a vNIC
        this.capacity = capacity;
        this.maxPorts = maxPorts;
        this.refreshNanos = refreshNanos;
        entries = new FdbEntries(pool, hashSecret);
        keys = entries.keys;
        ports = entries.ports;
        remotes = entries.remotes;
        types = entries.types;
        lastSeen = entries.lastSeen;
        moves = entries.moves;
        sequences = entries.sequences;
        index = entries.index;
        lru = new PortLru(maxPorts, pool, lastSeen);
        vnics = new VnicEntries(entries, maxPorts);
        aging = new long[maxPorts];
        macLimits = new int[maxPorts];
        java.util.Arrays.fill(macLimits, Integer.MAX_VALUE);
        Arrays.fill(aging, DEFAULT_AGING_NANOS);
        staticOn = new int[maxPorts];
        limitReached = new LaneCounts(lanes);
        guard = new MacMoveGuard(MacMoveGuard.Options.DEFAULT, pool);
    }

    /** Replaces the MAC move guard (flap detection, optional freeze); every entry starts with no move history. */
    public void setMacMoveGuard(MacMoveGuard.Options options) {
        long w = lock.writeLock();
        try {
            guard = new MacMoveGuard(options, entries.pool());
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** The MAC move guard's settings. */
    public MacMoveGuard.Options macMoveGuardOptions() {
        return guard.options();
    }

    /** Hands each MAC flap recorded since the last call to {@code visitor}; see {@link MacMoveGuard#drainFlaps}. */
    public long drainFlaps(MacMoveGuard.FlapVisitor visitor) {
        long w = lock.writeLock();
        try {
            return guard.drainFlaps(visitor);
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** The last MAC that moved, or null if none has. */
    public MacMove lastMove() {
        long r = lock.readLock();
        try {
            return lastMoveKey < 0 ? null : new MacMove((int) (lastMoveKey >>> 48), lastMoveKey & MacAddress.MASK,
                lastMoveFrom, lastMoveTo);
        } finally {
            lock.unlockRead(r);
        }
    }

    /** A MAC that moved from one port to another. */
    public record MacMove(int vlan, long mac, int fromPort, int toPort) {
    }

    public int capacity() {
        return capacity;
    }

    public int maxPorts() {
        return maxPorts;
    }

    /** Learned, static and EVPN entries (vNIC MACs are not counted). */
    public int size() {
        return size;
    }

    // ---- the data path: one probe for the source, one for the destination

    /**
     * Where a frame to (vlan, mac) goes, as {@code port << 32 | remote} (read them with {@link #destinationPort} and
     * {@link #destinationRemote}), or {@link #NOT_FOUND}, which reads as port {@link #NOT_FOUND} and remote
     * {@link #NO_REMOTE}: the vNIC whose MAC it is if that vNIC is in the VLAN, else the learned or static entry.
     * The port and remote VTEP of one consistent moment, without a lock; one probe (see the design note for when
     * there are two). The data path's lookup.
     */
    public long destination(int vlan, long mac) {
        long key = key(vlan, mac);
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long stamp = lock.tryOptimisticRead();
            long found = destinationOf(key, vlan, mac);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        return destinationLocked(key, vlan, mac);
    }

    /** {@link #destination} after writers got in the way too often: waits for them. */
    private long destinationLocked(long key, int vlan, long mac) {
        long r = lock.readLock();
        try {
            return destinationOf(key, vlan, mac);
        } finally {
            lock.unlockRead(r);
        }
    }

    /** The port of a {@link #destination}. */
    public static int destinationPort(long destination) {
        return (int) (destination >>> 32);
    }

    /** The remote VTEP id of a {@link #destination}, or {@link #NO_REMOTE}. */
    public static int destinationRemote(long destination) {
        return (int) destination;
    }

    /** {@link #destination} under a stamp or the lock. */
    private long destinationOf(long key, int vlan, long mac) {
        int id = index.find(key);
        if (id == FdbIndex.NONE) {
            return vnics.anyTrunk() ? vnics.destinationIn(vlan, mac, NOT_FOUND) : NOT_FOUND;
        }
        long here = (long) ports[id] << 32 | (remotes[id] & 0xFFFF_FFFFL);
        return (types[id] & OWNED) == 0 ? here : vnics.destinationIn(vlan, mac, here);
    }

    /**
     * Where frames from (vlan, mac) belong: the vNIC whose MAC it is (in any VLAN), else the port of its learned or
     * static entry, else {@link #NOT_FOUND}. For the reverse-path filter; without a lock.
     */
    public int sourcePort(int vlan, long mac) {
        long key = key(vlan, mac);
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long stamp = lock.tryOptimisticRead();
            int found = sourcePortOf(key, mac);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        long r = lock.readLock();
        try {
            return sourcePortOf(key, mac);
        } finally {
            lock.unlockRead(r);
        }
    }

    private int sourcePortOf(long key, long mac) {
        int id = index.find(key);
        if (id != FdbIndex.NONE && (types[id] & OWNED) == 0) {
            return ports[id]; // a learned or static entry, or a vNIC in its own VLAN
        }
        int owner = vnics.ownerPort(mac);
        return owner != NOT_FOUND || id == FdbIndex.NONE ? owner : ports[id];
    }

    /**
     * Learns (vlan, mac) on {@code port}, or refreshes it; {@code macLimit} caps the entries learned on one port.
     * The caller has already refused multicast source MACs. For tools and tests: any thread, no lane.
     *
     * @param now the frame's arrival time; never earlier than in any previous call
     */
    public LearnOutcome learn(int vlan, long mac, int port, int macLimit, long now) {
        return learn(LaneCounts.NO_LANE, vlan, mac, port, NO_REMOTE, macLimit, now);
    }

    /** {@link #learn(int, int, long, int, int, int, long)} for tools and tests: any thread, no lane. */
    public LearnOutcome learn(int vlan, long mac, int port, int remote, int macLimit, long now) {
        return learn(LaneCounts.NO_LANE, vlan, mac, port, remote, macLimit, now);
    }

    /**
     * Learns (vlan, mac) behind remote VTEP {@code remote} of tunnel port {@code port} ({@link #NO_REMOTE} for other
     * ports), from forwarding lane {@code lane}. A MAC that turns up behind another VTEP of the same tunnel port has
     * moved, as much as one that turns up on another port. A vNIC's MAC is never learned: {@link
     * LearnOutcome#VNIC_MAC}. An EVPN entry's MAC from its tunnel port changes nothing ({@link
     * LearnOutcome#EVPN_ENTRY}); from another port it is a move.
     */
    public LearnOutcome learn(int lane, int vlan, long mac, int port, int remote, int macLimit, long now) {
        long key = key(vlan, mac);
        checkPort(port);
        checkLane(lane);
        long stamp = lock.tryOptimisticRead();
        int seen = index.find(key);
        if (seen != FdbIndex.NONE && types[seen] == LEARNED && ports[seen] == port && remotes[seen] == remote) {
            refresh(seen, now); // the per-frame case: no lock, no list update, a write at most once per interval
            if (lock.validate(stamp)) {
                return LearnOutcome.REFRESHED;
            }
        }
        // Kept out of this method, so that the per-frame case above stays small enough to inline into the caller.
        return learnOther(lane, key, port, remote, macLimit, now, stamp, seen);
    }

    /** {@link #learn} of a MAC not learned where it was seen: {@code seen} is its entry as of {@code stamp}, if any. */
    private LearnOutcome learnOther(int lane, long key, int port, int remote, int macLimit, long now, long stamp,
                                    int seen) {
        if (seen != FdbIndex.NONE) {
            byte type = types[seen];
            // An EVPN MAC from its own tunnel port changes nothing; from another port it moves, under the lock below.
            if (type != LEARNED && (type != EVPN || ports[seen] == port) && lock.validate(stamp)) {
                return notLearned(type);
            }
        } else if (vnics.ownerPort(key & MacAddress.MASK) != NOT_FOUND) {
            if (lock.validate(stamp)) {
                return LearnOutcome.VNIC_MAC;
            }
        } else if (lru.count(port) >= macLimit && lock.validate(stamp)) {
            limitReached.increment(lane); // a MAC flood over the limit: each frame, so no lock and no shared line
            return LearnOutcome.LIMIT_REACHED;
        }
        long w = lock.writeLock();
        try {
            return learnLocked(lane, key, port, remote, macLimit, now);
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Writes {@code now} as the entry's last-seen time unless it was written less than the interval ago. */
    private void refresh(int id, long now) {
        if (now - (long) LONGS.getOpaque(lastSeen, id) >= refreshNanos) {
            LONGS.setOpaque(lastSeen, id, now);
        }
    }

    private LearnOutcome learnLocked(int lane, long key, int port, int remote, int macLimit, long now) {
        int id = index.find(key);
        if (id != FdbIndex.NONE) {
            return relearn(lane, id, port, remote, macLimit, now);
        }
        if (vnics.ownerPort(key & MacAddress.MASK) != NOT_FOUND) {
            return LearnOutcome.VNIC_MAC;
        }
        if (lru.count(port) >= macLimit) {
            limitReached.increment(lane);
            return LearnOutcome.LIMIT_REACHED;
        }
        if (size == capacity && !evictFor(port)) {
            return LearnOutcome.TABLE_FULL;
        }
        id = allocate(key, port, remote, LEARNED, now);
        lru.add(port, id, now);
        learnedTotal++;
        note(FdbJournal.Kind.LEARNED, id);
        return LearnOutcome.LEARNED;
    }

    /**
     * What {@link #learn} would do, without doing it: for a probe trace. Does not count a limit hit and does not
     * say whether learning would evict an entry to make room.
     */
    public LearnOutcome wouldLearn(int vlan, long mac, int port, int remote, int macLimit, long now) {
        checkPort(port);
        long key = key(vlan, mac);
        long r = lock.readLock();
        try {
            return wouldLearnLocked(key, port, remote, macLimit, now);
        } finally {
            lock.unlockRead(r);
        }
    }

    private LearnOutcome wouldLearnLocked(long key, int port, int remote, int macLimit, long now) {
        int id = index.find(key);
        if (id != FdbIndex.NONE) {
            byte type = types[id];
            if (type != LEARNED && (type != EVPN || ports[id] == port)) {
                return notLearned(type);
            }
            if (ports[id] == port && remotes[id] == remote) {
                return LearnOutcome.REFRESHED;
            }
            if (guard.isFrozen(id, now)) {
                return LearnOutcome.FROZEN;
            }
            if (ports[id] == port) {
                return LearnOutcome.MOVED;
            }
            return lru.count(port) >= macLimit ? LearnOutcome.LIMIT_REACHED : LearnOutcome.MOVED;
        }
        if (vnics.ownerPort(key & MacAddress.MASK) != NOT_FOUND) {
            return LearnOutcome.VNIC_MAC;
        }
        if (lru.count(port) >= macLimit) {
            return LearnOutcome.LIMIT_REACHED;
        }
        boolean nothingToEvict = lru.oldest(lru.busiestPort()) == PortLru.NONE;
        return size == capacity && nothingToEvict ? LearnOutcome.TABLE_FULL : LearnOutcome.LEARNED;
    }

    private LearnOutcome relearn(int lane, int id, int port, int remote, int macLimit, long now) {
        byte type = types[id];
        boolean evpn = type == EVPN && ports[id] != port; // RFC 7432 §15: the MAC now answers on this side
        if (type != LEARNED && !evpn) {
            return notLearned(type);
        }
        int from = ports[id];
        if (from == port && remotes[id] == remote) {
            refresh(id, now);
            return LearnOutcome.REFRESHED;
        }
        if (from != port && lru.count(port) >= macLimit) {
            limitReached.increment(lane);
            return LearnOutcome.LIMIT_REACHED;
        }
        long key = keys[id];
        switch (guard.onMove(id, (int) (key >>> 48), key & MacAddress.MASK, from, remotes[id], port, remote, now)) {
            case FROZEN -> {
                return LearnOutcome.FROZEN;
            }
            case FREEZE -> {
                int home = guard.homePort(id);
                // an EVPN entry stays where the control plane put it; a learned MAC goes back home, unless its home
                // port learned up to its limit while the MAC was away: then it is frozen where it is (found by the
                // switch fuzz target: home took 9 MACs under a limit of 8)
                if (!evpn && (home == from || lru.count(home) < macLimits[home])) {
                    moveTo(id, home, guard.homeRemote(id), now);
                }
                return LearnOutcome.FROZEN;
            }
            case ALLOW -> {
                lastMoveKey = key;
                lastMoveFrom = from;
                lastMoveTo = port;
                if (evpn) {
                    learnedInPlace(id, now);
                }
                moveTo(id, port, remote, now);
                moves[id]++;
                movedTotal++;
                return LearnOutcome.MOVED;
            }
        }
        throw new AssertionError();
    }

    private void moveTo(int id, int port, int remote, long now) {
        int from = ports[id];
        boolean moved = from != port || remotes[id] != remote;
        if (from != port) {
            lru.remove(from, id);
            lru.add(port, id, now);
            ports[id] = port;
        } else {
            lru.resort(port, id, now);
        }
        remotes[id] = remote;
        LONGS.setOpaque(lastSeen, id, now);
        if (moved) {
            note(FdbJournal.Kind.MOVED, id);
        }
    }

    /** An EVPN entry becomes a learned entry where it is, on its tunnel port's list, to move from there like one. */
    private void learnedInPlace(int id, long now) {
        staticOn[ports[id]]--;
        types[id] = LEARNED;
        lru.add(ports[id], id, now);
    }

    /** Why a frame neither learns nor refreshes an entry of this type: static, EVPN, or a vNIC's MAC (or marked). */
    private static LearnOutcome notLearned(byte type) {
        return type == STATIC ? LearnOutcome.STATIC_ENTRY
            : type == EVPN ? LearnOutcome.EVPN_ENTRY : LearnOutcome.VNIC_MAC;
    }

    // ---- tools: learned, static and EVPN entries only

    /**
     * The port of the learned, static or EVPN entry of (vlan, mac), or {@link #NOT_FOUND}. vNIC MACs are not entries here
     * ({@link #vnicPort}); frames go by {@link #destination}. Never refreshes; takes no lock.
     */
    public int portOf(int vlan, long mac) {
        long key = key(vlan, mac);
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long stamp = lock.tryOptimisticRead();
            int found = entryPortOf(key);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        long r = lock.readLock();
        try {
            return entryPortOf(key);
        } finally {
            lock.unlockRead(r);
        }
    }

    private int entryPortOf(long key) {
        int id = index.find(key);
        return id == FdbIndex.NONE || !FdbEntries.isMacEntry(types[id]) ? NOT_FOUND : ports[id];
    }

    /**
     * The id of the learned, static or EVPN entry of (vlan, mac), or {@link #NOT_FOUND}; read it with {@link #entryPort},
     * {@link #entryIsStatic} and {@link #entryRemote} before the table changes (an id is reused once its entry is
     * gone). For tools and tests; the data path uses {@link #destination}.
     */
    public int entryId(int vlan, long mac) {
        long r = lock.readLock();
        try {
            int id = index.find(key(vlan, mac));
            return id == FdbIndex.NONE || !FdbEntries.isMacEntry(types[id]) ? NOT_FOUND : id;
        } finally {
            lock.unlockRead(r);
        }
    }

    public int entryPort(int entry) {
        return ports[entry];
    }

    /** True if the entry was configured (static), false if it was learned or is an EVPN entry. */
    public boolean entryIsStatic(int entry) {
        return base(types[entry]) == STATIC;
    }

    /** The remote VTEP id of an entry behind a tunnel port, or {@link #NO_REMOTE}. */
    public int entryRemote(int entry) {
        return remotes[entry];
    }

    /**
     * Adds or replaces a static entry, evicting a learned entry if the table is full; false if the table is full of
     * static entries.
     */
    public boolean addStatic(int vlan, long mac, int port) {
        return addStatic(vlan, mac, port, NO_REMOTE);
    }

    /** Adds or replaces a static entry for a MAC behind remote VTEP {@code remote} of tunnel port {@code port}. */
    public boolean addStatic(int vlan, long mac, int port, int remote) {
        long key = key(vlan, mac);
        checkPort(port);
        long w = lock.writeLock();
        try {
            return addStaticLocked(key, port, remote);
        } finally {
            lock.unlockWrite(w);
        }
    }

    private boolean addStaticLocked(long key, int port, int remote) {
        int id = index.find(key);
        if (id != FdbIndex.NONE && types[id] == VNIC) {
            entries.free(id); // the static entry takes the key, marked; the vNIC stays known by its owner entry
            id = FdbIndex.NONE;
        }
        if (id != FdbIndex.NONE) {
            if (base(types[id]) == LEARNED) {
                note(FdbJournal.Kind.REMOVED, id);
                lru.remove(ports[id], id);
                lastSeen[id] = 0;
                moves[id] = 0;
            } else {
                staticOn[ports[id]]--;
                moves[id] = 0; // an EVPN entry's moves, from when it was learned
            }
            types[id] = (byte) (STATIC | types[id] & OWNED);
            ports[id] = port;
            remotes[id] = remote;
            staticOn[port]++;
            return true;
        }
        if (size == capacity && !evictOne()) {
            vnics.restoreDirectEntry(key); // if a vNIC's direct entry gave way above
            return false;
        }
        allocate(key, port, remote, (byte) (STATIC | vnics.markFor(key & MacAddress.MASK)), 0);
        staticOn[port]++;
        return true;
    }

    /**
     * Removes the learned or static entry of (vlan, mac); false if there is none. EVPN entries are the control
     * plane's: {@link #removeEvpn}.
     */
    public boolean remove(int vlan, long mac) {
        long key = key(vlan, mac);
        long w = lock.writeLock();
        try {
            int id = index.find(key);
            if (id == FdbIndex.NONE || !FdbEntries.isMacEntry(types[id]) || base(types[id]) == EVPN) {
                return false;
            }
            release(id);
            return true;
        } finally {
            lock.unlockWrite(w);
        }
    }

    // ---- EVPN entries: MACs behind remote VTEPs, installed by the control plane

    /**
     * Installs (vlan, mac) behind remote VTEP {@code remote} of tunnel port {@code port}, as the EVPN control plane
     * learned it from a MAC/IP Advertisement route with MAC mobility sequence number {@code sequence} (RFC 7432
     * §7.7). Replaces a learned or EVPN entry of the key: the control plane has decided where the MAC lives (RFC 7432
     * §15; it compares sequence numbers, this table does not). Evicts a learned entry if the table is full. False,
     * and nothing changes, if a static entry or a vNIC owns the key or the table is full of static and EVPN entries.
     */
    public boolean addEvpn(int vlan, long mac, int port, int remote, long sequence) {
        long key = key(vlan, mac);
        checkPort(port);
        if (remote < 0 || sequence < 0 || sequence > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("an EVPN entry needs a remote VTEP id >= 0 and a sequence number"
                + " 0-4294967295 (RFC 7432 §7.7), got remote " + remote + " sequence " + sequence);
        }
        long w = lock.writeLock();
        try {
            int id = index.find(key);
            if (vnics.ownerPort(mac) != NOT_FOUND || id != FdbIndex.NONE && types[id] == STATIC) {
                return false; // a vNIC owns its MAC in every VLAN; the operator's static entry wins
            }
            if (id == FdbIndex.NONE) {
                if (size == capacity && !evictOne()) {
                    return false;
                }
                id = allocate(key, port, remote, EVPN, 0);
            } else {
                if (types[id] == LEARNED) {
                    note(FdbJournal.Kind.REMOVED, id);
                    lru.remove(ports[id], id);
                    lastSeen[id] = 0;
                } else {
                    staticOn[ports[id]]--; // an EVPN entry
                }
                types[id] = EVPN;
                ports[id] = port;
                remotes[id] = remote;
            }
            sequences[id] = (int) sequence;
            staticOn[port]++;
            return true;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Removes the EVPN entry of (vlan, mac) (its route was withdrawn); false if there is none. */
    public boolean removeEvpn(int vlan, long mac) {
        long key = key(vlan, mac);
        long w = lock.writeLock();
        try {
            int id = index.find(key);
            if (id == FdbIndex.NONE || base(types[id]) != EVPN) {
                return false;
            }
            release(id);
            return true;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** The MAC mobility sequence number of the EVPN entry of (vlan, mac), or {@link #NO_SEQUENCE} if there is none. */
    public long evpnSequence(int vlan, long mac) {
        long key = key(vlan, mac);
        long r = lock.readLock();
        try {
            int id = index.find(key);
            return id == FdbIndex.NONE || base(types[id]) != EVPN ? NO_SEQUENCE : Integer.toUnsignedLong(sequences[id]);
        } finally {
            lock.unlockRead(r);
        }
    }

    /**
     * Starts recording the changes of learned entries, for the EVPN control plane, in a ring of {@code capacity}
     * events ({@link FdbJournal}), replacing any journal enabled before. Off by default: then a change pays one field
     * read. The first drain asks for a resync.
     */
    public void enableJournal(int capacity) {
        FdbJournal j = new FdbJournal(capacity);
        long w = lock.writeLock();
        journal = j;
        lock.unlockWrite(w);
    }

    /**
     * Hands the changes recorded since the last drain to {@code visitor}, oldest first, after a resync if some were
     * dropped; returns how many. From one thread at a time; takes no lock, so the visitor may call this table.
     *
     * @throws IllegalStateException if the journal is off
     */
    public int drainJournal(FdbJournal.Visitor visitor) {
        FdbJournal j = journal;
        if (j == null) {
            throw new IllegalStateException("the FDB journal is off: call enableJournal(capacity) first");
        }
        return j.drain(visitor);
    }

    /** Tells the journal, if it is on, of a change to learned entry {@code id}; under the write lock. */
    private void note(FdbJournal.Kind kind, int id) {
        FdbJournal j = journal;
        if (j != null) {
            j.record(kind, keys[id], ports[id], remotes[id]);
        }
    }

    // ---- vNIC MACs

    /**
     * Makes {@code mac} the MAC of the vNIC on {@code port}, replacing the one it had, and a destination in the VLANs
     * {@code carries} accepts (those of the vNIC's port group; call again when they change). From now on the MAC is
     * never learned, in any VLAN.
     *
     * @throws IllegalArgumentException if the MAC is another vNIC's
     */
    public void setVnic(int port, long mac, IntPredicate carries) {
        checkPort(port);
        key(0, mac);
        long w = lock.writeLock();
        try {
            vnics.set(port, mac, carries);
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Forgets the MAC of the vNIC on {@code port}: it is learned like any other from now on. */
    public void removeVnic(int port) {
        checkPort(port);
        long w = lock.writeLock();
        try {
            vnics.remove(port);
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** The port of the vNIC whose MAC {@code mac} is, or {@link #NOT_FOUND}. */
    public int vnicPort(long mac) {
        key(0, mac);
        long r = lock.readLock();
        try {
            return vnics.ownerPort(mac);
        } finally {
            lock.unlockRead(r);
        }
    }

    /** Visits the MAC of every vNIC, in port order, holding off changes meanwhile. */
    public void forEachVnic(VnicVisitor visitor) {
        long r = lock.readLock();
        try {
            vnics.forEach(visitor);
        } finally {
            lock.unlockRead(r);
        }
    }

    /** Receives the vNIC MACs of an FDB. */
    @FunctionalInterface
    public interface VnicVisitor {
        void vnic(long mac, int port);
    }

    // ---- aging and removal

    /** Aging time for entries learned on {@code port}. */
    /** The most MACs {@code port} may have learned (its port group's limit); see {@link #macLimits}. */
    public void setMacLimit(int port, int limit) {
        checkPort(port);
        long w = lock.writeLock();
        macLimits[port] = limit;
        lock.unlockWrite(w);
    }

    public void setAging(int port, long agingNanos) {
        checkPort(port);
        if (agingNanos <= 0) {
            throw new IllegalArgumentException("aging time must be positive, got " + agingNanos + " ns for port "
                + port);
        }
        long w = lock.writeLock();
        aging[port] = agingNanos;
        lock.unlockWrite(w);
    }

    public long aging(int port) {
        checkPort(port);
        return aging[port];
    }

    /** Removes learned entries idle for at least their port's aging time; returns how many. */
    public int expire(long now) {
        long w = lock.writeLock();
        try {
            int expired = 0;
            for (int port = 0; port < maxPorts; port++) {
                for (int id = lru.expired(port, now, aging[port]); id != PortLru.NONE;
                     id = lru.expired(port, now, aging[port])) {
                    release(id);
                    expired++;
                }
            }
            agedTotal += expired;
            return expired;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /**
     * When the next learned entry will expire, to sleep until then (OVS's mac_learning_wait); {@link Long#MAX_VALUE}
     * if nothing is learned.
     */
    public long nextExpiry() {
        long w = lock.writeLock(); // finding the oldest puts refreshed entries back in order
        try {
            long next = Long.MAX_VALUE;
            for (int port = 0; port < maxPorts; port++) {
                int id = lru.oldestSeen(port);
                if (id != PortLru.NONE) {
                    long seen = lru.listedAt(id);
                    long at = seen + aging[port];
                    next = Math.min(next, at < seen ? Long.MAX_VALUE : at);
                }
            }
            return next;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Removes every learned entry (static and EVPN ones stay); returns how many. */
    public int flushLearned() {
        long w = lock.writeLock();
        try {
            int removed = 0;
            for (int port = 0; port < maxPorts; port++) {
                removed += flushPortLocked(port);
            }
            return removed;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Removes the learned entries of one port; returns how many. */
    public int flushPort(int port) {
        checkPort(port);
        long w = lock.writeLock();
        try {
            return flushPortLocked(port);
        } finally {
            lock.unlockWrite(w);
        }
    }

    private int flushPortLocked(int port) {
        int removed = 0;
        for (int id = lru.oldest(port); id != PortLru.NONE; id = lru.oldest(port)) {
            release(id);
            removed++;
        }
        return removed;
    }

    /**
     * Removes every entry of one port, static and EVPN ones and its vNIC MAC too (the port is going away); returns how
     * many learned, static and EVPN entries went.
     */
    public int removePort(int port) {
        checkPort(port);
        long w = lock.writeLock();
        try {
            vnics.remove(port);
            int removed = flushPortLocked(port);
            for (int id = 0; id < entries.highWater() && staticOn[port] > 0; id++) {
                if (FdbEntries.isMacEntry(types[id]) && ports[id] == port) { // the learned ones went above
                    release(id);
                    removed++;
                }
            }
            return removed;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /**
     * Removes every entry, learned, static or EVPN, behind remote VTEP {@code remote} (the VTEP is gone, and its id
     * may be given to another); returns how many.
     */
    public int removeRemote(int remote) {
        long w = lock.writeLock();
        try {
            int removed = 0;
            for (int id = 0; id < entries.highWater(); id++) {
                if (FdbEntries.isMacEntry(types[id]) && remotes[id] == remote) {
                    release(id);
                    removed++;
                }
            }
            return removed;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** How many entries are learned on {@code port}. */
    public int learnedOn(int port) {
        checkPort(port);
        return lru.count(port);
    }

    /**
     * Visits every learned, static and EVPN entry, in no particular order, holding off changes (not lookups or
     * refreshes) meanwhile. The visitor must not call this table. vNIC MACs: {@link #forEachVnic}.
     */
    public void forEach(FdbVisitor visitor) {
        long r = lock.readLock();
        try {
            for (int id = 0; id < entries.highWater(); id++) {
                byte type = base(types[id]);
                if (FdbEntries.isMacEntry(type)) {
                    long key = keys[id];
                    visitor.entry((int) (key >>> 48), key & MacAddress.MASK, ports[id],
                        type == LEARNED ? FdbEntryType.LEARNED : type == EVPN ? FdbEntryType.EVPN : FdbEntryType.STATIC,
                        (long) LONGS.getOpaque(lastSeen, id), moves[id], remotes[id],
                        type == EVPN ? Integer.toUnsignedLong(sequences[id]) : NO_SEQUENCE);
                }
            }
        } finally {
            lock.unlockRead(r);
        }
    }

    public FdbStats stats() {
        long r = lock.readLock();
        try {
            return new FdbStats(size, capacity, learnedTotal, movedTotal, agedTotal, evictedTotal,
                limitReached.sum(), guard.flapsTotal(), guard.refusedTotal());
        } finally {
            lock.unlockRead(r);
        }
    }

    /** Makes room by dropping the oldest entry of the port with the most learned MACs; false if none is learned. */
    private boolean evictOne() {
        return evict(lru.busiestPort());
    }

    /**
     * Makes room for a MAC learned on {@code learner}: as {@link #evictOne}, but a learner tied for the most MACs
     * loses its own oldest. The heap breaks ties arbitrarily, and a flooding port that had just caught up with
     * another port would otherwise evict that port's MACs, one for one; this way a port never loses a MAC to one
     * that holds as many or more.
     */
    private boolean evictFor(int learner) {
        int busiest = lru.busiestPort();
        return evict(lru.count(learner) >= lru.count(busiest) ? learner : busiest);
    }

    private boolean evict(int port) {
        int victim = lru.oldestSeen(port);
        if (victim == PortLru.NONE) {
            return false;
        }
        release(victim);
        evictedTotal++;
        return true;
    }

    /** A new learned, static or EVPN entry. */
    private int allocate(long key, int port, int remote, byte type, long now) {
        int id = entries.allocate(key, port, remote, type, now);
        guard.reset(id);
        size++;
        return id;
    }

    /** Frees a learned, static or EVPN entry; a marked one gives its key back to the vNIC's direct entry. */
    private void release(int id) {
        byte type = types[id];
        if (base(type) == LEARNED) {
            note(FdbJournal.Kind.REMOVED, id);
            lru.remove(ports[id], id);
        } else {
            staticOn[ports[id]]--;
        }
        size--;
        entries.free(id);
        if ((type & OWNED) != 0) {
            vnics.restoreDirectEntry(keys[id]);
        }
    }

    // The checks below build their messages in methods of their own, to stay small enough to inline on the data path.

    private static long key(int vlan, long mac) {
        if (vlan < 0 || vlan > MAX_VLAN || (mac & ~MacAddress.MASK) != 0) {
            throw badKey(vlan, mac);
        }
        return (long) vlan << 48 | mac;
    }

    private static IllegalArgumentException badKey(int vlan, long mac) {
        return new IllegalArgumentException("FDB key needs VLAN 0-" + MAX_VLAN + " and a 48-bit MAC, got VLAN " + vlan
            + " MAC 0x" + Long.toHexString(mac));
    }

    private void checkPort(int port) {
        if (port < 0 || port >= maxPorts) {
            throw new IllegalArgumentException(badPort(port));
        }
    }

    private String badPort(int port) {
        return "port " + port + " is outside this FDB's ports 0-" + (maxPorts - 1);
    }

    private void checkLane(int lane) {
        if (lane < LaneCounts.NO_LANE || lane >= limitReached.lanes()) {
            throw new IllegalArgumentException(badLane(lane));
        }
    }

    private String badLane(int lane) {
        return "lane " + lane + " is outside this FDB's lanes 0-" + (limitReached.lanes() - 1);
    }
}
