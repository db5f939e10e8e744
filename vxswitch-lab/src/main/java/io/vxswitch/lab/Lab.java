package io.vxswitch.lab;

import io.vxswitch.lab.capture.PcapCapture;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.FrameListener;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.explain.ArpStory;
import io.vxswitch.lab.explain.ArpStoryRecorder;
import io.vxswitch.lab.node.NeighbourState;
import io.vxswitch.lab.node.TraceCapture;
import io.vxswitch.lab.run.Network;
import io.vxswitch.lab.run.NetworkBuilder;
import io.vxswitch.lab.run.PingReport;
import io.vxswitch.lab.run.PingRunner;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.TopologyParser;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's entry points: run a topology file, or the built-in seed story, in virtual time, and get the
 * ping transcripts and the switches' state back. Deterministic: the same topology gives the same output.
 */
public final class Lab {
    private Lab() {
    }

    /** The text of the built-in seed topology. */
    public static String seedYaml() {
        return LabExample.SEED.yaml();
    }

    /** The seed topology with the CentOS VM's eth0 port group set by {@code policy}. */
    public static Topology seedTopology(SeedPolicy policy, boolean reversePathCheckPromisc) {
        return LabExample.SEED.topology(policy, reversePathCheckPromisc);
    }

    /** Runs the seed story: VM1 pings VM3, then the workstation pings VM4, both across the VXLAN tunnel. */
    public static LabResult seed(SeedPolicy policy, boolean reversePathCheckPromisc) {
        return run(seedTopology(policy, reversePathCheckPromisc));
    }

    public static LabResult seed(SeedPolicy policy, boolean reversePathCheckPromisc, RunOptions options) {
        return run(seedTopology(policy, reversePathCheckPromisc), options, null);
    }

    /**
     * The seed story with BGP EVPN in place of the two static flood lists: both VTEP hosts are clients of the lab's
     * route reflector and learn each other (type 3) and the VMs behind each other (type 2) from routes.
     */
    public static LabResult seedWithEvpn(SeedPolicy policy, boolean reversePathCheckPromisc, RunOptions options) {
        return run(seedTopology(policy, reversePathCheckPromisc).withEvpn(), options, null);
    }

    /**
     * Reads, checks and runs a topology file.
     *
     * @throws io.vxswitch.config.ConfigException for anything wrong in the file, with its position
     */
    public static LabResult run(Path file) throws IOException {
        return run(TopologyParser.read(file));
    }

    public static LabResult run(Path file, RunOptions options) throws IOException {
        return run(TopologyParser.read(file), options, null);
    }

    public static LabResult run(Topology topology) {
        return run(topology, RunOptions.PLAIN, null);
    }

    /** Runs a topology; {@code tap} (may be null) sees every frame on every link, e.g. for a capture file. */
    public static LabResult run(Topology topology, FrameListener tap) {
        return run(topology, RunOptions.PLAIN, tap);
    }

    /**
     * Runs a topology with {@code options}; {@code tap} (may be null) sees every frame on every link.
     *
     * @throws java.io.UncheckedIOException if a capture file cannot be written
     */
    public static LabResult run(Topology topology, RunOptions options, FrameListener tap) {
        TraceCapture echo = TraceCapture.firstEchoRequest();
        TraceCapture vnicDrop = TraceCapture.firstVnicDrop();
        ArpStoryRecorder story = options.explain() ? ArpStoryRecorder.forFirstPing(topology).orElse(null) : null;
        PcapCapture pcap = options.pcapDirectory() == null ? null : PcapCapture.into(options.pcapDirectory());
        try {
            Network network = NetworkBuilder.build(topology, List.of(echo, vnicDrop), both(tap, pcap), story);
            List<PingReport> pings = PingRunner.run(network, topology.pings());
            network.simulator().run(); // deliver what is still in flight, e.g. a duplicate ping no longer reads
            String explanation = null;
            if (options.explain()) {
                explanation = story == null ? "No ping in " + topology.source() + ": nothing to explain.\n"
                    : ArpStory.tell(story, resolved(network, story));
            }
            return new LabResult(topology, network, pings, echo.first().orElse(null), vnicDrop.first().orElse(null),
                explanation, pcap == null ? List.of() : pcap.files());
        } finally {
            if (pcap != null) {
                pcap.close();
            }
        }
    }

    private static boolean resolved(Network network, ArpStoryRecorder story) {
        return network.host(story.asker()).neighbours().stream()
            .anyMatch(n -> n.ip() == story.targetIp() && n.state() == NeighbourState.REACHABLE);
    }

    /** One listener for two (either may be null). */
    private static FrameListener both(FrameListener a, FrameListener b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return new FrameListener() {
            @Override
            public void onFrame(long timeNanos, Endpoint from, byte[] frame) {
                a.onFrame(timeNanos, from, frame);
                b.onFrame(timeNanos, from, frame);
            }

            @Override
            public void attached(Link link) {
                a.attached(link);
                b.attached(link);
            }
        };
    }
}
