package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import java.util.List;

/** An IPv4 router: its interfaces (each on a link) and static routes. */
public record RouterSpec(String name, List<Interface> interfaces, List<Route> routes, Where where) {
    public RouterSpec {
        interfaces = List.copyOf(interfaces);
        routes = List.copyOf(routes);
    }

    /** An interface: a MAC and an address on a connected subnet; its name is the link end {@code router:NAME}. */
    public record Interface(String name, long mac, int ip, int prefixLength, Where where) {
    }

    /** A static route: packets to {@code network/prefixLength} go to the next hop {@code via}. */
    public record Route(int network, int prefixLength, int via, Where where) {
    }
}
