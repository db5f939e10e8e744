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
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

/** {@code vxswitch evpn routes}: the EVPN routes a running switch uses, as FRR's {@code show bgp l2vpn evpn}. */
@Command(name = "evpn", mixinStandardHelpOptions = true,
    description = {"The BGP-EVPN control plane of a running switch (docs/evpn.md): which VTEPs and MACs it",
        "learned from its BGP neighbors, and which it announces.", ""},
    subcommands = {EvpnCommand.Routes.class})
public final class EvpnCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "routes", mixinStandardHelpOptions = true,
        description = {"Lists the EVPN routes in use, grouped by route distinguisher as FRR's 'show bgp l2vpn evpn':",
            "those this switch originates (source 'local') and those received and selected (source: the",
            "neighbor that sent it). Two route types carry a VXLAN fabric (RFC 7432, RFC 8365):",
            "  type 3  inclusive multicast: a VTEP (the next hop) serves the VNI; it joins the VNI's flood list",
            "  type 2  MAC/IP advertisement: a MAC (and IP) is behind that VTEP; it goes in the MAC table",
            "Communities: RT:ASN:N the route target a VNI imports, ET:8 VXLAN encapsulation, MM:N the MAC",
            "mobility sequence (how often the MAC moved between VTEPs).", "",
            "Examples:  vxswitch evpn routes",
            "           vxswitch evpn routes --vni 119 --type 2     the MACs of VNI 119 and their VTEPs"})
    static final class Routes implements Runnable {
        @Mixin
        ApiConnection api;
        @Option(names = "--vni", paramLabel = "N", description = "Only routes of VNI N.")
        Integer vni;
        @Option(names = "--type", paramLabel = "2|3",
            description = "Only type 2 (MAC/IP: the MACs) or type 3 (inclusive multicast: the VTEPs).")
        String type;
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, String> query = ApiClient.params("vni", vni == null ? null : vni.toString(), "type", type);
            ShowOutput.print(spec, json, api.client().get("/evpn/routes", query), Routes::render);
        }

        static String render(JsonNode routes) {
            if (routes.isEmpty()) {
                return "no EVPN routes (none matches, or no neighbor is Established: vxswitch bgp neighbors)\n";
            }
            Map<String, List<JsonNode>> byRd = new LinkedHashMap<>(); // in the API's order: per VNI, then RD
            for (JsonNode r : routes) {
                byRd.computeIfAbsent(r.path("rd").asText(), k -> new ArrayList<>()).add(r);
            }
            // one table for all groups, so the columns line up from one RD to the next
            Table t = new Table("Network", "Next Hop", "Source", "Extended Community");
            for (List<JsonNode> group : byRd.values()) {
                for (JsonNode r : group) {
                    t.row(r.path("prefix").asText(), r.path("nextHop").asText(), r.path("source").asText(),
                        communities(r));
                }
            }
            List<String> lines = t.render().lines().toList();
            StringBuilder out = new StringBuilder()
                .append("EVPN type-2 prefix: [2]:[EthTag]:[MAClen]:[MAC]:[IPlen]:[IP]\n")
                .append("EVPN type-3 prefix: [3]:[EthTag]:[IPlen]:[OrigIP]\n\n")
                .append("   ").append(lines.getFirst()).append('\n');
            int line = 1;
            int[] perType = new int[4];
            for (Map.Entry<String, List<JsonNode>> e : byRd.entrySet()) {
                Set<String> vnis = new LinkedHashSet<>();
                e.getValue().forEach(r -> vnis.add(r.path("vni").asText()));
                out.append("Route Distinguisher: ").append(e.getKey()).append(" (VNI ")
                    .append(String.join(", ", vnis)).append(")\n");
                for (JsonNode r : e.getValue()) {
                    perType[Math.clamp(r.path("type").asInt(), 0, 3)]++;
                    out.append("   ").append(lines.get(line++)).append('\n');
                }
            }
            return out.append("\nDisplayed ").append(count(routes.size(), "route")).append(" (").append(perType[2])
                .append(" MAC/IP, ").append(perType[3]).append(" inclusive multicast) in ")
                .append(count(byRd.size(), "route distinguisher")).append('\n').toString();
        }

        private static String count(int n, String noun) {
            return n + " " + noun + (n == 1 ? "" : "s");
        }

        /** "RT:65000:119 ET:8 MM:1": a received route's sequence is a field of its own; shown as FRR shows it. */
        static String communities(JsonNode r) {
            StringJoiner out = new StringJoiner(" ");
            boolean mobility = false;
            for (JsonNode c : r.path("communities")) {
                out.add(c.asText());
                mobility |= c.asText().startsWith("MM:");
            }
            long sequence = r.path("sequence").asLong(-1);
            if (!mobility && sequence >= 0) {
                out.add("MM:" + sequence);
            }
            return out.length() == 0 ? "-" : out.toString();
        }
    }
}
