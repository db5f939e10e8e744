package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vxswitch bgp neighbors}: the BGP sessions of a running switch's EVPN control plane. */
@Command(name = "bgp", mixinStandardHelpOptions = true,
    description = {"The BGP sessions of a running switch's EVPN control plane (docs/evpn.md), like FRR's",
        "'show bgp summary'.", ""},
    subcommands = {BgpCommand.Neighbors.class})
public final class BgpCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "neighbors", mixinStandardHelpOptions = true,
        description = {"Lists the BGP neighbors (route reflectors or other VTEPs) with their session state, as FRR's",
            "'show bgp summary' does:",
            "  State    Established when routes flow; Idle/Connect/Active/OpenSent/OpenConfirm while it tries",
            "  Up/Down  how long it has been Established (hh:mm:ss); 'never': not once since the switch started;",
            "           '-': down now (why: below the table)",
            "  PfxRcd   EVPN routes received from it and valid now; PfxSnt: routes this switch sent it",
            "  MsgRcvd  BGP messages received (keepalives and UPDATEs); MsgSent: sent",
            "A neighbor's last error (a refused connection, a NOTIFICATION) is printed below the table.", "",
            "Example:  vxswitch bgp neighbors"})
    static final class Neighbors implements Runnable {
        @Mixin
        ApiConnection api;
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ShowOutput.print(spec, json, api.client().get("/bgp/neighbors", null), Neighbors::render);
        }

        static String render(JsonNode neighbors) {
            if (neighbors.isEmpty()) {
                return "no BGP neighbors: the evpn section of the config lists none\n";
            }
            Table t = new Table("Neighbor", ">AS", "State", ">Up/Down", ">PfxRcd", ">PfxSnt", ">MsgRcvd", ">MsgSent");
            StringBuilder notes = new StringBuilder();
            for (JsonNode n : neighbors) {
                String address = n.path("address").asText();
                boolean up = "Established".equals(n.path("state").asText());
                t.row(address, n.path("asn").asText(), n.path("state").asText(),
                    up ? hms(n.path("uptimeSeconds").asLong()) : n.path("establishedTransitions").asLong() == 0
                        ? "never" : "-",
                    n.path("routesReceived").asText(), n.path("routesSent").asText(), n.path("messagesIn").asText(),
                    n.path("messagesOut").asText());
                String down = n.path("lastDown").asText("");
                if (!up && !down.isEmpty()) {
                    notes.append(address).append(": went down: ").append(down).append('\n');
                }
                String error = n.path("lastError").asText("");
                if (!error.isEmpty()) {
                    notes.append(address).append(": last error: ").append(error).append('\n');
                }
            }
            return t.render() + "\nTotal number of neighbors " + neighbors.size() + "\n"
                + (notes.isEmpty() ? "" : "\n" + notes);
        }

        /** hh:mm:ss, the hours not wrapped at a day: 100:00:05 after 100 hours. */
        static String hms(long seconds) {
            return String.format("%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
        }
    }
}
