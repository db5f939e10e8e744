package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.message.PmsiTunnel;

import java.net.InetAddress;
import java.util.List;

/**
 * A route this VTEP originates, with what is the same for every neighbor: the next hop (the local VTEP), the extended
 * communities (route targets, VXLAN encapsulation, MAC mobility) and, for type 3, the PMSI tunnel. ORIGIN, AS_PATH
 * and LOCAL_PREF depend on the session (iBGP or eBGP) and are added per neighbor.
 */
record LocalRoute(int vni, EvpnRoute route, InetAddress nextHop, List<Long> communities, PmsiTunnel pmsi) {
    LocalRoute {
        communities = List.copyOf(communities);
    }

    /** Routes with the same attributes share an UPDATE. */
    Object attributesKey() {
        return List.of(nextHop, communities, pmsi == null ? "" : pmsi);
    }
}
