package io.vxswitch.lab.explain;

import io.vxswitch.lab.node.Hop;
import io.vxswitch.lab.node.HopListener;
import io.vxswitch.lab.topology.HostSpec;
import io.vxswitch.lab.topology.NestedHypervisorSpec;
import io.vxswitch.lab.topology.PingSpec;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.VtepHostSpec;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Vxlan;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Follows the frames of one ARP exchange through the network during a run: every host switch decision on them
 * (with its trace, and the VXLAN encapsulation and decapsulation around it) and every router that forwards them
 * inside VXLAN. {@link ArpStory} tells the story afterwards.
 */
public final class ArpStoryRecorder implements HopListener {
    /** A hop and the part of the exchange it handled. */
    record Recorded(Hop hop, ArpExchange.Part part) {
    }

    private final ArpExchange exchange;
    private final Cast cast;
    private final List<Recorded> hops = new ArrayList<>();

    ArpStoryRecorder(ArpExchange exchange, Cast cast) {
        this.exchange = exchange;
        this.cast = cast;
    }

    /** A recorder for the ARP exchange of {@code topology}'s first ping, or empty if it has no ping. */
    public static Optional<ArpStoryRecorder> forFirstPing(Topology topology) {
        if (topology.pings().isEmpty()) {
            return Optional.empty();
        }
        PingSpec ping = topology.pings().getFirst();
        List<HostSpec> hosts = new ArrayList<>(topology.hosts());
        for (NestedHypervisorSpec n : topology.nestedHypervisors()) {
            hosts.addAll(n.vms());
        }
        HostSpec asker = hosts.stream().filter(h -> h.name().equals(ping.from())).findFirst().orElseThrow();
        String target = hosts.stream().filter(h -> h.ip() == ping.to()).map(HostSpec::name).findFirst()
            .orElse(Ipv4Address.format(ping.to()));
        Set<Integer> ports = new HashSet<>(Set.of(Vxlan.IANA_PORT));
        topology.vtepHosts().stream().map(VtepHostSpec::udpPort).forEach(ports::add);
        Cast cast = new Cast(asker.name(), asker.ip(), target, ping.to());
        return Optional.of(new ArpStoryRecorder(new ArpExchange(asker.ip(), ping.to(), ports), cast));
    }

    /** The host that asks, by name. */
    public String asker() {
        return cast.asker();
    }

    /** The address it asks for. */
    public int targetIp() {
        return cast.targetIp();
    }

    Cast cast() {
        return cast;
    }

    @Override
    public boolean wants(MemorySegment s, long offset, int length) {
        return exchange.classify(s, offset, length) != null;
    }

    @Override
    public void hop(Hop hop) {
        byte[] f = hop.frame();
        ArpExchange.Part part = exchange.classify(MemorySegment.ofArray(f), 0, f.length);
        if (part != null) {
            hops.add(new Recorded(hop, part));
        }
    }

    List<Recorded> hops() {
        return List.copyOf(hops);
    }
}
