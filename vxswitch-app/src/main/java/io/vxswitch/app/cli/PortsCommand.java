package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code vxswitch ports}: the ports of a running switch. */
@Command(name = "ports", mixinStandardHelpOptions = true,
    description = {"Lists the ports of a running switch: kind (vnic, uplink, tunnel), port group, its VLAN policy,",
        "the vNIC's effective MAC, whether the port is up (and 'mirror only' while it is a mirror session's",
        "destination: 'vxswitch mirror'), and its port group's traffic shaping if any (in and out:",
        "average/peak/burst). A LAG (type lag) is one uplink port; a table per LAG below lists its members with",
        "their LACP state, actor and partner ('vxswitch lacp show' for all of it). 'add' and 'del' change the",
        "ports without a restart.", ""},
    subcommands = {PortsCommand.Add.class, PortsCommand.Del.class})
public final class PortsCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ShowOutput.print(spec, json, api.client().get("/ports", null), PortsCommand::table);
    }

    /** With a shaping column (average/peak/burst each way) only when some port group shapes its ports. */
    static String table(JsonNode ports) {
        boolean shaping = false;
        for (JsonNode p : ports) {
            shaping |= p.hasNonNull("shaping");
        }
        Table t = shaping ? new Table("port", "kind", "port group", "VLAN", "MAC", "state", "shaping")
            : new Table("port", "kind", "port group", "VLAN", "MAC", "state");
        for (JsonNode p : ports) {
            t.row(p.path("name").asText(), p.path("kind").asText(), p.path("portGroup").asText(),
                p.path("vlan").asText(), p.path("mac").isNull() ? "-" : p.path("mac").asText(),
                (p.path("up").asBoolean() ? "up" : "down") + (p.path("mirrorDestination").asBoolean() ? ", mirror only"
                    : ""), p.path("shaping").asText("-"));
        }
        return t.render() + LacpCommand.members(ports);
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Adds a port to the running switch (a new tap, an existing interface, a VM's vhost-user",
            "socket, or a LAG of existing interfaces, whose LACP starts at once), as a ports entry of the config",
            "file would. The switch keeps it in CONFIG.d/ports.yaml beside",
            "its config file, so a restart or a 'vxswitch config reload' brings it back (docs/config.md).", "",
            "Examples:",
            "  vxswitch ports add vm3 --type tap --port-group vlan119 --mac 02:00:00:00:00:03",
            "  vxswitch ports add up1 --type interface --interface veth-up1 --port-group trunk",
            "  vxswitch ports add vm4 --type vhostuser --socket /run/vxswitch/vm4.sock --port-group vlan119 \\",
            "      --mac 02:00:00:00:00:04",
            "  vxswitch ports add lag0 --type lag --members eth1,eth2 --port-group trunk --lacp active --rate fast"})
    static final class Add implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--type", required = true, paramLabel = "tap|interface|vhostuser|lag")
        String type;
        @Option(names = "--port-group", required = true, paramLabel = "GROUP")
        String portGroup;
        @Option(names = "--interface", paramLabel = "IF", description = "The existing interface (type interface).")
        String iface;
        @Option(names = "--kind", paramLabel = "vnic|uplink")
        String kind;
        @Option(names = "--mac", paramLabel = "MAC", description = "The VM's MAC behind a vNIC port.")
        String mac;
        @Option(names = "--mtu", paramLabel = "N", description = "MTU of a new tap.")
        Integer mtu;
        @Option(names = "--socket", paramLabel = "PATH",
            description = "The vhost-user socket, an absolute path (type vhostuser).")
        String socket;
        @Option(names = "--mode", paramLabel = "server|client",
            description = "Who creates the socket (type vhostuser): server, vxswitch (default); client, QEMU.")
        String mode;
        @Option(names = "--socket-group", paramLabel = "GROUP",
            description = {"Give the socket to this group, mode 0660 (type vhostuser, mode server): QEMU under",
                "libvirt runs as its own user (libvirt-qemu, group kvm on Debian) and needs write access."})
        String socketGroup;
        @Option(names = "--members", split = ",", paramLabel = "IF",
            description = "A LAG's member interfaces (type lag; docs/config.md, 'Link aggregation').")
        List<String> members;
        @Option(names = "--lacp", paramLabel = "active|passive", description = "A LAG's LACP mode (default active).")
        String lacp;
        @Option(names = "--rate", paramLabel = "fast|slow", description = "The LACP rate a LAG asks of its partner"
            + " (default slow).")
        String rate;
        @Option(names = "--hash", paramLabel = "l2|l3l4", description = "A LAG's egress hash (default l3l4).")
        String hash;
        @Option(names = "--system-priority", paramLabel = "N", description = "A LAG's LACP system priority, 1-65535"
            + " (default 32768; of the two ends, the lower chooses the aggregation).")
        Integer systemPriority;
        @Option(names = "--system-id", paramLabel = "MAC", description = "A LAG's system id (default: its first"
            + " member's MAC).")
        String systemId;
        @Option(names = "--key", paramLabel = "N", description = "A LAG's key (default: its port id + 1).")
        Integer key;
        @Option(names = "--port-priority", paramLabel = "N", description = "Its members' LACP port priority, 1-65535"
            + " (default 32768).")
        Integer portPriority;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, Object> port = new LinkedHashMap<>();
            port.put("name", name);
            port.put("type", type);
            port.put("portGroup", portGroup);
            if (iface != null) {
                port.put("interface", iface);
            }
            if (kind != null) {
                port.put("kind", kind);
            }
            if (mac != null) {
                port.put("mac", mac);
            }
            if (mtu != null) {
                port.put("mtu", mtu);
            }
            if (socket != null) {
                port.put("socket", socket);
            }
            if (mode != null) {
                port.put("mode", mode);
            }
            if (socketGroup != null) {
                port.put("socketGroup", socketGroup);
            }
            putIfSet(port, "members", members);
            putIfSet(port, "lacp", lacp);
            putIfSet(port, "rate", rate);
            putIfSet(port, "hash", hash);
            putIfSet(port, "systemPriority", systemPriority);
            putIfSet(port, "systemId", systemId);
            putIfSet(port, "key", key);
            putIfSet(port, "portPriority", portPriority);
            JsonNode r = api.client().post("/ports", null, port);
            spec.commandLine().getOut().println(r.path("done").asText());
        }
    }

    private static void putIfSet(Map<String, Object> port, String key, Object value) {
        if (value != null) {
            port.put(key, value);
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Removes a port from the running switch (a tap it created goes with it), and from",
            "CONFIG.d/ports.yaml if it was added at run time; a port of the config file comes back at the next",
            "reload or restart unless it is removed there.", "",
            "Example:  vxswitch ports del vm3"})
    static final class Del implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            JsonNode r = api.client().delete("/ports/" + name, null);
            spec.commandLine().getOut().println(r.path("done").asText());
        }
    }
}
