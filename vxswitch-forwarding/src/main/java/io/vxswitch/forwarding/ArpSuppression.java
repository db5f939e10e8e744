package io.vxswitch.forwarding;

import org.agrona.collections.Long2LongHashMap;

/**
 * ARP and neighbour discovery suppression (RFC 7432 §10, RFC 9161; FRR's {@code arp-nd-suppress}): for a VLAN with it
 * on, the IPv4 and IPv6 → MAC bindings the control plane knows (type-2 MAC/IP routes, and local ARP / neighbour
 * discovery it snooped), so that an ARP request or a neighbour solicitation from a local port for a bound address is
 * answered by the switch on that port instead of flooded to every VTEP of the VNI.
 *
 * <p>Changed only as the switch itself is changed: from one thread while no forwarding lane runs (the conductor's
 * commands, or set-up); the lanes read it without a lock, as they read the flood lists. No allocation on a lookup.
 */
public final class ArpSuppression {
    public static final long NONE = -1;

    private final boolean[] enabled = new boolean[4096];
    /** VLANs whose local ARP is offered to the control plane (every EVPN VLAN: MAC/IP routes), answering or not. */
    private final boolean[] snooped = new boolean[4096];
    /** (vlan << 32 | IPv4) → MAC. */
    private final Long2LongHashMap bindings = new Long2LongHashMap(NONE);
    private final Ipv6Bindings bindings6 = new Ipv6Bindings();
    private int vlans;

    /** Answers ARP requests and neighbour solicitations for bound addresses in {@code vlan} (and snoops it). */
    public void enable(int vlan) {
        snoop(vlan);
        enabled[vlan] = true;
    }

    /**
     * Offers the bindings local hosts announce in ARP and neighbour discovery in {@code vlan} to the control plane,
     * without answering for anyone: an EVPN VLAN's MAC/IP routes carry the address whether or not it suppresses ARP
     * (RFC 7432 §9.2.1).
     */
    public void snoop(int vlan) {
        if (!snooped[vlan]) {
            snooped[vlan] = true;
            vlans++;
        }
    }

    public boolean snooped(int vlan) {
        return snooped[vlan];
    }

    /** Whether any VLAN snoops or suppresses: when none does, the pipeline does not look at ARP at all. */
    public boolean any() {
        return vlans > 0;
    }

    public boolean enabled(int vlan) {
        return enabled[vlan];
    }

    /** Binds {@code ipv4} to {@code mac} in {@code vlan}, replacing an older binding of the address. */
    public void bind(int vlan, int ipv4, long mac) {
        bindings.put(key(vlan, ipv4), mac);
    }

    /** Removes the binding of {@code ipv4} if it is still to {@code mac}; true if it was. */
    public boolean unbind(int vlan, int ipv4, long mac) {
        long k = key(vlan, ipv4);
        if (bindings.get(k) == mac) {
            bindings.remove(k);
            return true;
        }
        return false;
    }

    /** The MAC bound to {@code ipv4} in {@code vlan}, or {@link #NONE}. */
    public long lookup(int vlan, int ipv4) {
        return bindings.get(key(vlan, ipv4));
    }

    /** Binds the IPv6 address {@code high:low} to {@code mac} in {@code vlan}, replacing an older binding. */
    public void bind(int vlan, long high, long low, long mac) {
        bindings6.put(vlan, high, low, mac);
    }

    /** Removes the binding of the IPv6 address if it is still to {@code mac}; true if it was. */
    public boolean unbind(int vlan, long high, long low, long mac) {
        return bindings6.remove(vlan, high, low, mac);
    }

    /** The MAC bound to the IPv6 address {@code high:low} in {@code vlan}, or {@link #NONE}. */
    public long lookup(int vlan, long high, long low) {
        return bindings6.get(vlan, high, low, NONE);
    }

    /** IPv4 and IPv6 bindings together. */
    public int size() {
        return bindings.size() + bindings6.size();
    }

    private static long key(int vlan, int ipv4) {
        return (long) vlan << 32 | (ipv4 & 0xFFFF_FFFFL);
    }
}
