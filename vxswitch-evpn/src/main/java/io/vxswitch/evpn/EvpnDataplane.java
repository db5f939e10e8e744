package io.vxswitch.evpn;

import java.net.InetAddress;

/**
 * What the EVPN layer asks of the switch, per VNI: the remote VTEPs to flood BUM traffic to (head-end replication
 * from type-3 routes) and the remote MACs with the VTEP they live behind (type-2 routes). The host switch queues
 * each change on the dataplane's command path; none of these may block.
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
}
