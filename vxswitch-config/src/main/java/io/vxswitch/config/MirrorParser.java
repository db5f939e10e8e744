package io.vxswitch.config;

import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.VlanRange;

import java.util.ArrayList;
import java.util.List;

/**
 * A port mirroring session, as the config's {@code mirrors:} list and {@code POST /mirrors} write it:
 * <pre>
 * - name: span-vm1
 *   sources: {ports: [vm1, vm2], vlans: "119,200-210"}   # ports, VLANs, or both
 *   direction: both                                       # ingress, egress or both (the default)
 *   destination: {port: analyzer}                         # SPAN: a vNIC port that takes the copies only
 *   truncate: 128                                         # bytes kept of each copy (60-65535); whole frames without
 *   sample: 10                                            # one frame in 10; every frame without
 * - name: to-collector
 *   sources: {ports: [vm1]}
 *   destination:                                          # ERSPAN: a collector on the underlay, instead of a port
 *     erspan: {remote: 198.51.100.2, sessionId: 1}        # + local, version (2: type II, the default; 3: type III),
 *                                                         #   dscp, ttl, index (type II), hardwareId (type III)
 * </pre>
 */
public final class MirrorParser {
    private static final List<String> SESSION_KEYS = List.of("name", "sources", "direction", "destination",
        "truncate", "sample");
    private static final List<String> SOURCE_KEYS = List.of("ports", "vlans");
    private static final List<String> DESTINATION_KEYS = List.of("port", "erspan");
    private static final List<String> ERSPAN_KEYS = List.of("remote", "local", "sessionId", "version", "dscp", "ttl",
        "index", "hardwareId");

    private MirrorParser() {
    }

    public static MirrorSession session(YamlValue v) {
        YamlMap m = Values.map(v, "mirror session");
        String name = Values.name(m.require("name", "mirror session"), "mirror session name");
        String self = "mirror session '" + name + "'";
        m.allowOnly(self, SESSION_KEYS);
        YamlMap sources = Values.map(m.require("sources", self), self + ": sources");
        sources.allowOnly(self + ": sources", SOURCE_KEYS);
        List<String> ports = new ArrayList<>();
        for (YamlValue p : sources.get("ports").map(x -> Values.list(x, self + ": sources.ports")).orElse(List.of())) {
            ports.add(Values.name(p, self + ": sources.ports"));
        }
        List<VlanRange> vlans = List.of();
        if (sources.get("vlans").isPresent()) {
            YamlValue x = sources.get("vlans").get();
            try {
                vlans = VlanRange.parseList(Values.text(x, self + ": sources.vlans"));
            } catch (IllegalArgumentException e) {
                throw x.where().error(self + ": sources.vlans must be VLAN ranges like 119 or 100-199,300: "
                    + e.getMessage());
            }
        }
        MirrorDirection direction = MirrorDirection.BOTH;
        if (m.get("direction").isPresent()) {
            YamlValue x = m.get("direction").get();
            try {
                direction = MirrorDirection.parse(Values.text(x, self + ": direction"));
            } catch (IllegalArgumentException e) {
                throw x.where().error(self + ": " + e.getMessage());
            }
        }
        YamlMap destination = Values.map(m.require("destination", self), self + ": destination");
        destination.allowOnly(self + ": destination (a local port: {port: NAME}, or a collector: {erspan: {remote:"
            + " ADDRESS, sessionId: N}})", DESTINATION_KEYS);
        boolean hasPort = destination.get("port").isPresent();
        boolean hasErspan = destination.get("erspan").isPresent();
        if (hasPort == hasErspan) {
            throw destination.where().error(self + ": destination needs one of port (SPAN: {port: NAME}) or erspan"
                + " (a collector: {erspan: {remote: ADDRESS, sessionId: N}})" + (hasPort ? ", not both" : ""));
        }
        String port = hasPort ? Values.name(destination.require("port", self + ": destination"),
            self + ": destination.port") : null;
        ErspanDestination erspan = hasErspan ? erspan(destination.get("erspan").get(), self) : null;
        int truncate = m.get("truncate").map(x -> Values.integer(x, self + ": truncate (bytes)",
            MirrorSession.MIN_TRUNCATE, MirrorSession.MAX_TRUNCATE)).orElse(0);
        int sample = m.get("sample").map(x -> Values.integer(x, self + ": sample (one frame in N)", 1,
            Integer.MAX_VALUE)).orElse(1);
        try {
            return new MirrorSession(name, ports, vlans, direction, port, erspan, truncate, sample);
        } catch (IllegalArgumentException e) {
            throw v.where().error(e.getMessage());
        }
    }

    /** The {@code erspan:} map of a destination. */
    static ErspanDestination erspan(YamlValue v, String self) {
        String what = self + ": destination.erspan";
        YamlMap e = Values.map(v, what);
        e.allowOnly(what, ERSPAN_KEYS);
        java.net.InetAddress remote = address(e.require("remote", what), what + ".remote");
        java.net.InetAddress local = e.get("local").map(x -> address(x, what + ".local")).orElse(null);
        int sessionId = Values.integer(e.require("sessionId", what), what + ".sessionId",
            ErspanDestination.MIN_SESSION_ID, ErspanDestination.MAX_SESSION_ID);
        int type = e.get("version").map(x -> Values.integer(x, what + ".version (2: type II, 3: type III)",
            ErspanDestination.TYPE_II, ErspanDestination.TYPE_III)).orElse(ErspanDestination.DEFAULT_TYPE);
        int dscp = e.get("dscp").map(x -> Values.integer(x, what + ".dscp", 0, 63)).orElse(0);
        int ttl = e.get("ttl").map(x -> Values.integer(x, what + ".ttl", 1, 255)).orElse(0);
        int index = e.get("index").map(x -> Values.integer(x, what + ".index (type II)", 0, 0xF_FFFF)).orElse(0);
        int hardwareId = e.get("hardwareId").map(x -> Values.integer(x, what + ".hardwareId (type III)", 0, 63))
            .orElse(0);
        try {
            return new ErspanDestination(remote, local, sessionId, type, dscp, ttl, index, hardwareId);
        } catch (IllegalArgumentException x) {
            throw v.where().error(self + ": " + x.getMessage());
        }
    }

    private static java.net.InetAddress address(YamlValue v, String what) {
        try {
            return ErspanDestination.parseAddress(Values.text(v, what), what);
        } catch (IllegalArgumentException e) {
            throw v.where().error(e.getMessage());
        }
    }

    /** A session in this format, on one line (a flow mapping), with what differs from the defaults. */
    public static String yaml(MirrorSession s) {
        StringBuilder b = new StringBuilder("{name: ").append(quoted(s.name())).append(", sources: {");
        List<String> parts = new ArrayList<>();
        if (!s.sourcePorts().isEmpty()) {
            parts.add("ports: [" + String.join(", ", s.sourcePorts().stream().map(MirrorParser::quoted).toList()) + "]");
        }
        if (!s.sourceVlans().isEmpty()) {
            parts.add("vlans: \"" + VlanRange.format(s.sourceVlans()) + "\"");
        }
        b.append(String.join(", ", parts)).append("}, direction: ").append(s.direction().label())
            .append(", destination: ").append(s.remote() ? "{erspan: " + yaml(s.erspan()) + "}"
                : "{port: " + quoted(s.destinationPort()) + "}");
        if (s.truncate() != 0) {
            b.append(", truncate: ").append(s.truncate());
        }
        if (s.sample() != 1) {
            b.append(", sample: ").append(s.sample());
        }
        return b.append('}').toString();
    }

    /** An ERSPAN destination as a flow mapping, with what differs from the defaults. */
    public static String yaml(ErspanDestination e) {
        StringBuilder b = new StringBuilder("{remote: \"").append(e.remote().getHostAddress()).append('"');
        if (e.local() != null) {
            b.append(", local: \"").append(e.local().getHostAddress()).append('"');
        }
        b.append(", sessionId: ").append(e.sessionId());
        if (e.type() != ErspanDestination.DEFAULT_TYPE) {
            b.append(", version: ").append(e.type());
        }
        if (e.dscp() != 0) {
            b.append(", dscp: ").append(e.dscp());
        }
        if (e.ttl() != 0) {
            b.append(", ttl: ").append(e.ttl());
        }
        if (e.index() != 0) {
            b.append(", index: ").append(e.index());
        }
        if (e.hardwareId() != 0) {
            b.append(", hardwareId: ").append(e.hardwareId());
        }
        return b.append('}').toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
