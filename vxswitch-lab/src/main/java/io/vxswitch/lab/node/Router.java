package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IPv4 router (the Nexus 5548 as a layer-3 switch, or the WAN router of the seed story): interfaces on
 * connected subnets, static routes, and forwarding by RFC 1812: longest prefix match, TTL decremented and the
 * header checksum recomputed (§5.3.1), packets arriving with TTL 1 or less dropped with an ICMP time exceeded
 * back to the source (§5.3.1, §4.3.2.7). Next hops are resolved by ARP, packets waiting meanwhile. Packets to
 * the router's own addresses are taken locally: echo requests are answered, anything else is dropped.
 */
public final class Router {
    private final String name;
    private final Simulator simulator;
    private final Map<String, IpInterface> interfaces = new LinkedHashMap<>();
    private final RoutingTable table = new RoutingTable();
    private final RouterCounters counters = new RouterCounters();
    private HopListener listener;

    public Router(Simulator simulator, String name) {
        this.simulator = simulator;
        this.name = name;
    }

    public String name() {
        return name;
    }

    public RouterCounters counters() {
        return counters;
    }

    /** Adds an interface and the connected route of its subnet. */
    public IpInterface addInterface(String ifName, long mac, int ip, int prefixLength) {
        if (interfaces.containsKey(ifName)) {
            throw new IllegalArgumentException("router '" + name + "' already has an interface '" + ifName + "'");
        }
        for (IpInterface other : interfaces.values()) {
            if (other.onLink(ip) || Prefixes.contains(ip, prefixLength, other.ip())) {
                throw new IllegalArgumentException("router '" + name + "': interface " + ifName + " ("
                    + Prefixes.format(ip, prefixLength) + ") overlaps interface " + other.name() + " ("
                    + Prefixes.format(other.ip(), other.prefixLength()) + ")");
            }
        }
        IpInterface i = new IpInterface(simulator, name, ifName, mac, ip, prefixLength, this::input);
        interfaces.put(ifName, i);
        table.add(new Route(ip & Prefixes.mask(prefixLength), prefixLength, ifName, Route.CONNECTED));
        return i;
    }

    /**
     * Adds a static route to {@code network/prefixLength} via {@code nextHop}, which must lie in the subnet of
     * one of the interfaces (no recursive lookup).
     */
    public void addRoute(int network, int prefixLength, int nextHop) {
        for (IpInterface i : interfaces.values()) {
            if (i.onLink(nextHop)) {
                try {
                    table.add(new Route(network, prefixLength, i.name(), nextHop));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("router '" + name + "': " + e.getMessage(), e);
                }
                return;
            }
        }
        throw new IllegalArgumentException("router '" + name + "': next hop " + Ipv4Address.format(nextHop)
            + " of the route to " + Prefixes.format(network, prefixLength) + " is in none of its subnets ("
            + String.join(", ", interfaces.values().stream().map(i -> Prefixes.format(i.ip(), i.prefixLength()))
            .toList()) + ")");
    }

    public IpInterface iface(String ifName) {
        IpInterface i = interfaces.get(ifName);
        if (i == null) {
            throw new IllegalArgumentException("router '" + name + "' has no interface '" + ifName + "' (has: "
                + String.join(", ", interfaces.keySet()) + ")");
        }
        return i;
    }

    public List<IpInterface> interfaces() {
        return new ArrayList<>(interfaces.values());
    }

    /** The table, connected routes first, as {@code show ip route} lists it. */
    public List<Route> routes() {
        return table.routes();
    }

    /** Plugs interface {@code ifName} into one end of a link. */
    public void plugInto(String ifName, Endpoint endpoint) {
        iface(ifName).plugInto(endpoint);
    }

    /** Reports the packets {@code l} wants as {@link RoutedHop}s. */
    public void listen(HopListener l) {
        this.listener = l;
    }

    private void input(IpInterface in, byte[] frame, int ip) {
        MemorySegment s = MemorySegment.ofArray(frame);
        int dst = Ipv4.dst(s, ip);
        if (isOwnAddress(dst)) {
            local(frame, ip, dst);
            return;
        }
        if ((dst >>> 28) == 0xE || dst == -1 || isDirectedBroadcast(dst)) {
            counters.count(RouterCounter.LOCAL_DROPPED); // RFC 1812 §5.3.5: broadcasts are not forwarded
            return;
        }
        Route route = table.lookup(dst);
        if (route == null) {
            counters.count(RouterCounter.NO_ROUTE);
            return;
        }
        int ttl = Ipv4.ttl(s, ip);
        if (ttl <= 1) {
            counters.count(RouterCounter.TTL_EXCEEDED);
            byte[] error = IcmpMessages.timeExceeded(frame, ip, in.ip());
            if (error != null) {
                send(error);
            }
            return;
        }
        byte[] out = Arrays.copyOf(frame, ip + Ipv4.totalLength(s, ip)); // without any Ethernet padding
        MemorySegment o = MemorySegment.ofArray(out);
        Ipv4.ttl(o, ip, ttl - 1);
        Ipv4.updateHeaderChecksum(o, ip);
        IpInterface outIf = interfaces.get(route.iface());
        int nextHop = route.connected() ? dst : route.via();
        if (listener != null && listener.wants(s, 0, frame.length)) {
            listener.hop(new RoutedHop(simulator.now(), name, in.name(), outIf.name(), nextHop, ttl - 1, frame.clone(),
                Frames.describe(frame)));
        }
        counters.count(RouterCounter.FORWARDED);
        outIf.output(nextHop, out, () -> counters.count(RouterCounter.UNRESOLVED));
    }

    private void local(byte[] frame, int ip, int dst) {
        if (IcmpMessages.isEchoRequest(frame, ip)) {
            counters.count(RouterCounter.ECHO_REPLIES);
            send(IcmpMessages.echoReply(frame, ip, dst));
        } else {
            counters.count(RouterCounter.LOCAL_DROPPED);
        }
    }

    /** Sends a packet the router itself originates, routed by its destination. */
    private void send(byte[] frame) {
        int ip = Ethernet.HEADER_LENGTH;
        int dst = Ipv4.dst(MemorySegment.ofArray(frame), ip);
        Route route = table.lookup(dst);
        if (route == null) {
            counters.count(RouterCounter.NO_ROUTE);
            return;
        }
        interfaces.get(route.iface()).output(route.connected() ? dst : route.via(), frame,
            () -> counters.count(RouterCounter.UNRESOLVED));
    }

    private boolean isOwnAddress(int address) {
        for (IpInterface i : interfaces.values()) {
            if (i.ip() == address) {
                return true;
            }
        }
        return false;
    }

    private boolean isDirectedBroadcast(int address) {
        for (IpInterface i : interfaces.values()) {
            int mask = Prefixes.mask(i.prefixLength());
            if (i.prefixLength() < 31 && i.onLink(address) && (address & ~mask) == ~mask) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "router " + name + " " + interfaces.values();
    }
}
