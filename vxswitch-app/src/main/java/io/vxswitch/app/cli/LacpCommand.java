package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;

/** {@code vxswitch lacp show}: the link aggregation groups of a running switch, like {@code ovs-appctl lacp/show}. */
@Command(name = "lacp", mixinStandardHelpOptions = true,
    description = {"The link aggregation groups (type: lag ports) of a running switch and their LACP state",
        "(docs/operations.md, 'Link aggregation').", ""},
    subcommands = {LacpCommand.Show.class})
public final class LacpCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Shows each LAG as Open vSwitch's 'ovs-appctl lacp/show' shows a bond, so both ends read alike:",
            "the actor system (id, priority, key) and the partner the LAG is attached to, then per member its link,",
            "its state (current, expired or defaulted: what the receive machine holds of the partner; distributing,",
            "attached (in sync, waiting for the partner), detached, or wrong partner: a member that hears another",
            "system than the others), what it sends (actor) and what it heard (partner): system, priority, port,",
            "port priority, key and the state flags (activity timeout aggregation synchronized collecting",
            "distributing defaulted expired), its LACPDU counts, the Marker PDUs it answered (802.1AX's Marker",
            "Responder; malformed ones and those over 2 a second are not answered) and its frame counts.", "",
            "Examples:  vxswitch lacp show", "           vxswitch lacp show lag0 --json"})
    static final class Show implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", arity = "0..1", paramLabel = "LAG", description = "Only this LAG.")
        String name;
        @Option(names = "--json", description = "Print the API's JSON instead of text.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            ShowOutput.print(spec, json, api.client().get(name == null ? "/lacp" : "/lacp/" + name, null),
                Show::render);
        }

        static String render(JsonNode answer) {
            if (answer.isObject()) {
                return lag(answer);
            }
            if (answer.isEmpty()) {
                return "no LAGs: a LAG is a port of type lag in the config file (docs/config.md)\n";
            }
            StringBuilder out = new StringBuilder();
            for (JsonNode l : answer) {
                out.append(lag(l));
            }
            return out.toString();
        }

        /** One LAG in lacp/show's layout. */
        static String lag(JsonNode l) {
            StringBuilder out = new StringBuilder("---- ").append(l.path("name").asText()).append(" ----\n");
            JsonNode p = l.path("partner");
            out.append("  status: ").append(l.path("lacp").asText())
                .append(l.path("distributing").asInt() > 0 ? " negotiated" : "").append('\n')
                .append("  sys_id: ").append(l.path("systemId").asText()).append('\n')
                .append("  sys_priority: ").append(l.path("systemPriority").asText()).append('\n')
                .append("  aggregation key: ").append(l.path("key").asText()).append('\n')
                .append("  lacp_time: ").append(l.path("rate").asText()).append('\n')
                .append("  hash: ").append(l.path("hash").asText()).append('\n')
                .append("  partner: ").append(p.isNull() || p.isMissingNode() ? "none yet"
                    : p.path("systemId").asText() + " priority " + p.path("systemPriority").asText() + ", key "
                    + p.path("key").asText()).append('\n')
                .append("  distributing: ").append(l.path("distributing").asText()).append(" of ")
                .append(l.path("members").size()).append(" members\n");
            for (JsonNode m : l.path("members")) {
                out.append("\nmember: ").append(m.path("name").asText()).append(": ").append(m.path("status").asText())
                    .append('\n')
                    .append("  link: ").append(m.path("link").asText()).append(", receive: ")
                    .append(m.path("receive").asText()).append(", mux: ").append(m.path("mux").asText()).append('\n');
                info(out, "actor", m.path("actor"));
                info(out, "partner", m.path("partner"));
                JsonNode c = m.path("counters");
                out.append("\n  lacpdus: rx ").append(c.path("lacpdusRx").asText()).append(", tx ")
                    .append(c.path("lacpdusTx").asText()).append(", malformed ").append(c.path("malformed").asText())
                    .append(", partner expired ").append(c.path("partnerExpired").asText()).append(", link downs ")
                    .append(c.path("linkDowns").asText()).append('\n')
                    .append("  markers: answered ").append(c.path("markersAnswered").asText()).append(", malformed ")
                    .append(c.path("markersMalformed").asText()).append(", over the rate ")
                    .append(c.path("markersRateLimited").asText()).append('\n')
                    .append("  frames: rx ").append(c.path("rxFrames").asText()).append(", tx ")
                    .append(c.path("txFrames").asText()).append('\n');
            }
            return out.append('\n').toString();
        }

        private static void info(StringBuilder out, String who, JsonNode i) {
            out.append('\n')
                .append("  ").append(who).append(" sys_id: ").append(i.path("systemId").asText()).append('\n')
                .append("  ").append(who).append(" sys_priority: ").append(i.path("systemPriority").asText())
                .append('\n')
                .append("  ").append(who).append(" port_id: ").append(i.path("port").asText()).append('\n')
                .append("  ").append(who).append(" port_priority: ").append(i.path("portPriority").asText())
                .append('\n')
                .append("  ").append(who).append(" key: ").append(i.path("key").asText()).append('\n')
                .append("  ").append(who).append(" state: ").append(flags(i.path("flags"))).append('\n');
        }

        private static String flags(JsonNode flags) {
            List<String> out = new ArrayList<>();
            flags.forEach(f -> out.add(f.asText()));
            return String.join(" ", out);
        }
    }

    /**
     * The LAG ports' members, for {@code vxswitch ports}: a table per LAG under the ports' table, a row per member
     * with both ends' state; empty when no port is a LAG.
     */
    static String members(JsonNode ports) {
        StringBuilder out = new StringBuilder();
        for (JsonNode p : ports) {
            JsonNode l = p.path("lacp");
            if (l.isMissingNode() || l.isNull()) {
                continue;
            }
            out.append("\nLAG ").append(p.path("name").asText()).append(" (lacp ").append(l.path("lacp").asText())
                .append(", ").append(l.path("rate").asText()).append(", hash ").append(l.path("hash").asText())
                .append("): system ").append(l.path("systemId").asText()).append(", key ").append(l.path("key").asText())
                .append("; ").append(l.path("distributing").asText()).append(" of ").append(l.path("members").size())
                .append(" members distributing\n");
            Table t = new Table("member", "link", "state", "actor state", "partner", "partner state");
            for (JsonNode m : l.path("members")) {
                JsonNode partner = m.path("partner");
                boolean heard = !"00:00:00:00:00:00".equals(partner.path("systemId").asText());
                t.row(m.path("name").asText(), m.path("link").asText(), m.path("status").asText(),
                    Show.flags(m.path("actor").path("flags")),
                    heard ? partner.path("systemId").asText() + " key " + partner.path("key").asText() + " port "
                        + partner.path("port").asText() : "-",
                    heard ? Show.flags(partner.path("flags")) : "-");
            }
            out.append(t.render());
        }
        return out.toString();
    }
}
