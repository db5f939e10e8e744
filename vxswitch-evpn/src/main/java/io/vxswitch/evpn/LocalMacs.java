package io.vxswitch.evpn;

import java.util.Map;

/** What the switch tells the EVPN control plane about the MACs on its local ports, per VNI (any thread). */
public interface LocalMacs {
    /** A MAC is now local (learned on a local port, or moved there); {@code sticky} for a static one. */
    void localMacLearned(int vni, long mac, boolean sticky);

    /** A local MAC aged out, was flushed, or moved behind a remote VTEP. */
    void localMacRemoved(int vni, long mac);

    /** A local host said (in ARP) that {@code ip} is {@code mac}'s: advertise the MAC/IP binding. */
    void localMacAddress(int vni, long mac, java.net.InetAddress ip);

    /** After a rescan: the local MACs of {@code vni} are exactly {@code macs} (MAC → sticky). */
    void syncLocalMacs(int vni, Map<Long, Boolean> macs);
}
