package io.vxswitch.lab.topology;

import io.vxswitch.config.YamlValue;
import io.vxswitch.config.Values;

import io.vxswitch.config.YamlValue.YamlMap;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code routers}:
 * <pre>
 * - name: nexus5548
 *   interfaces:                          # each one is a link end, nexus5548:vlan20
 *     - {name: vlan20, mac: "00:2a:6a:00:00:14", ip: 192.0.2.1/24}
 *     - {name: eth1/1, mac: "00:2a:6a:00:00:01", ip: 203.0.113.1/30}
 *   routes:                              # static; connected subnets need none
 *     - {to: 198.51.100.0/24, via: 203.0.113.2}
 * </pre>
 */
final class RouterParser {
    private static final List<String> KEYS = List.of("name", "interfaces", "routes");
    private static final List<String> INTERFACE_KEYS = List.of("name", "mac", "ip");
    private static final List<String> ROUTE_KEYS = List.of("to", "via");

    private RouterParser() {
    }

    static RouterSpec parse(YamlValue v) {
        YamlMap m = Values.map(v, "router");
        String name = Values.name(m.require("name", "router"), "router name");
        String self = "router '" + name + "'";
        m.allowOnly(self, KEYS);
        List<RouterSpec.Interface> interfaces = new ArrayList<>();
        for (YamlValue i : Values.list(m.require("interfaces", self), self + ": interfaces")) {
            RouterSpec.Interface iface = iface(i, self);
            for (RouterSpec.Interface other : interfaces) {
                if (other.name().equals(iface.name())) {
                    throw i.where().error(self + ": interface '" + iface.name() + "' is defined twice (first at line "
                        + other.where().line() + ")");
                }
            }
            interfaces.add(iface);
        }
        if (interfaces.isEmpty()) {
            throw m.where().error(self + ": needs at least one interface");
        }
        List<RouterSpec.Route> routes = new ArrayList<>();
        for (YamlValue r : m.get("routes").map(x -> Values.list(x, self + ": routes")).orElse(List.of())) {
            routes.add(route(r, self));
        }
        return new RouterSpec(name, interfaces, routes, m.where());
    }

    private static RouterSpec.Interface iface(YamlValue v, String owner) {
        YamlMap m = Values.map(v, owner + ": interface");
        String name = Values.name(m.require("name", owner + ": interface"), owner + ": interface name");
        String self = owner + ": interface '" + name + "'";
        m.allowOnly(self, INTERFACE_KEYS);
        long mac = Values.mac(m.require("mac", self), self + ": mac");
        int[] ip = Values.ipv4Prefix(m.require("ip", self), self + ": ip");
        return new RouterSpec.Interface(name, mac, ip[0], ip[1], m.where());
    }

    private static RouterSpec.Route route(YamlValue v, String owner) {
        YamlMap m = Values.map(v, owner + ": route");
        m.allowOnly(owner + ": route", ROUTE_KEYS);
        int[] to = Values.ipv4Prefix(m.require("to", owner + ": route"), owner + ": route to");
        int via = Values.ipv4(m.require("via", owner + ": route"), owner + ": route via");
        return new RouterSpec.Route(to[0], to[1], via, m.where());
    }
}
