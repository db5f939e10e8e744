package io.vxswitch.app.daemon;

import io.vxswitch.config.Values;
import io.vxswitch.config.Where;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.forwarding.lacp.LacpMode;
import io.vxswitch.forwarding.lacp.LacpRate;
import io.vxswitch.forwarding.lacp.LagHashPolicy;
import io.vxswitch.forwarding.lacp.LagOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code type: lag} port's own settings (docs/config.md): a LAG reads like an Open vSwitch bond ({@code add-bond br0
 * bond0 eth1 eth2 lacp=active}) or a VDS LAG, one uplink port with its member interfaces.
 * <pre>
 *   - {name: lag0, type: lag, portGroup: uplinks, members: [eth1, eth2], lacp: active, rate: fast, hash: l3l4}
 * </pre>
 */
final class LagConfigParser {
    private static final int MAX_INTERFACE_NAME = 15;

    private LagConfigParser() {
    }

    static LagOptions lag(YamlMap m, String name, String what) {
        YamlValue membersValue = m.require("members", what + " (type lag)");
        List<YamlValue> items = Values.list(membersValue, what + ": members");
        if (items.isEmpty() || items.size() > LagOptions.MAX_MEMBERS) {
            throw membersValue.where().error(what + ": members must list 1 to " + LagOptions.MAX_MEMBERS
                + " existing interfaces, got " + items.size());
        }
        List<String> members = new ArrayList<>();
        for (YamlValue item : items) {
            String member = Values.name(item, what + ": members");
            if (member.length() > MAX_INTERFACE_NAME || member.contains("/")) {
                throw item.where().error(what + ": member '" + member + "' is not a Linux interface name (at most 15"
                    + " characters, no '/')");
            }
            if (members.contains(member)) {
                throw item.where().error(what + ": member " + member + " is listed twice");
            }
            members.add(member);
        }
        LacpMode mode = m.get("lacp").map(v -> switch (Values.text(v, what + ": lacp")) {
            case "active" -> LacpMode.ACTIVE;
            case "passive" -> LacpMode.PASSIVE;
            default -> throw v.where().error(what + ": lacp must be active (sends LACPDUs from the start) or passive"
                + " (answers a partner that does; two passive ends never aggregate), got " + v.describe());
        }).orElse(LacpMode.ACTIVE);
        LacpRate rate = m.get("rate").map(v -> switch (Values.text(v, what + ": rate")) {
            case "fast" -> LacpRate.FAST;
            case "slow" -> LacpRate.SLOW;
            default -> throw v.where().error(what + ": rate must be fast (the partner sends a LACPDU every second, a"
                + " silent member leaves after 3 s) or slow (30 s, 90 s), got " + v.describe());
        }).orElse(LacpRate.SLOW);
        LagHashPolicy hash = m.get("hash").map(v -> {
            try {
                return LagHashPolicy.parse(Values.text(v, what + ": hash"));
            } catch (IllegalArgumentException e) {
                throw v.where().error(what + ": " + e.getMessage());
            }
        }).orElse(LagHashPolicy.L3L4);
        int systemPriority = m.get("systemPriority").map(v -> Values.integer(v, what + ": systemPriority", 1, 65535))
            .orElse(LagOptions.DEFAULT_SYSTEM_PRIORITY);
        int portPriority = m.get("portPriority").map(v -> Values.integer(v, what + ": portPriority", 1, 65535))
            .orElse(LagOptions.DEFAULT_PORT_PRIORITY);
        int key = m.get("key").map(v -> Values.integer(v, what + ": key", 1, 65535)).orElse(LagOptions.DERIVED);
        long systemId = LagOptions.DERIVED;
        if (m.get("systemId").isPresent()) {
            YamlValue v = m.get("systemId").get();
            systemId = Values.mac(v, what + ": systemId");
            if ((systemId & 0x0100_0000_0000L) != 0 || systemId == 0) {
                throw v.where().error(what + ": systemId must be a unicast MAC, not zero (it names this switch to"
                    + " the partner), got " + v.describe());
            }
        }
        return new LagOptions(name, members, mode, rate, hash, systemPriority, systemId, key, portPriority);
    }

    /**
     * Why {@code p} cannot join {@code others} (a port added at run time or from the drop-in): an interface of its
     * serves one of them already, and one of the two is a LAG; or null.
     */
    static String interfaceTaken(PortConfig p, java.util.Collection<PortConfig> others) {
        for (PortConfig o : others) {
            if (o.name().equals(p.name()) || (p.type() != PortConfig.Type.LAG && o.type() != PortConfig.Type.LAG)) {
                continue;
            }
            for (String iface : interfaces(p)) {
                if (interfaces(o).contains(iface)) {
                    return taken(p.name(), iface, o.name());
                }
            }
        }
        return null;
    }

    private static String taken(String port, String iface, String owner) {
        return "port '" + port + "': interface " + iface + " already serves port '" + owner
            + "'; an interface belongs to one port (a LAG member is not an interface port too)";
    }

    /** The interfaces whose frames port {@code p} reads: a LAG's members, an interface port's one, else none. */
    private static List<String> interfaces(PortConfig p) {
        return p.type() == PortConfig.Type.LAG ? p.lag().members()
            : p.type() == PortConfig.Type.INTERFACE ? List.of(p.interfaceName()) : List.of();
    }

    /**
     * An interface serves one port: a member of two LAGs, or a LAG member that is also an interface port, would have
     * two sockets reading its frames (each frame switched twice).
     */
    static void checkInterfacesOnce(List<YamlValue> values, List<PortConfig> ports) {
        if (ports.stream().noneMatch(p -> p.type() == PortConfig.Type.LAG)) {
            return; // without a LAG, what was accepted before still is
        }
        Map<String, String> owner = new HashMap<>();
        for (int i = 0; i < ports.size(); i++) {
            PortConfig p = ports.get(i);
            for (String iface : interfaces(p)) {
                String first = owner.putIfAbsent(iface, p.name());
                if (first != null) {
                    throw values.get(i).where().error(taken(p.name(), iface, first));
                }
            }
        }
    }
}
