package io.vxswitch.lab;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.lab.node.VtepHost;
import io.vxswitch.lab.node.VxlanTunnel;
import io.vxswitch.lab.run.Network;
import io.vxswitch.lab.run.PingReport;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.vxlan.FloodTargets;
import io.vxswitch.vxlan.TunnelCounter;
import io.vxswitch.vxlan.VniMap;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a lab run produced: the ping transcripts and numbers, the network as it stands after the last ping
 * (host switches with their MAC tables and counters, VTEPs, routers, hosts with their ARP caches), the trace of
 * the first ICMP echo request that entered a host switch, and what the run's options asked for: the story of
 * the first ping's ARP exchange, and the capture files.
 */
public final class LabResult {
    private final Topology topology;
    private final Network network;
    private final List<PingReport> pings;
    private final TracedFrame firstEchoTrace;
    private final TracedFrame firstVnicDropTrace;
    private final String explanation;
    private final List<Path> captureFiles;

    LabResult(Topology topology, Network network, List<PingReport> pings, TracedFrame firstEchoTrace,
              TracedFrame firstVnicDropTrace, String explanation, List<Path> captureFiles) {
        this.topology = topology;
        this.network = network;
        this.pings = List.copyOf(pings);
        this.firstEchoTrace = firstEchoTrace;
        this.firstVnicDropTrace = firstVnicDropTrace;
        this.explanation = explanation;
        this.captureFiles = List.copyOf(captureFiles);
    }

    public Topology topology() {
        return topology;
    }

    public Network network() {
        return network;
    }

    public List<PingReport> pings() {
        return pings;
    }

    /** Every ping with its prompt line, separated by blank lines, as a terminal session would show them. */
    public String transcript() {
        List<String> parts = new ArrayList<>();
        for (PingReport p : pings) {
            parts.add(p.transcript());
        }
        return String.join("\n", parts);
    }

    /** The forwarding-plane switch of VDS host {@code name}. */
    public Switch vds(String name) {
        return network.vdsHost(name).sw();
    }

    /** The forwarding-plane switch of a VDS host or VTEP host. */
    public Switch hostSwitch(String name) {
        return network.hostSwitch(name);
    }

    /** Every host switch: VDS hosts, then VTEP hosts, each in file order. */
    public List<Switch> switches() {
        return network.switches();
    }

    /**
     * The decision for the first ICMP echo request that entered a host switch, step by step. Empty if no
     * echo request ever got that far (ARP failed, as with the seed's default policy).
     */
    public Optional<TracedFrame> firstEchoTrace() {
        return Optional.ofNullable(firstEchoTrace);
    }

    /**
     * The decision for the first frame from a vNIC that a host switch dropped, e.g. an ARP reply from behind
     * a port refused as a forged transmit: the explanation when pings fail.
     */
    public Optional<TracedFrame> firstVnicDropTrace() {
        return Optional.ofNullable(firstVnicDropTrace);
    }

    /** The first ping's ARP exchange as numbered steps, if the run was asked to explain it. */
    public Optional<String> explanation() {
        return Optional.ofNullable(explanation);
    }

    /** The pcap files written, one per link, if the run was asked to capture. */
    public List<Path> captureFiles() {
        return captureFiles;
    }

    /** Virtual time at the end of the run (when the last ping printed its summary). */
    public long endNanos() {
        return network.simulator().now();
    }

    /**
     * Each host switch's MAC table at the end of the run, titled with its name; a VTEP host's is followed by a
     * line about its tunnel endpoint and counters.
     */
    public String fdbTables() {
        StringBuilder sb = new StringBuilder();
        for (Switch sw : switches()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("MAC table of ").append(sw.name()).append(":\n").append(sw.showFdb(endNanos()));
            VtepHost vtep = network.vtepHosts().get(sw.name());
            if (vtep != null) {
                sb.append(vtepLine(vtep.tunnel(), sw)).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code VTEP 192.0.2.10 udp/4789: VNI 119 <-> VLAN 119 flood 198.51.100.10; encapsulated=9 decapsulated=9}. */
    private static String vtepLine(VxlanTunnel t, Switch sw) {
        StringBuilder sb = new StringBuilder("VTEP ").append(Ipv4Address.format(t.settings().ip())).append(" udp/")
            .append(t.udpPort()).append(':');
        VniMap vnis = t.vtep().vnis();
        for (int vni : vnis.vnis()) {
            sb.append(" VNI ").append(vni).append(" <-> VLAN ").append(vnis.vlanOf(vni));
            FloodTargets flood = t.vtep().floodTargets(vni);
            List<String> peers = new ArrayList<>();
            for (int i = 0; i < flood.size(); i++) {
                peers.add(t.vtep().remotes().address(flood.vtepId(i)).toString());
            }
            sb.append(peers.isEmpty() ? "" : " flood " + String.join(",", peers));
        }
        CounterValues c = sw.counters().read().of(CounterScope.TUNNEL, sw.port(t.vtep().tunnelPort()).name());
        String drops = c.describe(CounterKind.DROP, " ");
        return sb.append("; encapsulated=").append(c.get(TunnelCounter.ENCAPSULATED)).append(" decapsulated=")
            .append(c.get(TunnelCounter.DECAPSULATED)).append(drops.isEmpty() ? "" : " " + drops).toString();
    }
}
