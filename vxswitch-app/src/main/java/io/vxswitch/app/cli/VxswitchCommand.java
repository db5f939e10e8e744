package io.vxswitch.app.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The top-level {@code vxswitch} command: it only groups the subcommands and prints help. */
@Command(name = "vxswitch",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    subcommands = {LabCommand.class, RunCommand.class, FdbCommand.class, PortsCommand.class, TunnelsCommand.class,
        MirrorCommand.class, LacpCommand.class,
        StatsCommand.class, IpfixCommand.class, ConfigCommand.class, BgpCommand.class, EvpnCommand.class,
        TraceCommand.class, CaptureCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
    description = {
        "A distributed virtual layer-2 switch: VDS-style port groups (VLAN access/trunk, security policy,",
        "MAC learning policy), VXLAN tunnels, real TAP and host-interface ports.",
        "",
        "Start with the lab, which replays the nested-hypervisor story in memory (no root needed):",
        "  vxswitch lab seed                      MAC learning on the nested hypervisor's port",
        "  vxswitch lab seed --policy default     the VDS default: pings to the nested VMs fail",
        "  vxswitch lab seed --policy promiscuous promiscuous + forged transmits: works, with (DUP!)",
        "",
        "Then switch real frames (as root): vxswitch run --config switch.yaml (see docs/config.md),",
        "and look inside the running switch from another shell:",
        "  vxswitch ports                         its ports, port groups and VLANs",
        "  vxswitch fdb show [--vlan N]           the MAC table (learned, static, vNIC)",
        "  vxswitch stats                         counters and drops by reason, per port",
        "  vxswitch trace --port P --src M --dst M  what it would do with a frame, step by step",
        "  vxswitch capture PORT -w FILE          a port's frames as a pcap file (tcpdump -r FILE)",
        "  vxswitch config reload                 apply the edited config file without a restart",
        "  vxswitch bgp neighbors                 with EVPN: the BGP sessions (FRR's show bgp summary)",
        "  vxswitch evpn routes [--vni N]         with EVPN: the VTEPs and MACs learned and announced",
        "  vxswitch mirror show                   port mirroring sessions (SPAN, ERSPAN) and what they copied",
        "  vxswitch ipfix                         flow export to IPFIX collectors: is it working?",
        ""},
    footer = {"", "Run 'vxswitch help COMMAND' or 'vxswitch COMMAND --help' for the options of each command.",
        "Docs: README.md and docs/ in the source tree."})
public final class VxswitchCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new VxswitchCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setUsageHelpWidth(110);
        cl.setExecutionExceptionHandler(new UserErrorHandler());
        cl.setParameterExceptionHandler(new UsageErrorHandler());
        return cl;
    }
}
