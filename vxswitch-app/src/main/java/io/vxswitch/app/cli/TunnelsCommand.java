package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.ApiClient;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.Map;
import java.util.StringJoiner;

/** {@code vxswitch tunnels}: the VXLAN tunnels of a running switch, and their flood lists. */
@Command(name = "tunnels", mixinStandardHelpOptions = true,
    description = {"Lists the VXLAN tunnels of a running switch: each VNI with its VLAN and flood list (the remote",
        "VTEPs that get a copy of broadcast and unknown-unicast frames), packets encapsulated and decapsulated,",
        "and drops by reason. The subcommands change a flood list without a restart.", ""},
    subcommands = {TunnelsCommand.FloodAdd.class, TunnelsCommand.FloodDel.class})
public final class TunnelsCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ShowOutput.print(spec, json, api.client().get("/tunnels", null), TunnelsCommand::table);
    }

    static String table(JsonNode tunnels) {
        Table t = new Table("tunnel", "local", ">VNI", ">VLAN", "flood list", ">encap", ">decap", "drops");
        for (JsonNode tunnel : tunnels) {
            for (JsonNode v : tunnel.path("vnis")) {
                StringJoiner flood = new StringJoiner(" ");
                v.path("floodList").forEach(p -> flood.add(p.asText()));
                t.row(tunnel.path("name").asText(), tunnel.path("local").asText() + ":" + tunnel.path("udpPort").asText(),
                    v.path("vni").asText(), v.path("vlan").asText(), flood.length() == 0 ? "-" : flood.toString(),
                    tunnel.path("encapsulated").asText(), tunnel.path("decapsulated").asText(),
                    ShowOutput.counts(tunnel.path("drops")));
            }
        }
        StringBuilder notes = new StringBuilder();
        for (JsonNode tunnel : tunnels) {
            long unfinished = tunnel.path("innerChecksumUnfinished").asLong();
            if (unfinished > 0) { // forwarded, so in no drop count, but every one is lost at the VM
                notes.append('\n').append(tunnel.path("name").asText()).append(": ").append(unfinished)
                    .append(" decapsulated TCP/UDP frames came with their checksum left for a NIC to finish; VMs drop")
                    .append(" them. On the sending host: ethtool -K <underlay interface> tx off (docs/config.md)\n");
            }
        }
        return t.render() + notes;
    }

    @Command(name = "flood-add", mixinStandardHelpOptions = true,
        description = {"Adds a remote VTEP to a VNI's flood list (head-end replication).", "",
            "Example:  vxswitch tunnels flood-add vx119 --vni 119 --remote 192.0.2.3"})
    static final class FloodAdd implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "TUNNEL")
        String tunnel;
        @Option(names = "--vni", required = true, paramLabel = "N")
        int vni;
        @Option(names = "--remote", required = true, paramLabel = "ADDRESS")
        String remote;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            api.client().post("/tunnels/" + tunnel + "/flood-list", null, Map.of("vni", vni, "remote", remote));
            spec.commandLine().getOut().println("VNI " + vni + " on " + tunnel + " now floods to " + remote + " too");
        }
    }

    @Command(name = "flood-del", mixinStandardHelpOptions = true,
        description = {"Removes a remote VTEP from a VNI's flood list.", "",
            "Example:  vxswitch tunnels flood-del vx119 --vni 119 --remote 192.0.2.3"})
    static final class FloodDel implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "TUNNEL")
        String tunnel;
        @Option(names = "--vni", required = true, paramLabel = "N")
        int vni;
        @Option(names = "--remote", required = true, paramLabel = "ADDRESS")
        String remote;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            api.client().delete("/tunnels/" + tunnel + "/flood-list",
                ApiClient.params("vni", Integer.toString(vni), "remote", remote));
            spec.commandLine().getOut().println("VNI " + vni + " on " + tunnel + " no longer floods to " + remote);
        }
    }
}
