package io.vxswitch.forwarding;

/**
 * The IPv4 → MAC bindings a forwarding lane saw in ARP from local ports of a VLAN with ARP suppression, for the
 * control plane to advertise (RFC 7432 §9.2.1: a MAC/IP route once the address is known) and to bind. One ring per
 * lane: that lane writes, one control-plane thread reads; the two positions are volatile, each written by one side.
 * Only bindings the suppression table does not hold yet are offered, so a busy host's steady ARP costs a lookup.
 * When the ring is full the binding is dropped: the host's next ARP offers it again.
 */
public final class NeighborSnoop {
    /** Receives what was snooped, oldest first. */
    public interface Visitor {
        void binding(int vlan, int ipv4, long mac);
    }

    private final int capacity;
    private final int[] vlans;
    private final int[] addresses;
    private final long[] macs;
    private volatile long written;
    private volatile long read;

    public NeighborSnoop(int capacity) {
        if (Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("snoop ring capacity must be a power of two, got " + capacity);
        }
        this.capacity = capacity;
        vlans = new int[capacity];
        addresses = new int[capacity];
        macs = new long[capacity];
    }

    /** From the lane's thread: offers one binding; false when the ring is full. */
    boolean offer(int vlan, int ipv4, long mac) {
        long w = written;
        if (w - read >= capacity) {
            return false;
        }
        int i = (int) (w & (capacity - 1));
        vlans[i] = vlan;
        addresses[i] = ipv4;
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
            visitor.binding(vlans[i], addresses[i], macs[i]);
        }
        read = w;
        return (int) (w - r);
    }
}
