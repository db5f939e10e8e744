package io.vxswitch.app.daemon;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;

/**
 * The config's {@code evpn} section: this host's BGP speaker (AS, router id, timers) and its neighbors, the route
 * reflectors. Tunnels with {@code controlPlane: evpn} are its VNIs.
 */
public record EvpnSection(long asn, int routerId, Duration holdTime, Duration keepalive, Duration connectRetry,
                          List<Neighbor> neighbors) {
    public EvpnSection {
        neighbors = List.copyOf(neighbors);
    }

    /** As a reload's refusal names it: {@code AS 65000, router id 192.0.2.1, hold 90 s, neighbors [192.0.2.254]}. */
    @Override
    public String toString() {
        return "AS " + asn + ", router id " + io.vxswitch.packet.Ipv4Address.format(routerId) + ", hold "
            + holdTime.toSeconds() + " s, keepalive " + keepalive.toSeconds() + " s, connect retry "
            + connectRetry.toSeconds() + " s, neighbors " + neighbors.stream().map(n -> n.address().getHostAddress()
                + " AS " + n.asn() + (n.port() == 179 ? "" : " port " + n.port())
                + (n.source() == null ? "" : " source " + n.source().getHostAddress())).toList();
    }

    /**
     * One BGP neighbor. {@code source} is the address the session is opened from (FRR's {@code update-source}), or
     * null for the kernel's choice; {@code port} is 179 but for tests and labs.
     */
    public record Neighbor(InetAddress address, long asn, int port, InetAddress source) {
    }
}
