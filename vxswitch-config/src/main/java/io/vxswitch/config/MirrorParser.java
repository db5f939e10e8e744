package io.vxswitch.config;

import io.vxswitch.config.YamlValue.YamlMap;
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
 * </pre>
 */
public final class MirrorParser {
    private static final List<String> SESSION_KEYS = List.of("name", "sources", "direction", "destination",
        "truncate", "sample");
    private static final List<String> SOURCE_KEYS = List.of("ports", "vlans");
    private static final List<String> DESTINATION_KEYS = List.of("port");

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
        destination.allowOnly(self + ": destination (a local port: {port: NAME})", DESTINATION_KEYS);
        String port = Values.name(destination.require("port", self + ": destination"), self + ": destination.port");
        int truncate = m.get("truncate").map(x -> Values.integer(x, self + ": truncate (bytes)",
            MirrorSession.MIN_TRUNCATE, MirrorSession.MAX_TRUNCATE)).orElse(0);
        int sample = m.get("sample").map(x -> Values.integer(x, self + ": sample (one frame in N)", 1,
            Integer.MAX_VALUE)).orElse(1);
        try {
            return new MirrorSession(name, ports, vlans, direction, port, truncate, sample);
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
            .append(", destination: {port: ").append(quoted(s.destinationPort())).append('}');
        if (s.truncate() != 0) {
            b.append(", truncate: ").append(s.truncate());
        }
        if (s.sample() != 1) {
            b.append(", sample: ").append(s.sample());
        }
        return b.append('}').toString();
    }

    private static String quoted(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
