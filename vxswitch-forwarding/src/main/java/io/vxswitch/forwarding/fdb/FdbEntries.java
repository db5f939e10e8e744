package io.vxswitch.forwarding.fdb;

/**
 * The entries of an FDB: a fixed pool of parallel primitive arrays indexed by entry id (key, port, remote VTEP,
 * type, last seen, moves, EVPN sequence number), a stack of free ids, and the index from key to id. Nothing is allocated after
 * construction and nothing is boxed. Changed under the FDB's write lock; the FDB reads the columns directly, in
 * optimistic reads too.
 */
final class FdbEntries {
    static final byte FREE = 0;
    /** Learned from a frame's source MAC. */
    static final byte LEARNED = 1;
    /** Configured by the operator. */
    static final byte STATIC = 2;
    /** A vNIC's MAC in the one VLAN its port group carries (a direct entry). */
    static final byte VNIC = 3;
    /** A vNIC's MAC in every VLAN, keyed with {@link #OWNER_VLAN} (an owner entry). */
    static final byte VNIC_OWNER = 4;
    /** Installed by the EVPN control plane: a MAC behind a remote VTEP (RFC 7432 MAC/IP Advertisement route). */
    static final byte EVPN = 5;
    /** Added to LEARNED, STATIC or EVPN: the entry's MAC is a local vNIC's, and the vNIC goes first. */
    static final byte OWNED = 8;

    /** The key VLAN of owner entries: beyond the 12 bits of a VLAN id, so no frame's key is ever one. */
    static final long OWNER_VLAN = 0x1000;
    static final long MAC_MASK = 0xFFFF_FFFF_FFFFL;

    final long[] keys;
    final int[] ports;
    /** Remote VTEP id for MACs behind a tunnel port (several VTEPs share one tunnel port), else Fdb.NO_REMOTE. */
    final int[] remotes;
    final byte[] types;
    final long[] lastSeen;
    final int[] moves;
    /**
     * MAC mobility sequence number of an EVPN entry (RFC 7432 §7.7: four octets, unsigned); a column of its own, not
     * lastSeen, because a lane's stray refresh of a released id may still write lastSeen.
     */
    final int[] sequences;
    final FdbIndex index;

    private final int[] freeIds;
    private int freeCount;
    /** Ids at or above this have never been used, so scans stop here. */
    private int highWater;

    /** @param pool most entries at once, of every type */
    FdbEntries(int pool, long hashSecret) {
        keys = new long[pool];
        ports = new int[pool];
        remotes = new int[pool];
        types = new byte[pool];
        lastSeen = new long[pool];
        moves = new int[pool];
        sequences = new int[pool];
        freeIds = new int[pool];
        index = new FdbIndex(keys, pool, hashSecret);
    }

    /** How many entries the pool holds at most. */
    int pool() {
        return keys.length;
    }

    /** Scans of every entry stop here. */
    int highWater() {
        return highWater;
    }

    /** Takes a free id, fills it and indexes it under {@code key}, which must not be indexed yet. */
    int allocate(long key, int port, int remote, byte type, long now) {
        int id = freeCount > 0 ? freeIds[--freeCount] : highWater++;
        keys[id] = key;
        ports[id] = port;
        remotes[id] = remote;
        types[id] = type;
        lastSeen[id] = now;
        moves[id] = 0;
        index.insert(id);
        return id;
    }

    /** Unindexes entry {@code id} and gives its id back; its key stays readable until the id is reused. */
    void free(int id) {
        index.delete(id);
        types[id] = FREE;
        freeIds[freeCount++] = id;
    }

    /** The type without the {@link #OWNED} mark. */
    static byte base(byte type) {
        return (byte) (type & ~OWNED);
    }

    /**
     * True for learned, static and EVPN entries, marked or not: the entries the table learns, operators add and the
     * control plane installs.
     */
    static boolean isMacEntry(byte type) {
        byte base = base(type);
        return base == LEARNED || base == STATIC || base == EVPN;
    }

    static long ownerKey(long mac) {
        return OWNER_VLAN << 48 | mac;
    }
}
