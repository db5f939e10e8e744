package io.vxswitch.evpn;

import java.net.InetAddress;

/**
 * What the EVPN layer asks of the switch, per VNI: the remote VTEPs to flood BUM traffic to (head-end replication
 * from type-3 routes) and the remote MACs with the VTEP they live behind (type-2 routes). The host switch queues
 * the changes for the dataplane's command path; none of these may block. They are told in bursts (the routes of the
 * UPDATEs one read brought, a neighbor's routes dropped, a local MAC's change), each burst closed by {@link #commit}:
 * one command for a burst, not one per route, is how 100,000 routes reach the switch in a few seconds.
 */
public interface EvpnDataplane {
    void addFloodVtep(int vni, InetAddress vtep);

    void removeFloodVtep(int vni, InetAddress vtep);

    /** Installs or moves a remote MAC: it lives behind {@code vtep} (replacing a locally learned entry: it moved). */
    void installRemoteMac(int vni, long mac, InetAddress vtep, long sequence);

    /** Removes the remote MAC's entry, if it is still a remote one (a MAC learned locally meanwhile stays). */
    void removeRemoteMac(int vni, long mac);

    /**
     * ARP suppression (RFC 7432 §10): {@code ip} is {@code mac}'s in the VNI, from a MAC/IP route or a local host's ARP;
     * a dataplane whose VNI does not suppress ignores it.
     */
    void bindAddress(int vni, InetAddress ip, long mac);

    /** The binding of {@code ip} to {@code mac} is gone (the route was withdrawn, the MAC aged out or moved). */
    void unbindAddress(int vni, InetAddress ip, long mac);

    /** The changes told since the last commit are one burst: hand them to the switch now, in order. */
    default void commit() {
    }
}
