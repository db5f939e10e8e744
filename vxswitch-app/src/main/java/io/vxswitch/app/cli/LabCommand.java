package io.vxswitch.app.cli;

import io.vxswitch.lab.Lab;
import io.vxswitch.lab.LabExample;
import io.vxswitch.lab.LabResult;
import io.vxswitch.lab.RunOptions;
import io.vxswitch.lab.SeedPolicy;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.config.ConfigException;
import io.vxswitch.config.FileErrors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code vxswitch lab}: the in-memory lab that replays topologies in virtual time. */
@Command(name = "lab",
    mixinStandardHelpOptions = true,
    subcommands = {LabCommand.Seed.class, LabCommand.Run.class, LabCommand.Example.class},
    description = {
        "Replay a network in memory, in virtual time, with the real forwarding plane and VXLAN tunnel endpoints:",
        "deterministic, no root. Hosts answer ARP and ping; ping prints like iputils ping, (DUP!) lines included;",
        "routers route the underlay."})
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

        @Option(names = "--explain", description = "Also tell the first ping's ARP exchange as numbered steps taken "
            + "from the run's traces: every host switch, VXLAN encapsulation and decapsulation, and router on the way "
            + "there and back.")
        boolean explain;

        @Option(names = "--pcap", paramLabel = "DIR", description = "Write one pcap file per link into DIR (created "
            + "if missing), with the lab's virtual timestamps; open them with Wireshark, tshark or tcpdump -r.")
        Path pcap;

        @Option(names = "--no-fdb", description = "Do not print the MAC tables after the pings.")
        boolean noFdb;

        RunOptions options() {
            return new RunOptions(explain, pcap);
        }

        /** Runs the lab, turning a capture file that cannot be written into a one-line error. */
        LabResult run(Supplier<LabResult> lab) {
            try {
                return lab.get();
            } catch (UncheckedIOException e) {
                throw new UserException(e.getMessage(), e);
            }
        }

        void print(PrintWriter out, LabResult result) {
            out.print(result.transcript());
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
            result.explanation().ifPresent(story -> {
                out.println();
                out.print(story);
            });
            if (pcap != null) {
                out.println();
                out.println("wrote " + result.captureFiles().size() + " pcap files to " + pcap
                    + result.captureFiles().stream().findFirst().map(f -> " (one per link, e.g. tshark -r " + f + ")")
                    .orElse(""));
            }
            out.flush();
        }
    }

    @Command(name = "seed",
        mixinStandardHelpOptions = true,
        description = {
            "The article vxswitch comes from: an ESXi host (VM1, VM2, two uplinks to a Nexus 5K with a workstation)",
            "whose VLAN 119 is stretched over VXLAN VNI 119, across a routed underlay (Nexus 5548, router), to a",
            "KVM host with VM3 and VM4. A CentOS VM on the ESXi host is the VTEP: its eth0, on port group",
            "vlan119-vtep, carries every MAC from the far side. VM1 pings VM3 and the workstation pings VM4;",
            "--policy sets port group vlan119-vtep:",
            "  default      VDS defaults: VM3's and VM4's frames are forged transmits -> 100%% packet loss",
            "  promiscuous  promiscuous + forged transmits accept: answered, but with (DUP!) replies",
            "  learning     MAC learning on (forged transmits accept): every ping answered exactly once"},
        footer = {"", "Examples:",
            "  vxswitch lab seed --policy promiscuous",
            "  vxswitch lab seed --policy promiscuous --reverse-path-check-promisc   # ESXi's workaround",
            "  vxswitch lab seed --explain                                          # the ARP story, step by step",
            "  vxswitch lab seed --evpn                                             # flood lists from BGP EVPN",
            "  vxswitch lab seed --pcap /tmp/seed && tshark -r /tmp/seed/nexus5548_eth1_1--router_gi0_0.pcap",
            "  vxswitch lab example > mylab.yaml && vxswitch lab run mylab.yaml"})
    static final class Seed implements Callable<Integer> {
        @Option(names = {"-p", "--policy"}, defaultValue = "learning", paramLabel = "POLICY",
            description = "default, promiscuous or learning (default: ${DEFAULT-VALUE}).",
            converter = PolicyConverter.class)
        SeedPolicy policy;

        @Option(names = "--reverse-path-check-promisc", description = "Set ESXi's Net.ReversePathFwdCheckPromisc: "
            + "frames coming back in on an uplink with a local source MAC are not copied to promiscuous ports.")
        boolean reversePathCheckPromisc;

        @Option(names = "--evpn", description = "No static flood lists: both VTEP hosts are clients of a BGP EVPN route "
            + "reflector in the lab and learn each other's VTEP (type-3 routes) and VMs (type-2 routes), as "
            + "docs/evpn.md describes for real hosts.")
        boolean evpn;

        @picocli.CommandLine.Mixin
        Output output = new Output();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            LabExample seed = LabExample.SEED;
            LabResult result = output.run(() -> evpn
                ? Lab.seedWithEvpn(policy, reversePathCheckPromisc, output.options())
                : Lab.seed(policy, reversePathCheckPromisc, output.options()));
            out.println("# seed lab: port group " + seed.policyPortGroup() + " of " + seed.policySwitch() + " -> "
                + policy.description() + (reversePathCheckPromisc ? "; Net.ReversePathFwdCheckPromisc=1" : "")
                + (evpn ? "; flood lists and remote MACs from BGP EVPN (a route reflector, AS 65000)" : ""));
            out.println();
            output.print(out, result);
            return 0;
        }
    }

    @Command(name = "run",
        mixinStandardHelpOptions = true,
        description = {"Run a topology file: its hosts, host switches, physical switches, routers, VTEP hosts,",
            "links and pings. Start from 'vxswitch lab example'; docs/lab.md describes the format."})
    static final class Run implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", description = "Topology YAML file.")
        Path file;

        @picocli.CommandLine.Mixin
        Output output = new Output();

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LabResult result = output.run(() -> {
                try {
                    return Lab.run(file, output.options());
                } catch (NoSuchFileException e) {
                    throw new UserException("no such topology file: " + file);
                } catch (IOException e) {
                    throw new UserException("cannot read " + file + ": " + FileErrors.reason(e), e);
                } catch (ConfigException e) {
                    throw new UserException(e.getMessage(), e);
                }
            });
            output.print(spec.commandLine().getOut(), result);
            return 0;
        }
    }

    @Command(name = "example",
        mixinStandardHelpOptions = true,
        description = {"Print a built-in topology as a YAML file to start your own from:",
            "  seed    the article: VLAN 119 stretched over VXLAN to a KVM host (what 'lab seed' runs)",
            "  nested  a nested hypervisor's VMs behind its single vNIC on a VDS port"})
    static final class Example implements Callable<Integer> {
        @Parameters(paramLabel = "NAME", arity = "0..1", defaultValue = "seed",
            description = "seed or nested (default: ${DEFAULT-VALUE}).")
        String name;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            LabExample example;
            try {
                example = LabExample.parse(name);
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage() + "; try 'vxswitch lab example seed'", e);
            }
            spec.commandLine().getOut().print(example.yaml());
            spec.commandLine().getOut().flush();
            return 0;
        }
    }

    /** A policy by name; a wrong name is a usage error that lists the names (picocli prints the message alone). */
    static final class PolicyConverter implements picocli.CommandLine.ITypeConverter<SeedPolicy> {
        @Override
        public SeedPolicy convert(String value) {
            try {
                return SeedPolicy.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
