package io.vxswitch.app.daemon;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.bgp.session.SessionConfig;
import io.vxswitch.config.Values;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.packet.Ipv4Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the {@code evpn} section and the EVPN settings of a tunnel (docs/evpn.md has the schema). Like the rest of the
 * config, every error names the line, the setting, what is expected and what was found.
 */
final class EvpnConfigParser {
    static final List<String> SECTION_KEYS = List.of("asn", "routerId", "holdTime", "keepalive", "connectRetry",
            "neighbors");
    static final List<String> NEIGHBOR_KEYS = List.of("address", "asn", "port", "source");

    private EvpnConfigParser() {
    }

    /**
     * The {@code evpn} section. {@code defaultRouterId} is the first EVPN tunnel's IPv4 local address, used when the
     * section has no routerId (0 when there is none).
     */
    static EvpnSection section(YamlValue v, int defaultRouterId) {
        YamlMap m = Values.map(v, "evpn");
        m.allowOnly("evpn", SECTION_KEYS);
        long asn = asn(m.require("asn", "evpn"), "evpn.asn");
        int routerId;
        Optional<YamlValue> id = m.get("routerId");
        if (id.isPresent()) {
            try {
                routerId = Ipv4Address.parse(Values.text(id.get(), "evpn.routerId"));
            } catch (IllegalArgumentException e) {
                throw id.get().where().error("evpn.routerId must be an IPv4 address (the BGP identifier, "
                        + "e.g. the VTEP address), got " + id.get().describe());
            }
            if (routerId == 0) {
                throw id.get().where().error("evpn.routerId 0.0.0.0 is not a BGP identifier (RFC 6286)");
            }
        } else if (defaultRouterId != 0) {
            routerId = defaultRouterId;
        } else {
            throw m.where().error("evpn: give routerId (an IPv4 address): no EVPN tunnel has an IPv4 local address"
                    + " to take it from");
        }
        int hold = m.get("holdTime").map(x -> Values.integer(x, "evpn.holdTime", 0, 65535))
                .orElse((int) SessionConfig.DEFAULT_HOLD.toSeconds());
        if (hold == 1 || hold == 2) {
            throw m.require("holdTime", "evpn").where().error("evpn.holdTime must be 0 (no keepalives) or at least 3"
                    + " seconds (RFC 4271 §4.2), got " + hold);
        }
        int keepalive = m.get("keepalive").map(x -> Values.integer(x, "evpn.keepalive", 0, 21845))
                .orElse((int) SessionConfig.DEFAULT_KEEPALIVE.toSeconds());
        int retry = m.get("connectRetry").map(x -> Values.integer(x, "evpn.connectRetry", 1, 65535))
                .orElse((int) SessionConfig.DEFAULT_CONNECT_RETRY.toSeconds());
        List<EvpnSection.Neighbor> neighbors = new ArrayList<>();
        for (YamlValue n : Values.list(m.require("neighbors", "evpn"), "evpn.neighbors")) {
            EvpnSection.Neighbor neighbor = neighbor(n);
            if (neighbors.stream().anyMatch(x -> x.address().equals(neighbor.address()))) {
                throw n.where().error("evpn.neighbors: " + neighbor.address().getHostAddress() + " is listed twice");
            }
            neighbors.add(neighbor);
        }
        if (neighbors.isEmpty()) {
            throw m.where().error("evpn.neighbors is empty: list the route reflectors, like"
                    + " [{address: 192.0.2.254, asn: 65000}]");
        }
        return new EvpnSection(asn, routerId, Duration.ofSeconds(hold), Duration.ofSeconds(keepalive),
                Duration.ofSeconds(retry), neighbors);
    }

    private static EvpnSection.Neighbor neighbor(YamlValue v) {
        YamlMap m = Values.map(v, "evpn neighbor");
        m.allowOnly("evpn neighbor", NEIGHBOR_KEYS);
        InetAddress address = address(m.require("address", "evpn neighbor"), "evpn neighbor: address");
        String what = "evpn neighbor " + address.getHostAddress();
        long asn = asn(m.require("asn", what), what + ": asn");
        int port = m.get("port").map(x -> Values.integer(x, what + ": port", 1, 65535)).orElse(SessionConfig.BGP_PORT);
        InetAddress source = m.get("source").map(x -> address(x, what + ": source")).orElse(null);
        return new EvpnSection.Neighbor(address, asn, port, source);
    }

    /** A tunnel's {@code rd} and {@code routeTargets} ({@code [65000:119]}, or {@code {import: [...], export: [...]}}). */
    static TunnelEvpn tunnel(YamlMap m, String what) {
        RouteDistinguisher rd = m.get("rd").map(x -> {
            try {
                return RouteDistinguisher.parse(Values.text(x, what + ": rd"));
            } catch (IllegalArgumentException e) {
                throw x.where().error(what + ": " + e.getMessage());
            }
        }).orElse(null);
        List<Long> imports = List.of();
        List<Long> exports = List.of();
        Optional<YamlValue> rts = m.get("routeTargets");
        if (rts.isPresent()) {
            YamlValue r = rts.get();
            if (r instanceof YamlMap both) {
                both.allowOnly(what + ": routeTargets", List.of("import", "export"));
                imports = both.get("import").map(x -> targets(x, what + ": routeTargets.import")).orElse(List.of());
                exports = both.get("export").map(x -> targets(x, what + ": routeTargets.export")).orElse(List.of());
            } else {
                imports = targets(r, what + ": routeTargets");
                exports = imports;
            }
        }
        boolean arp = m.get("arpSuppression").map(x -> Values.bool(x, what + ": arpSuppression")).orElse(false);
        return new TunnelEvpn(rd, imports, exports, arp);
    }

    private static List<Long> targets(YamlValue v, String what) {
        List<Long> out = new ArrayList<>();
        for (YamlValue t : Values.list(v, what)) {
            try {
                out.add(ExtendedCommunities.parseRouteTarget(Values.text(t, what)));
            } catch (IllegalArgumentException e) {
                throw t.where().error(what + ": " + e.getMessage());
            }
        }
        if (out.isEmpty()) {
            throw v.where().error(what + " is empty: leave it out for the automatic ASN:VNI, or list targets");
        }
        return out;
    }

    private static long asn(YamlValue v, String what) {
        String text = Values.text(v, what);
        try {
            long asn = Long.parseLong(text);
            if (asn >= 1 && asn <= 0xFFFF_FFFFL && asn != 23456) {
                return asn;
            }
        } catch (NumberFormatException e) {
            // the error below says what is accepted
        }
        throw v.where().error(what + " must be an AS number 1-4294967295 (not 23456, AS_TRANS), got " + v.describe());
    }

    private static InetAddress address(YamlValue v, String what) {
        String text = Values.text(v, what);
        if (!text.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            throw v.where().error(what + " must be an IP address, got " + v.describe());
        }
        try {
            return InetAddress.getByName(text); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw v.where().error(what + " must be an IP address, got " + v.describe());
        }
    }
}
