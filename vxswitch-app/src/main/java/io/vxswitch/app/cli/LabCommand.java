package io.vxswitch.app.cli;

import io.vxswitch.lab.Lab;
import io.vxswitch.lab.LabResult;
import io.vxswitch.lab.SeedPolicy;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.lab.topology.TopologyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code vxswitch lab}: the in-memory lab that replays topologies in virtual time. */
@Command(name = "lab",
    mixinStandardHelpOptions = true,
    subcommands = {LabCommand.Seed.class, LabCommand.Run.class, LabCommand.Example.class},
    description = {
        "Replay a network in memory, in virtual time, with the real forwarding plane: deterministic, no root.",
        "Hosts answer ARP and ping; ping prints like iputils ping, (DUP!) lines included."})
public final class LabCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options shared by the commands that run a topology. */
    static final class Output {
        @Option(names = "--trace", description = "Also print how the host switch forwarded the first ICMP echo "
            + "request, step by step (like ovs-appctl ofproto/trace); if none got that far, the first frame from a "
            + "vNIC it dropped.")
        boolean trace;

        @Option(names = "--no-fdb", description = "Do not print the MAC tables after the pings.")
        boolean noFdb;

        void print(PrintWriter out, LabResult result) {
            out.println(result.transcript());
            if (!noFdb) {
                out.println();
                out.print(result.fdbTables());
            }
            if (trace) {
                out.println();
                out.print(result.firstEchoTrace().or(result::firstVnicDropTrace).map(TracedFrame::render)
                    .orElse("no ICMP echo request entered a host switch, and no frame from a vNIC was dropped:"
                        + " nothing to trace\n"));
            }
            out.flush();
        }
    }

    @Command(name = "seed",
        mixinStandardHelpOptions = true,
        description = {
            "The story vxswitch comes from: a nested hypervisor (a VM whose own VMs, VM3 and VM4, sit behind",
            "its single vNIC) on a VDS port group in VLAN 119, two uplinks to a Nexus 5K with a workstation.",
            "VM1 pings VM3 and the workstation pings VM4; --policy sets the nested hypervisor's port group:",
            "  default      VDS defaults: VM3's and VM4's frames are forged transmits -> 100% packet loss",
            "  promiscuous  promiscuous + forged transmits accept: answered, but with (DUP!) replies",
            "  learning     MAC learning on (forged transmits accept): every ping answered exactly once"},
        footer = {"", "Examples:",
            "  vxswitch lab seed --policy promiscuous",
            "  vxswitch lab seed --policy promiscuous --reverse-path-check-promisc   # ESXi's workaround",
            "  vxswitch lab seed --trace",
            "  vxswitch lab example > mylab.yaml && vxswitch lab run mylab.yaml"})
    static final class Seed implements Callable<Integer> {
        @Option(names = {"-p", "--policy"}, defaultValue = "learning", paramLabel = "POLICY",
            description = "default, promiscuous or learning (default: ${DEFAULT-VALUE}).",
            converter = PolicyConverter.class)
        SeedPolicy policy;

        @Option(names = "--reverse-path-check-promisc", description = "Set ESXi's Net.ReversePathFwdCheckPromisc: "
            + "frames coming back in on an uplink with a local source MAC are not copied to promiscuous ports.")
        boolean reversePathCheckPromisc;

        @picocli.CommandLine.Mixin
        Output output = new Output();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            out.println("# seed lab: port group " + SeedPolicy.PORT_GROUP + " of " + SeedPolicy.SWITCH + " -> "
                + policy.description() + (reversePathCheckPromisc ? "; Net.ReversePathFwdCheckPromisc=1" : ""));
            out.println();
            output.print(out, Lab.seed(policy, reversePathCheckPromisc));
            return 0;
        }
    }

    @Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run a topology file: its hosts, host switches, physical switches, links and pings.",
            "Start from 'vxswitch lab example'; docs/lab.md describes the format."})
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Topology YAML file.")
        Path file;

        @picocli.CommandLine.Mixin
        Output output = new Output();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LabResult result;
            try {
                result = Lab.run(file);
            } catch (NoSuchFileException e) {
                throw new UserException("no such topology file: " + file);
            } catch (IOException e) {
                throw new UserException("cannot read " + file + ": " + e.getMessage(), e);
            } catch (TopologyException e) {
                throw new UserException(e.getMessage(), e);
            }
            output.print(spec.commandLine().getOut(), result);
            return 0;
        }
    }

    @Command(name = "example",
        mixinStandardHelpOptions = true,
        description = "Print the seed topology as a YAML file to start your own from.")
    static final class Example implements Callable<Integer> {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().getOut().print(Lab.seedYaml());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<SeedPolicy> {
        @Override
        public SeedPolicy convert(String value) {
            return SeedPolicy.parse(value);
        }
    }
}
