package io.vxswitch.forwarding;

/**
 * The address → MAC bindings a forwarding lane saw in ARP and IPv6 neighbour discovery from local ports of an EVPN
 * VLAN, for the control plane to advertise (RFC 7432 §9.2.1: a MAC/IP route once the address is known) and to bind.
 * One ring per lane: that lane writes, one control-plane thread reads; the two positions are volatile, each written by
 * one side. Only bindings the suppression table does not hold yet are offered, so a busy host's steady ARP costs a
 * lookup. When the ring is full the binding is dropped: the host's next ARP or neighbour discovery offers it again.
 */
public final class NeighborSnoop {
    /** Receives what was snooped, oldest first. */
    public interface Visitor {
        void binding(int vlan, int ipv4, long mac);

        /** An IPv6 address, {@code high:low}. */
        void binding(int vlan, long high, long low, long mac);
    }

    /** Marks an IPv6 slot in {@link #families}. */
    private static final byte IPV6 = 6;

    private final int capacity;
    private final int[] vlans;
    private final byte[] families;
    /** IPv4 in the low 32 bits of {@code lows}; IPv6 in both. */
    private final long[] highs;
    private final long[] lows;
    private final long[] macs;
    private volatile long written;
    private volatile long read;

    public NeighborSnoop(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("snoop ring capacity must be a power of two, got " + capacity);
        }
        this.capacity = capacity;
        vlans = new int[capacity];
        families = new byte[capacity];
        highs = new long[capacity];
        lows = new long[capacity];
        macs = new long[capacity];
    }

    /** From the lane's thread: offers one IPv4 binding; false when the ring is full. */
    boolean offer(int vlan, int ipv4, long mac) {
        return offer(vlan, (byte) 4, 0, ipv4, mac);
    }

    /** From the lane's thread: offers one IPv6 binding; false when the ring is full. */
    boolean offer(int vlan, long high, long low, long mac) {
        return offer(vlan, IPV6, high, low, mac);
    }

    private boolean offer(int vlan, byte family, long high, long low, long mac) {
        long w = written;
        if (w - read >= capacity) {
            return false;
        }
        int i = (int) (w & (capacity - 1));
        vlans[i] = vlan;
        families[i] = family;
        highs[i] = high;
        lows[i] = low;
        macs[i] = mac;
        written = w + 1; // publishes the slot
        return true;
    }

    /** From the control plane's thread: hands every binding offered so far to {@code visitor}; returns how many. */
    public int drain(Visitor visitor) {
        long r = read;
        long w = written;
        for (long p = r; p < w; p++) {
            int i = (int) (p & (capacity - 1));
            if (families[i] == IPV6) {
                visitor.binding(vlans[i], highs[i], lows[i], macs[i]);
            } else {
                visitor.binding(vlans[i], (int) lows[i], macs[i]);
            }
        }
        read = w;
        return (int) (w - r);
    }
}
