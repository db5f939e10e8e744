package io.vxswitch.lab;

import io.vxswitch.lab.engine.FrameListener;
import io.vxswitch.lab.node.TraceCapture;
import io.vxswitch.lab.run.Network;
import io.vxswitch.lab.run.NetworkBuilder;
import io.vxswitch.lab.run.PingReport;
import io.vxswitch.lab.run.PingRunner;
import io.vxswitch.lab.topology.Topology;
import io.vxswitch.lab.topology.TopologyParser;
import io.vxswitch.lab.topology.VdsSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The lab's entry points: run a topology file, or the built-in seed story, in virtual time, and get the
 * ping transcripts and the switches' state back. Deterministic: the same topology gives the same output.
 */
public final class Lab {
    /** The seed topology, shipped as an example of the file format. */
    public static final String SEED_RESOURCE = "/io/vxswitch/lab/seed.yaml";
    public static final String SEED_NAME = "seed.yaml";

    private Lab() {
    }

    /** The text of the built-in seed topology. */
    public static String seedYaml() {
        try (InputStream in = Lab.class.getResourceAsStream(SEED_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + SEED_RESOURCE + " is missing from the lab jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SEED_RESOURCE, e);
        }
    }

    /** The seed topology with the nested hypervisor's port group set by {@code policy}. */
    public static Topology seedTopology(SeedPolicy policy, boolean reversePathCheckPromisc) {
        Topology seed = TopologyParser.parse(SEED_NAME, seedYaml());
        VdsSpec esxi = seed.vds(SeedPolicy.SWITCH);
        VdsSpec changed = esxi.withPortGroup(policy.apply(esxi.portGroup(SeedPolicy.PORT_GROUP)))
            .withReversePathCheckPromisc(reversePathCheckPromisc);
        return seed.withVds(changed);
    }

    /** Runs the seed story: VM1 pings VM3, then the workstation pings VM4. */
    public static LabResult seed(SeedPolicy policy, boolean reversePathCheckPromisc) {
        return run(seedTopology(policy, reversePathCheckPromisc));
    }

    /**
     * Reads, checks and runs a topology file.
     *
     * @throws io.vxswitch.lab.topology.TopologyException for anything wrong in the file, with its position
     */
    public static LabResult run(Path file) throws IOException {
        return run(TopologyParser.read(file));
    }

    public static LabResult run(Topology topology) {
        return run(topology, null);
    }

    /** Runs a topology; {@code tap} (may be null) sees every frame on every link, e.g. for a capture file. */
    public static LabResult run(Topology topology, FrameListener tap) {
        TraceCapture echo = TraceCapture.firstEchoRequest();
        TraceCapture vnicDrop = TraceCapture.firstVnicDrop();
        Network network = NetworkBuilder.build(topology, List.of(echo, vnicDrop), tap);
        List<PingReport> pings = PingRunner.run(network, topology.pings());
        network.simulator().run(); // deliver what is still in flight, e.g. a duplicate ping no longer reads
        return new LabResult(topology, network, pings, echo.first().orElse(null), vnicDrop.first().orElse(null));
    }
}
