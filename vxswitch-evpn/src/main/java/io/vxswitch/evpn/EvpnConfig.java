package io.vxswitch.evpn;

import io.vxswitch.bgp.session.SessionConfig;

import java.util.List;

/** The EVPN control plane of one host: its AS and router id, the BGP neighbors (route reflectors), the VNIs. */
public record EvpnConfig(long asn, int routerId, List<SessionConfig> neighbors, List<VniConfig> vnis) {
    public EvpnConfig {
        neighbors = List.copyOf(neighbors);
        vnis = List.copyOf(vnis);
        if (neighbors.isEmpty()) {
            throw new IllegalArgumentException("EVPN needs at least one BGP neighbor (a route reflector)");
        }
    }
}
