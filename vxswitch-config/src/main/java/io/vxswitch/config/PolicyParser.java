package io.vxswitch.config;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.PortShaping;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.config.YamlValue.Scalar;
import io.vxswitch.config.YamlValue.YamlMap;

import java.util.List;
import java.util.Locale;

/**
 * Port group policies in the vSphere vocabulary (DVSSecurityPolicy, DVSMacLearningPolicy):
 * <pre>
 * vlan: 119                               # access VLAN; "none" (or 0) for untagged; or a trunk:
 * vlan: {trunk: 1-4094, native: 0}
 * security: {allowPromiscuous: false, macChanges: false, forgedTransmits: accept}
 * macLearning: {enabled: true, allowUnicastFlooding: true, limit: 4096, limitPolicy: drop, agingSeconds: 300}
 * shaping: {ingress: {average: 50mbit, peak: 100mbit, burst: 1m}, egress: {average: 1gbit}}
 * </pre>
 * Anything left out keeps the VDS default (security all reject, learning off, no shaping).
 */
public final class PolicyParser {
    private static final List<String> SECURITY_KEYS = List.of("allowPromiscuous", "macChanges", "forgedTransmits");
    private static final List<String> LEARNING_KEYS =
        List.of("enabled", "allowUnicastFlooding", "limit", "limitPolicy", "agingSeconds");
    private static final List<String> TRUNK_KEYS = List.of("trunk", "native");
    private static final List<String> GROUP_KEYS = List.of("name", "vlan", "security", "macLearning", "shaping");
    private static final List<String> SHAPING_KEYS = List.of("ingress", "egress");
    private static final List<String> SHAPER_KEYS = List.of("enabled", "average", "peak", "burst");

    private PolicyParser() {
    }

    /**
     * A whole port group: {@code {name, vlan, security, macLearning, shaping}}, VDS defaults for what is left out.
     *
     * @param owner what the port group belongs to, for messages ("host switch 'esxi'", or "the config")
     */
    public static PortGroupPolicy portGroup(YamlValue v, String owner) {
        YamlMap m = Values.map(v, owner + ": port group");
        String name = Values.name(m.require("name", owner + ": port group"), owner + ": port group name");
        String self = "port group '" + name + "'";
        m.allowOnly(self, GROUP_KEYS);
        VlanPolicy vlan = m.get("vlan").map(x -> vlan(x, self + ": vlan", 0)).orElse(VlanPolicy.none());
        SecurityPolicy security = m.get("security").map(x -> security(x, self + ": security"))
            .orElse(SecurityPolicy.VDS_DEFAULT);
        MacLearningPolicy learning = m.get("macLearning").map(x -> macLearning(x, self + ": macLearning"))
            .orElse(MacLearningPolicy.DISABLED);
        PortShaping shaping = m.get("shaping").map(x -> shaping(x, self + ": shaping")).orElse(PortShaping.NONE);
        return new PortGroupPolicy(name, vlan, security, learning, shaping);
    }

    /**
     * Traffic shaping, each direction as vSphere names it (from the VM's side of the switch: {@code ingress} is what
     * a port sends in, {@code egress} what it is sent): {@code {ingress: {...}, egress: {...}}}, either left out for
     * no shaping that way.
     */
    public static PortShaping shaping(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        m.allowOnly(what, SHAPING_KEYS);
        return new PortShaping(m.get("ingress").map(x -> shaper(x, what + ".ingress")).orElse(null),
            m.get("egress").map(x -> shaper(x, what + ".egress")).orElse(null));
    }

    /**
     * One direction: {@code {average: 50mbit, peak: 100mbit, burst: 1m}}; {@code average} is required, {@code peak}
     * defaults to the average and {@code burst} to vSphere's 102400 KB; {@code enabled: false} keeps the numbers and
     * shapes nothing (null).
     */
    public static TrafficShapingPolicy shaper(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        m.allowOnly(what, SHAPER_KEYS);
        boolean enabled = m.get("enabled").map(x -> Values.bool(x, what + ".enabled")).orElse(true);
        YamlValue averageNode = m.require("average", what + " (a rate such as average: 100mbit)");
        long average = Values.bitRate(averageNode, what + ".average");
        long peak = m.get("peak").map(x -> Values.bitRate(x, what + ".peak")).orElse(average);
        long burst = m.get("burst").map(x -> Values.byteSize(x, what + ".burst"))
            .orElse(TrafficShapingPolicy.VDS_DEFAULT_BURST);
        if (average < TrafficShapingPolicy.MIN_BANDWIDTH || average > TrafficShapingPolicy.MAX_BANDWIDTH) {
            throw averageNode.where().error(what + ".average must be from "
                + TrafficShapingPolicy.bits(TrafficShapingPolicy.MIN_BANDWIDTH) + " to "
                + TrafficShapingPolicy.bits(TrafficShapingPolicy.MAX_BANDWIDTH) + ", got "
                + TrafficShapingPolicy.bits(average));
        }
        if (peak < average || peak > TrafficShapingPolicy.MAX_BANDWIDTH) {
            YamlValue peakNode = m.get("peak").orElseThrow(); // only a given peak can be off
            throw peakNode.where().error(what + ".peak (" + TrafficShapingPolicy.bits(peak) + ") must be at least the"
                + " average (" + TrafficShapingPolicy.bits(average) + ") and at most "
                + TrafficShapingPolicy.bits(TrafficShapingPolicy.MAX_BANDWIDTH) + ": write peak: "
                + TrafficShapingPolicy.bits(average) + " or more, or leave it out (it is then the average)");
        }
        if (burst < 1 || burst > TrafficShapingPolicy.MAX_BURST) {
            throw m.get("burst").orElseThrow().where().error(what + ".burst must be from 1 byte to "
                + TrafficShapingPolicy.bytes(TrafficShapingPolicy.MAX_BURST) + ", got " + burst + " bytes");
        }
        return enabled ? new TrafficShapingPolicy(average, peak, burst) : null;
    }

    /**
     * @param defaultNative the native VLAN of a trunk that does not name one: 0 (untagged segment) on a VDS,
     *                      1 on a physical switch
     */
    public static VlanPolicy vlan(YamlValue v, String what, int defaultNative) {
        if (v instanceof Scalar) {
            String t = Values.text(v, what);
            if (t.equals("none") || t.equals("0")) {
                return VlanPolicy.none();
            }
            return VlanPolicy.access(Values.integer(v, what + " (none, a VLAN ID, or {trunk: ranges})", 1, 4094));
        }
        YamlMap m = Values.map(v, what);
        m.allowOnly(what, TRUNK_KEYS);
        YamlValue ranges = m.require("trunk", what);
        List<VlanRange> list;
        try {
            list = VlanRange.parseList(Values.text(ranges, what + ".trunk"));
        } catch (IllegalArgumentException e) {
            throw ranges.where().error(what + ".trunk must be VLAN ranges like 1-4094 or 100-199,300: "
                + e.getMessage());
        }
        int nativeVlan = m.get("native").map(n -> Values.integer(n, what + ".native", 0, 4094)).orElse(defaultNative);
        return VlanPolicy.trunk(list, nativeVlan);
    }

    public static SecurityPolicy security(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        m.allowOnly(what, SECURITY_KEYS);
        SecurityPolicy s = SecurityPolicy.VDS_DEFAULT;
        s = s.withPromiscuous(m.get("allowPromiscuous").map(x -> accept(x, what + ".allowPromiscuous")).orElse(false));
        s = s.withMacChanges(m.get("macChanges").map(x -> accept(x, what + ".macChanges")).orElse(false));
        return s.withForgedTransmits(m.get("forgedTransmits").map(x -> accept(x, what + ".forgedTransmits"))
            .orElse(false));
    }

    public static MacLearningPolicy macLearning(YamlValue v, String what) {
        YamlMap m = Values.map(v, what);
        m.allowOnly(what, LEARNING_KEYS);
        boolean enabled = m.get("enabled").map(x -> Values.bool(x, what + ".enabled")).orElse(false);
        MacLearningPolicy p = enabled ? MacLearningPolicy.ENABLED : MacLearningPolicy.DISABLED;
        if (m.get("allowUnicastFlooding").isPresent()) {
            p = p.withUnicastFlooding(Values.bool(m.get("allowUnicastFlooding").get(), what + ".allowUnicastFlooding"));
        }
        int limit = m.get("limit").map(x -> Values.integer(x, what + ".limit", 0, MacLearningPolicy.MAX_LIMIT))
            .orElse(p.limit());
        MacLearningPolicy.LimitPolicy limitPolicy = m.get("limitPolicy").map(x -> limitPolicy(x, what + ".limitPolicy"))
            .orElse(p.limitPolicy());
        p = p.withLimit(limit, limitPolicy);
        if (m.get("agingSeconds").isPresent()) {
            p = p.withAgingSeconds(Values.integer(m.get("agingSeconds").get(), what + ".agingSeconds",
                MacLearningPolicy.MIN_AGING_SECONDS, MacLearningPolicy.MAX_AGING_SECONDS));
        }
        return p;
    }

    private static MacLearningPolicy.LimitPolicy limitPolicy(YamlValue v, String what) {
        String t = Values.text(v, what);
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "drop" -> MacLearningPolicy.LimitPolicy.DROP;
            case "allow" -> MacLearningPolicy.LimitPolicy.ALLOW;
            default -> throw v.where().error(what + " must be drop or allow, got '" + t + "'");
        };
    }

    /** vSphere shows these as Accept/Reject; the API has booleans. Both are taken. */
    private static boolean accept(YamlValue v, String what) {
        String t = Values.text(v, what);
        return switch (t.toLowerCase(Locale.ROOT)) {
            case "true", "accept" -> true;
            case "false", "reject" -> false;
            default -> throw v.where().error(what + " must be accept or reject (or true/false), got '" + t + "'");
        };
    }
}
