package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.ApiClient;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code vxswitch fdb show|flush|add|del}: the MAC table of a running switch. */
@Command(name = "fdb", mixinStandardHelpOptions = true,
    description = {"The MAC table (FDB) of a running switch, like 'bridge fdb' and 'ovs-appctl fdb/show'.", ""},
    subcommands = {FdbCommand.Show.class, FdbCommand.Flush.class, FdbCommand.Add.class, FdbCommand.Del.class})
public final class FdbCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Filters shared by show and flush. */
    static final class Filter {
        @Option(names = "--vlan", paramLabel = "N", description = "Only entries in VLAN N (0: untagged).")
        Integer vlan;
        @Option(names = "--port", paramLabel = "P", description = "Only entries on port P.")
        String port;
        @Option(names = "--mac", paramLabel = "MAC", description = "Only this MAC (aa:bb:cc:dd:ee:ff).")
        String mac;

        Map<String, String> params() {
            return ApiClient.params("vlan", vlan == null ? null : vlan.toString(), "port", port, "mac", mac);
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Lists the MAC table: learned entries with their age, static entries, and each vNIC's own",
            "MAC (known without learning, as on a VDS). MACs behind a tunnel show the remote VTEP, and those",
            "from BGP EVPN (type evpn) their MAC mobility sequence number (Seq).", "",
            "Example:  vxswitch fdb show --vlan 119"})
    static final class Show implements Runnable {
        @Mixin
        ApiConnection api;
        @Mixin
        Filter filter;
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ShowOutput.print(spec, json, api.client().get("/fdb", filter.params()), Show::render);
        }

        /** The columns of {@code ovs-appctl fdb/show} and more; "Seq" only if a row is an EVPN entry. */
        static String render(JsonNode rows) {
            boolean remotes = false;
            boolean evpn = false;
            for (JsonNode r : rows) {
                remotes |= !r.path("remoteVtep").isNull() && !r.path("remoteVtep").isMissingNode();
                evpn |= r.hasNonNull("sequence");
            }
            List<String> headers = new ArrayList<>(List.of("port", ">VLAN", "MAC", ">Age", "Type", ">Moves"));
            if (evpn) {
                headers.add(">Seq");
            }
            if (remotes) {
                headers.add("Remote VTEP");
            }
            Table t = new Table(headers.toArray(String[]::new));
            for (JsonNode r : rows) {
                List<String> cells = new ArrayList<>(List.of(r.path("port").asText(),
                    r.path("vlan").isNull() ? "any" : r.path("vlan").asText(), r.path("mac").asText(),
                    r.path("ageSeconds").isNull() ? "-" : r.path("ageSeconds").asText(), r.path("type").asText(),
                    r.path("moves").asText()));
                if (evpn) {
                    cells.add(r.hasNonNull("sequence") ? r.path("sequence").asText() : "");
                }
                cells.add(r.path("remoteVtep").isNull() ? "" : r.path("remoteVtep").asText());
                t.row(cells.toArray());
            }
            return t.render();
        }
    }

    @Command(name = "flush", mixinStandardHelpOptions = true,
        description = {"Removes learned entries (all, or those matching the filters); static and vNIC entries stay.",
            "Traffic to a flushed MAC floods until the MAC is learned again.", "",
            "Example:  vxswitch fdb flush --port nested"})
    static final class Flush implements Runnable {
        @Mixin
        ApiConnection api;
        @Mixin
        Filter filter;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            JsonNode r = api.client().post("/fdb/flush", filter.params(), null);
            int n = r.path("flushed").asInt();
            spec.commandLine().getOut().println("flushed " + n + " learned entr" + (n == 1 ? "y" : "ies"));
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Adds a static entry: frames to MAC in VLAN go to PORT; never ages, never moves.", "",
            "Example:  vxswitch fdb add --vlan 119 --mac 02:00:00:00:00:09 --port up0"})
    static final class Add implements Runnable {
        @Mixin
        ApiConnection api;
        @Option(names = "--vlan", required = true, paramLabel = "N")
        int vlan;
        @Option(names = "--mac", required = true, paramLabel = "MAC")
        String mac;
        @Option(names = "--port", required = true, paramLabel = "P")
        String port;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            api.client().post("/fdb/static", null, Map.of("vlan", vlan, "mac", mac, "port", port));
            spec.commandLine().getOut().println("static entry " + mac + " VLAN " + vlan + " -> port " + port);
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Removes a static entry.", "", "Example:  vxswitch fdb del --vlan 119 --mac 02:00:00:00:00:09"})
    static final class Del implements Runnable {
        @Mixin
        ApiConnection api;
        @Option(names = "--vlan", required = true, paramLabel = "N")
        int vlan;
        @Option(names = "--mac", required = true, paramLabel = "MAC")
        String mac;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            api.client().delete("/fdb/static", ApiClient.params("vlan", Integer.toString(vlan), "mac", mac));
            spec.commandLine().getOut().println("removed static entry " + mac + " VLAN " + vlan);
        }
    }
}
