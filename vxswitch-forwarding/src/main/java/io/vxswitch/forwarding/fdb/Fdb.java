package io.vxswitch.forwarding.fdb;

import io.vxswitch.packet.MacAddress;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.StampedLock;

/*
 * Design, after Open vSwitch lib/mac-learning.c.
 *
 * Entries live in a fixed pool of parallel primitive arrays indexed by entry id (key, port, type, lastSeen,
 * moves), with a stack of free ids; FdbIndex maps the key (vlan << 48 | mac) to the id and PortLru keeps each
 * port's learned entries in recency order. Learning and lookup allocate nothing and box nothing. Time is passed
 * in (monotonic nanoseconds), never read from a clock.
 *
 * Threads: several forwarding loops share one table (the Linux bridge's model). What every frame does takes no
 * lock: a lookup, and the refresh of a source MAC already learned where it was seen, are optimistic reads
 * validated against a StampedLock's stamp, retried if a writer got in between. The refresh is one opaque write of
 * lastSeen and leaves the LRU list alone; a refreshed entry is put back in order only when it reaches the old end
 * of its list (PortLru.resort), so aging and eviction still take the least recently seen entry, exactly. A stray
 * refresh that lands on an entry released and reused meanwhile is harmless: reuse sets lastSeen to about the same
 * time. Everything that changes the table's shape (a new MAC, a move, aging, eviction, configuration) takes the
 * write lock: once per MAC per aging time, not per frame.
 *
 * Hard cases:
 *  - Hash flooding: someone sends source MACs chosen to collide. The index hashes with a per-table secret and
 *    is never more than half full, so probe chains stay short.
 *  - MAC flooding: a port sprays random source MACs to fill the table and turn known unicast into floods. Each
 *    port has a learning limit, and when the table is full the victim is the least recently seen entry of the
 *    port holding the most learned MACs, so a flooder mostly evicts its own entries (BusiestPorts keeps that
 *    port at hand in O(log ports)).
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
 */

/**
 * The MAC table of one host switch, keyed by (VLAN, MAC). Safe for several threads: lookups and refreshes take no
 * lock, changes take a write lock (see the design note above).
 *
 * <p>Ports are numbered 0 to {@code maxPorts - 1}; VLANs 0 to 4095; MACs are the low 48 bits of a {@code long}.
 * Times are nanoseconds on a monotonic clock, the same clock for every call.
 */
public final class Fdb {
    public static final int NOT_FOUND = -1;
    /** Remote VTEP id of entries behind a local port rather than a tunnel. */
    public static final int NO_REMOTE = -1;
    /** OVS's and ESXi's default: a learned MAC idle for 300 s is forgotten. */
    public static final long DEFAULT_AGING_NANOS = 300_000_000_000L;
    /** Largest capacity: the index needs a power-of-two table of twice as many slots. */
    public static final int MAX_CAPACITY = 1 << 29;

    private static final byte FREE = 0;
    private static final byte LEARNED = 1;
    private static final byte STATIC = 2;
    private static final int MAX_VLAN = 4095;
    /** Optimistic reads that met a writer this many times in a row wait for it instead. */
    private static final int OPTIMISTIC_TRIES = 4;
    private static final VarHandle LONGS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle LIMIT_REACHED_TOTAL;

    static {
        try {
            LIMIT_REACHED_TOTAL = MethodHandles.lookup().findVarHandle(Fdb.class, "limitReachedTotal", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int capacity;
    private final int maxPorts;

    private final long[] keys;
    private final int[] ports;
    private final byte[] types;
    private final long[] lastSeen;
    private final int[] moves;
    /** Remote VTEP id for MACs behind a tunnel port (several VTEPs share one tunnel port), else NO_REMOTE. */
    private final int[] remotes;

    private final int[] freeIds;
    private int freeCount;
    /** Ids at or above this have never been used, so scans stop here. */
    private int highWater;
    private int size;

    private final FdbIndex index;
    private final PortLru lru;
    private final long[] aging;
    private final int[] staticOn;
    private final StampedLock lock = new StampedLock();

    private MacMoveGuard guard;
    private long lastMoveKey = -1;
    private int lastMoveFrom;
    private int lastMoveTo;

    private long learnedTotal;
    private long movedTotal;
    private long agedTotal;
    private long evictedTotal;
    /** Counted without the lock (see learn), so only through LIMIT_REACHED_TOTAL. */
    private volatile long limitReachedTotal;

    /**
     * @param capacity   most entries, learned and static together (OVS's mac-table-size)
     * @param maxPorts   port ids are 0 to {@code maxPorts - 1}
     * @param hashSecret per-table secret of the index hash; pick it at random in production
     */
    public Fdb(int capacity, int maxPorts, long hashSecret) {
        if (capacity < 1 || capacity > MAX_CAPACITY) {
            throw new IllegalArgumentException("FDB capacity must be 1-" + MAX_CAPACITY + ", got " + capacity);
        }
        if (maxPorts < 1) {
            throw new IllegalArgumentException("FDB needs at least one port, got maxPorts " + maxPorts);
        }
        this.capacity = capacity;
        this.maxPorts = maxPorts;
        keys = new long[capacity];
        ports = new int[capacity];
        types = new byte[capacity];
        lastSeen = new long[capacity];
        moves = new int[capacity];
        remotes = new int[capacity];
        freeIds = new int[capacity];
        index = new FdbIndex(keys, capacity, hashSecret);
        lru = new PortLru(maxPorts, capacity);
        aging = new long[maxPorts];
        Arrays.fill(aging, DEFAULT_AGING_NANOS);
        staticOn = new int[maxPorts];
        guard = new MacMoveGuard(MacMoveGuard.Options.DEFAULT, capacity);
    }

    /** Replaces the MAC move guard (flap detection, optional freeze); every entry starts with no move history. */
    public void setMacMoveGuard(MacMoveGuard.Options options) {
        long w = lock.writeLock();
        try {
            guard = new MacMoveGuard(options, capacity);
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

    public int size() {
        return size;
    }

    /** The port (vlan, mac) was learned or configured on, or {@link #NOT_FOUND}. Never refreshes; takes no lock. */
    public int portOf(int vlan, long mac) {
        long found = destination(vlan, mac);
        return found == NOT_FOUND ? NOT_FOUND : destinationPort(found);
    }

    /**
     * Where a frame to (vlan, mac) goes, as {@code port << 32 | remote} (read them with {@link #destinationPort} and
     * {@link #destinationRemote}), or {@link #NOT_FOUND}: the port and remote VTEP of one consistent moment, in one
     * probe and without a lock. The data path's lookup.
     */
    public long destination(int vlan, long mac) {
        long key = key(vlan, mac);
        for (int tries = 0; tries < OPTIMISTIC_TRIES; tries++) {
            long stamp = lock.tryOptimisticRead();
            int id = index.find(key);
            long found = id == FdbIndex.NONE ? NOT_FOUND : (long) ports[id] << 32 | (remotes[id] & 0xFFFF_FFFFL);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        long r = lock.readLock();
        try {
            int id = index.find(key);
            return id == FdbIndex.NONE ? NOT_FOUND : (long) ports[id] << 32 | (remotes[id] & 0xFFFF_FFFFL);
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

    /**
     * The id of the entry of (vlan, mac), or {@link #NOT_FOUND}; read it with {@link #entryPort},
     * {@link #entryIsStatic} and {@link #entryRemote} before the table changes (an id is reused once its entry is
     * gone). For tools and tests; the data path uses {@link #destination}.
     */
    public int entryId(int vlan, long mac) {
        long r = lock.readLock();
        try {
            int id = index.find(key(vlan, mac));
            return id == FdbIndex.NONE ? NOT_FOUND : id;
        } finally {
            lock.unlockRead(r);
        }
    }

    public int entryPort(int entry) {
        return ports[entry];
    }

    /** True if the entry was configured (static), false if it was learned. */
    public boolean entryIsStatic(int entry) {
        return types[entry] == STATIC;
    }

    /** The remote VTEP id of an entry behind a tunnel port, or {@link #NO_REMOTE}. */
    public int entryRemote(int entry) {
        return remotes[entry];
    }

    /**
     * Learns (vlan, mac) on {@code port}, or refreshes it; {@code macLimit} caps the entries learned on one port.
     * The caller has already refused multicast source MACs.
     *
     * @param now the frame's arrival time; never earlier than in any previous call
     */
    public LearnOutcome learn(int vlan, long mac, int port, int macLimit, long now) {
        return learn(vlan, mac, port, NO_REMOTE, macLimit, now);
    }

    /**
     * Learns (vlan, mac) behind remote VTEP {@code remote} of tunnel port {@code port}. A MAC that turns up behind
     * another VTEP of the same tunnel port has moved, as much as one that turns up on another port.
     */
    public LearnOutcome learn(int vlan, long mac, int port, int remote, int macLimit, long now) {
        long key = key(vlan, mac);
        checkPort(port);
        long stamp = lock.tryOptimisticRead();
        int seen = index.find(key);
        if (seen != FdbIndex.NONE) {
            byte type = types[seen];
            if (type == LEARNED && ports[seen] == port && remotes[seen] == remote) {
                LONGS.setOpaque(lastSeen, seen, now); // the per-frame case: no lock, no list update
                if (lock.validate(stamp)) {
                    return LearnOutcome.REFRESHED;
                }
            } else if (type == STATIC && lock.validate(stamp)) {
                return LearnOutcome.STATIC_ENTRY;
            }
        } else if (lru.count(port) >= macLimit && lock.validate(stamp)) {
            LIMIT_REACHED_TOTAL.getAndAdd(this, 1L); // a MAC flood over the limit: each frame, so no lock
            return LearnOutcome.LIMIT_REACHED;
        }
        long w = lock.writeLock();
        try {
            return learnLocked(key, port, remote, macLimit, now);
        } finally {
            lock.unlockWrite(w);
        }
    }

    private LearnOutcome learnLocked(long key, int port, int remote, int macLimit, long now) {
        int id = index.find(key);
        if (id != FdbIndex.NONE) {
            return relearn(id, port, remote, macLimit, now);
        }
        if (lru.count(port) >= macLimit) {
            LIMIT_REACHED_TOTAL.getAndAdd(this, 1L);
            return LearnOutcome.LIMIT_REACHED;
        }
        if (size == capacity && !evictOne()) {
            return LearnOutcome.TABLE_FULL;
        }
        id = allocate(key, port, remote, LEARNED, now);
        lru.add(port, id, now);
        learnedTotal++;
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
            if (types[id] == STATIC) {
                return LearnOutcome.STATIC_ENTRY;
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
        if (lru.count(port) >= macLimit) {
            return LearnOutcome.LIMIT_REACHED;
        }
        boolean nothingToEvict = lru.oldest(lru.busiestPort()) == PortLru.NONE;
        return size == capacity && nothingToEvict ? LearnOutcome.TABLE_FULL : LearnOutcome.LEARNED;
    }

    private LearnOutcome relearn(int id, int port, int remote, int macLimit, long now) {
        if (types[id] == STATIC) {
            return LearnOutcome.STATIC_ENTRY;
        }
        int from = ports[id];
        if (from == port && remotes[id] == remote) {
            LONGS.setOpaque(lastSeen, id, now);
            return LearnOutcome.REFRESHED;
        }
        if (from != port && lru.count(port) >= macLimit) {
            LIMIT_REACHED_TOTAL.getAndAdd(this, 1L);
            return LearnOutcome.LIMIT_REACHED;
        }
        long key = keys[id];
        switch (guard.onMove(id, (int) (key >>> 48), key & 0xFFFF_FFFF_FFFFL, from, remotes[id], port, remote, now)) {
            case FROZEN -> {
                return LearnOutcome.FROZEN;
            }
            case FREEZE -> {
                moveTo(id, guard.homePort(id), guard.homeRemote(id), now);
                return LearnOutcome.FROZEN;
            }
            case ALLOW -> {
                lastMoveKey = key;
                lastMoveFrom = from;
                lastMoveTo = port;
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
        if (from != port) {
            lru.remove(from, id);
            lru.add(port, id, now);
            ports[id] = port;
        } else {
            lru.resort(port, id, now);
        }
        remotes[id] = remote;
        LONGS.setOpaque(lastSeen, id, now);
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
        if (id != FdbIndex.NONE) {
            if (types[id] == LEARNED) {
                lru.remove(ports[id], id);
                types[id] = STATIC;
                lastSeen[id] = 0;
                moves[id] = 0;
            } else {
                staticOn[ports[id]]--;
            }
            ports[id] = port;
            remotes[id] = remote;
            staticOn[port]++;
            return true;
        }
        if (size == capacity && !evictOne()) {
            return false;
        }
        allocate(key, port, remote, STATIC, 0);
        staticOn[port]++;
        return true;
    }

    /** Removes (vlan, mac), learned or static; false if it was not there. */
    public boolean remove(int vlan, long mac) {
        long key = key(vlan, mac);
        long w = lock.writeLock();
        try {
            int id = index.find(key);
            if (id == FdbIndex.NONE) {
                return false;
            }
            release(id);
            return true;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /** Aging time for entries learned on {@code port}. */
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
                long age = aging[port];
                // Every entry was seen no earlier than the tail was listed: once that is recent enough, stop. So an
                // entry in use is put back in order at most once per aging time, not on every pass.
                for (int id = lru.oldest(port); id != PortLru.NONE && now - lru.listedAt(id) >= age;
                     id = lru.oldest(port)) {
                    long seen = (long) LONGS.getOpaque(lastSeen, id);
                    if (seen != lru.listedAt(id)) {
                        lru.resort(port, id, seen);
                    } else {
                        release(id);
                        expired++;
                    }
                }
            }
            agedTotal += expired;
            return expired;
        } finally {
            lock.unlockWrite(w);
        }
    }

    /**
     * The least recently seen learned entry of {@code port}, or {@link PortLru#NONE}: the old end of its list once
     * entries refreshed since they were listed have been put back in order. Under the write lock.
     */
    private int oldest(int port) {
        for (int id = lru.oldest(port); id != PortLru.NONE; id = lru.oldest(port)) {
            long seen = (long) LONGS.getOpaque(lastSeen, id);
            if (seen == lru.listedAt(id)) {
                return id;
            }
            lru.resort(port, id, seen);
        }
        return PortLru.NONE;
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
                int id = oldest(port);
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

    /** Removes every learned entry (static ones stay); returns how many. */
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

    /** Removes every entry of one port, static ones too (the port is going away); returns how many. */
    public int removePort(int port) {
        checkPort(port);
        long w = lock.writeLock();
        try {
            int removed = flushPortLocked(port);
            for (int id = 0; id < highWater && staticOn[port] > 0; id++) {
                if (types[id] == STATIC && ports[id] == port) {
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
     * Removes every entry, learned or static, behind remote VTEP {@code remote} (the VTEP is gone, and its id may
     * be given to another); returns how many.
     */
    public int removeRemote(int remote) {
        long w = lock.writeLock();
        try {
            int removed = 0;
            for (int id = 0; id < highWater; id++) {
                if (types[id] != FREE && remotes[id] == remote) {
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
     * Visits every entry, in no particular order, holding off changes (not lookups or refreshes) meanwhile. The
     * visitor must not call this table.
     */
    public void forEach(FdbVisitor visitor) {
        long r = lock.readLock();
        try {
            for (int id = 0; id < highWater; id++) {
                byte type = types[id];
                if (type != FREE) {
                    long key = keys[id];
                    visitor.entry((int) (key >>> 48), key & MacAddress.MASK, ports[id],
                        type == LEARNED ? FdbEntryType.LEARNED : FdbEntryType.STATIC,
                        (long) LONGS.getOpaque(lastSeen, id), moves[id], remotes[id]);
                }
            }
        } finally {
            lock.unlockRead(r);
        }
    }

    public FdbStats stats() {
        long r = lock.readLock();
        try {
            return new FdbStats(size, capacity, learnedTotal, movedTotal, agedTotal, evictedTotal, limitReachedTotal,
                guard.flapsTotal(), guard.refusedTotal());
        } finally {
            lock.unlockRead(r);
        }
    }

    /** Makes room by dropping the oldest entry of the port with the most learned MACs; false if none is learned. */
    private boolean evictOne() {
        int port = lru.busiestPort();
        int victim = oldest(port);
        if (victim == PortLru.NONE) {
            return false;
        }
        release(victim);
        evictedTotal++;
        return true;
    }

    private int allocate(long key, int port, int remote, byte type, long now) {
        int id = freeCount > 0 ? freeIds[--freeCount] : highWater++;
        keys[id] = key;
        ports[id] = port;
        remotes[id] = remote;
        types[id] = type;
        lastSeen[id] = now;
        moves[id] = 0;
        guard.reset(id);
        index.insert(id);
        size++;
        return id;
    }

    private void release(int id) {
        if (types[id] == LEARNED) {
            lru.remove(ports[id], id);
        } else {
            staticOn[ports[id]]--;
        }
        index.delete(id);
        types[id] = FREE;
        freeIds[freeCount++] = id;
        size--;
    }

    private static long key(int vlan, long mac) {
        if (vlan < 0 || vlan > MAX_VLAN || (mac & ~MacAddress.MASK) != 0) {
            throw new IllegalArgumentException("FDB key needs VLAN 0-" + MAX_VLAN + " and a 48-bit MAC, got VLAN "
                + vlan + " MAC 0x" + Long.toHexString(mac));
        }
        return (long) vlan << 48 | mac;
    }

    private void checkPort(int port) {
        if (port < 0 || port >= maxPorts) {
            throw new IllegalArgumentException("port " + port + " is outside this FDB's ports 0-" + (maxPorts - 1));
        }
    }
}
