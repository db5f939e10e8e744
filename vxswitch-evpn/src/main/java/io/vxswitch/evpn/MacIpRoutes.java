package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EthernetSegment;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The type-2 (MAC/IP) routes every neighbor sent, kept in columns of primitive arrays: a route has an id (its row),
 * each neighbor's copy a cell of the row (its ESI, labels and the {@link RouteAttributes} of the UPDATE it came in).
 *
 * <p>Why columns and not a map of route objects: a reflector sends a fabric's 100,000 MACs within a second or two,
 * and every object they leave alive is copied by G1 out of the young generation while the switch loop stands still
 * (15-120 ms pauses with four objects per route: docs/benchmarks.md, "Fewer live objects per route"). Here a route
 * is a row of a dozen arrays, which are few objects, and the large ones are allocated in the old generation at once.
 * {@link #route} and {@link #copy} make objects for the moment they are needed; the objects passed in are not kept
 * (except the attributes, one per UPDATE).
 *
 * <p>The key (RFC 7432 §7.2: RD, Ethernet tag, MAC, IP; not the ESI or the labels) is found through an open-addressing
 * index with linear probing, hashed with a per-table secret so that a peer cannot choose MACs that collide (as Open
 * vSwitch's MAC table does). Removal shifts the entries after it back, so the index has no tombstones. Not
 * thread-safe: the EVPN control plane's thread owns it.
 */
final class MacIpRoutes {
    static final int NONE = -1;
    private static final int INITIAL_ROUTES = 1024;
    /** {@link #nextFree} of a route in use. */
    private static final int IN_USE = -2;

    private final int neighbors;
    private final long secret = ThreadLocalRandom.current().nextLong();

    // the key, per route id
    private long[] rd = new long[INITIAL_ROUTES];
    private int[] tag = new int[INITIAL_ROUTES];
    private long[] mac = new long[INITIAL_ROUTES];
    private long[] ipHigh = new long[INITIAL_ROUTES];
    private long[] ipLow = new long[INITIAL_ROUTES];
    /** 0 for a MAC-only route, else 4 or 16. */
    private byte[] ipLength = new byte[INITIAL_ROUTES];
    /** How many neighbors have a copy. */
    private int[] copies = new int[INITIAL_ROUTES];
    /** The next free id after this one, {@link #NONE} at the end of the free list, {@link #IN_USE} for a route. */
    private int[] nextFree = new int[INITIAL_ROUTES];

    // the copies, per route id * neighbors + neighbor; a null attributes cell: that neighbor has no copy
    private RouteAttributes[] attributes;
    private EthernetSegment[] esi;
    private int[] label1;
    private int[] label2;

    private int freeHead = NONE;
    /** Ids below this have been handed out at least once. */
    private int highWater;
    private int size;
    /** Route id + 1 at the slot its key hashes to or after it; 0 is an empty slot. */
    private int[] index = new int[2 * INITIAL_ROUTES];

    MacIpRoutes(int neighbors) {
        this.neighbors = neighbors;
        attributes = new RouteAttributes[INITIAL_ROUTES * neighbors];
        esi = new EthernetSegment[INITIAL_ROUTES * neighbors];
        label1 = new int[INITIAL_ROUTES * neighbors];
        label2 = new int[INITIAL_ROUTES * neighbors];
    }

    /** How many routes have an id (some of them may be between losing their last copy and {@link #remove}). */
    int size() {
        return size;
    }

    /** Ids are below this; {@link #live} says which are routes. */
    int idLimit() {
        return highWater;
    }

    boolean live(int id) {
        return nextFree[id] == IN_USE;
    }

    /** The id of {@code r}'s key, or {@link #NONE}. */
    int find(MacIpRoute r) {
        long rdBits = rdBits(r.rd());
        int tagBits = (int) r.ethernetTag();
        byte[] ip = r.ip() == null ? null : r.ip().getAddress();
        long high = high(ip);
        long low = low(ip);
        int length = ip == null ? 0 : ip.length;
        int mask = index.length - 1;
        for (int i = hash(rdBits, tagBits, r.mac(), high, low, length) & mask; ; i = (i + 1) & mask) {
            int e = index[i];
            if (e == 0) {
                return NONE;
            }
            int id = e - 1;
            if (mac[id] == r.mac() && rd[id] == rdBits && tag[id] == tagBits && ipLow[id] == low
                    && ipHigh[id] == high && ipLength[id] == length) {
                return id;
            }
        }
    }

    /** Gives {@code r}'s key an id, with no copies yet; the key must not have one. */
    int add(MacIpRoute r) {
        if (2 * (size + 1) > index.length) {
            reindex(2 * index.length);
        }
        int id = allocate();
        byte[] ip = r.ip() == null ? null : r.ip().getAddress();
        rd[id] = rdBits(r.rd());
        tag[id] = (int) r.ethernetTag();
        mac[id] = r.mac();
        ipHigh[id] = high(ip);
        ipLow[id] = low(ip);
        ipLength[id] = (byte) (ip == null ? 0 : ip.length);
        copies[id] = 0;
        insert(id);
        size++;
        return id;
    }

    /** Frees the id of a route that has no copies left. */
    void remove(int id) {
        if (copies[id] != 0) {
            throw new IllegalStateException("route " + id + " still has " + copies[id] + " copies");
        }
        unindex(id);
        nextFree[id] = freeHead;
        freeHead = id;
        size--;
    }

    // ---- copies

    boolean has(int id, int neighbor) {
        return attributes[id * neighbors + neighbor] != null;
    }

    /** How many neighbors have a copy of the route. */
    int copies(int id) {
        return copies[id];
    }

    /** The first neighbor (in configuration order) with a copy, or {@link #NONE}. */
    int first(int id) {
        int base = id * neighbors;
        for (int n = 0; n < neighbors; n++) {
            if (attributes[base + n] != null) {
                return n;
            }
        }
        return NONE;
    }

    /** Whether {@code neighbor}'s copy is {@code r} with {@code a}: a re-advertisement with nothing new. */
    boolean sameCopy(int id, int neighbor, MacIpRoute r, RouteAttributes a) {
        int c = id * neighbors + neighbor;
        return attributes[c] != null && label1[c] == r.label1() && label2[c] == r.label2() && esi[c].equals(r.esi())
                && attributes[c].equals(a);
    }

    void set(int id, int neighbor, MacIpRoute r, RouteAttributes a) {
        int c = id * neighbors + neighbor;
        if (attributes[c] == null) {
            copies[id]++;
        }
        attributes[c] = a;
        esi[c] = r.esi();
        label1[c] = r.label1();
        label2[c] = r.label2();
    }

    void clear(int id, int neighbor) {
        int c = id * neighbors + neighbor;
        if (attributes[c] != null) {
            attributes[c] = null;
            esi[c] = null;
            copies[id]--;
        }
    }

    /** {@code neighbor}'s copy as a route object, made now. */
    MacIpRoute route(int id, int neighbor) {
        int c = id * neighbors + neighbor;
        return new MacIpRoute(new RouteDistinguisher((int) (rd[id] >>> 48), rd[id] & 0xFFFF_FFFF_FFFFL), esi[c],
                tag[id] & 0xFFFF_FFFFL, mac[id], ip(id), label1[c], label2[c]);
    }

    /** {@code neighbor}'s copy with its attributes, made now. */
    ReceivedRoute copy(int id, int neighbor) {
        return new ReceivedRoute(route(id, neighbor), attributes[id * neighbors + neighbor]);
    }

    long mac(int id) {
        return mac[id];
    }

    // ---- ids and the index

    private int allocate() {
        if (freeHead != NONE) {
            int id = freeHead;
            freeHead = nextFree[id];
            nextFree[id] = IN_USE;
            return id;
        }
        if (highWater == mac.length) {
            grow(2 * mac.length);
        }
        nextFree[highWater] = IN_USE;
        return highWater++;
    }

    private void grow(int routes) {
        rd = Arrays.copyOf(rd, routes);
        tag = Arrays.copyOf(tag, routes);
        mac = Arrays.copyOf(mac, routes);
        ipHigh = Arrays.copyOf(ipHigh, routes);
        ipLow = Arrays.copyOf(ipLow, routes);
        ipLength = Arrays.copyOf(ipLength, routes);
        copies = Arrays.copyOf(copies, routes);
        nextFree = Arrays.copyOf(nextFree, routes);
        attributes = Arrays.copyOf(attributes, routes * neighbors);
        esi = Arrays.copyOf(esi, routes * neighbors);
        label1 = Arrays.copyOf(label1, routes * neighbors);
        label2 = Arrays.copyOf(label2, routes * neighbors);
    }

    private void reindex(int slots) {
        index = new int[slots];
        for (int id = 0; id < highWater; id++) {
            if (nextFree[id] == IN_USE) {
                insert(id);
            }
        }
    }

    private void insert(int id) {
        int mask = index.length - 1;
        int i = home(id) & mask;
        while (index[i] != 0) {
            i = (i + 1) & mask;
        }
        index[i] = id + 1;
    }

    /**
     * Empties the id's slot and moves back each entry of the probe run after it that may live there (one whose home
     * slot is not between the emptied slot and where it sits), so that every entry stays reachable from its home.
     */
    private void unindex(int id) {
        int mask = index.length - 1;
        int hole = home(id) & mask;
        while (index[hole] != id + 1) {
            hole = (hole + 1) & mask;
        }
        index[hole] = 0;
        for (int i = (hole + 1) & mask; index[i] != 0; i = (i + 1) & mask) {
            int h = home(index[i] - 1) & mask;
            boolean stays = hole <= i ? hole < h && h <= i : hole < h || h <= i;
            if (!stays) {
                index[hole] = index[i];
                index[i] = 0;
                hole = i;
            }
        }
    }

    private int home(int id) {
        return hash(rd[id], tag[id], mac[id], ipHigh[id], ipLow[id], ipLength[id]);
    }

    private int hash(long rdBits, int tagBits, long macBits, long high, long low, int length) {
        long h = mix(secret ^ macBits);
        h = mix(h ^ rdBits);
        h = mix(h ^ ((long) tagBits << 8 | length));
        h = mix(h ^ high);
        h = mix(h ^ low);
        return (int) (h ^ h >>> 32);
    }

    /** MurmurHash3's 64-bit finaliser: every input bit reaches every output bit. */
    private static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ h >>> 33;
    }

    private static long rdBits(RouteDistinguisher rd) {
        return (long) rd.type() << 48 | rd.value();
    }

    private static long high(byte[] ip) {
        return ip == null || ip.length == 4 ? 0 : bytes(ip, 0);
    }

    private static long low(byte[] ip) {
        if (ip == null) {
            return 0;
        }
        return ip.length == 4 ? bytes(ip, 0) >>> 32 : bytes(ip, 8);
    }

    /** Eight bytes from {@code from} (fewer at the end of a four-byte address: the rest read as zero). */
    private static long bytes(byte[] b, int from) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = v << 8 | (from + i < b.length ? b[from + i] & 0xFF : 0);
        }
        return v;
    }

    private InetAddress ip(int id) {
        int length = ipLength[id];
        if (length == 0) {
            return null;
        }
        byte[] b = new byte[length];
        if (length == 4) {
            long v = ipLow[id];
            for (int i = 0; i < 4; i++) {
                b[i] = (byte) (v >>> (24 - 8 * i));
            }
        } else {
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (ipHigh[id] >>> (56 - 8 * i));
                b[8 + i] = (byte) (ipLow[id] >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes: cannot happen
        }
    }
}
