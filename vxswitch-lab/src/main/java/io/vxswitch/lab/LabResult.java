package io.vxswitch.lab;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.lab.node.VdsHost;
import io.vxswitch.lab.run.Network;
import io.vxswitch.lab.run.PingReport;
import io.vxswitch.lab.topology.Topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a lab run produced: the ping transcripts and numbers, the network as it stands after the last ping
 * (host switches with their MAC tables and counters, hosts with their ARP caches), and the trace of the
 * first ICMP echo request that entered a host switch.
 */
public final class LabResult {
    private final Topology topology;
    private final Network network;
    private final List<PingReport> pings;
    private final TracedFrame firstEchoTrace;
    private final TracedFrame firstVnicDropTrace;

    LabResult(Topology topology, Network network, List<PingReport> pings, TracedFrame firstEchoTrace,
              TracedFrame firstVnicDropTrace) {
        this.topology = topology;
        this.network = network;
        this.pings = List.copyOf(pings);
        this.firstEchoTrace = firstEchoTrace;
        this.firstVnicDropTrace = firstVnicDropTrace;
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

    /** The forwarding-plane switch of host switch {@code name}. */
    public Switch vds(String name) {
        return network.vdsHost(name).sw();
    }

    /** Every host switch, in file order. */
    public List<Switch> switches() {
        return network.vdsHosts().values().stream().map(VdsHost::sw).toList();
    }

    /**
     * The decision for the first ICMP echo request that entered a host switch, step by step. Empty if no
     * echo request ever got that far (ARP failed, as with the seed's default policy).
     */
    public Optional<TracedFrame> firstEchoTrace() {
        return Optional.ofNullable(firstEchoTrace);
    }

    /**
     * The decision for the first frame from a vNIC that a host switch dropped, e.g. an inner VM's ARP reply
     * refused as a forged transmit: the explanation when pings fail.
     */
    public Optional<TracedFrame> firstVnicDropTrace() {
        return Optional.ofNullable(firstVnicDropTrace);
    }

    /** Virtual time at the end of the run (when the last ping printed its summary). */
    public long endNanos() {
        return network.simulator().now();
    }

    /** Each host switch's MAC table at the end of the run, titled with its name. */
    public String fdbTables() {
        StringBuilder sb = new StringBuilder();
        for (Switch sw : switches()) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            sb.append("MAC table of ").append(sw.name()).append(":\n").append(sw.showFdb(endNanos()));
        }
        return sb.toString();
    }
}
