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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code vxswitch mirror}: the port mirroring sessions of a running switch. */
@Command(name = "mirror", mixinStandardHelpOptions = true,
    description = {"Port mirroring (SPAN): copies of the frames of source ports and/or VLANs, received (ingress),",
        "sent (egress) or both, to a destination port that takes the copies and nothing else (docs/operations.md).",
        "'show' lists the sessions with what they copied; 'add' and 'del' change them without a restart.", ""},
    subcommands = {MirrorCommand.Show.class, MirrorCommand.Add.class, MirrorCommand.Del.class})
public final class MirrorCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** One row per session: what it copies, where, how, its state and counts. */
    static String table(JsonNode sessions) {
        Table t = new Table("session", "direction", "sources", "destination", "truncate", "sample", "state",
            "frames", "bytes", "truncated", "skipped");
        for (JsonNode m : sessions) {
            List<String> sources = new ArrayList<>();
            m.path("sources").path("ports").forEach(p -> sources.add(p.asText()));
            String vlans = m.path("sources").path("vlans").asText("");
            if (!vlans.isEmpty()) {
                sources.add("VLAN " + vlans);
            }
            Map<String, Long> skipped = new LinkedHashMap<>();
            m.path("skipped").properties().forEach(e -> {
                if (e.getValue().asLong() != 0) {
                    skipped.put(e.getKey(), e.getValue().asLong());
                }
            });
            t.row(m.path("name").asText(), m.path("direction").asText(), String.join(",", sources),
                m.path("destination").path("port").asText(),
                m.path("truncate").asInt() == 0 ? "-" : m.path("truncate").asText(),
                m.path("sample").asInt() == 1 ? "-" : "1/" + m.path("sample").asText(),
                m.path("active").asBoolean() ? "active" : "waiting", m.path("frames").asText(), m.path("bytes").asText(),
                m.path("truncated").asText(), skipped.isEmpty() ? "-" : skipped.toString().replaceAll("[{}]", ""));
        }
        String out = t.render();
        for (JsonNode m : sessions) {
            if (!m.path("active").asBoolean()) {
                out += m.path("name").asText() + ": " + m.path("status").asText() + "\n";
            }
        }
        return out;
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Lists the mirror sessions, or one: sources, direction, destination, truncation, sampling,",
            "whether it sends (a session waits for a destination port that is not there yet), the copies sent",
            "(frames, bytes, how many truncated) and the selected frames not copied (sampling, destination_down)."})
    static final class Show implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", arity = "0..1", paramLabel = "NAME")
        String name;
        @Option(names = "--json", description = "Print the API's JSON instead of a table.")
        boolean json;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            if (name == null) {
                ShowOutput.print(spec, json, api.client().get("/mirrors", null), MirrorCommand::table);
            } else {
                JsonNode one = api.client().get("/mirrors/" + name, null);
                ShowOutput.print(spec, json, one, m -> table(com.fasterxml.jackson.databind.node.JsonNodeFactory
                    .instance.arrayNode().add(m)));
            }
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
        description = {"Adds a mirror session to the running switch, as an entry of the config's mirrors list would.",
            "The switch keeps it in CONFIG.d/mirrors.yaml beside its config file, so a restart or a",
            "'vxswitch config reload' brings it back. The destination port takes the copies only: it is left out of",
            "normal forwarding and what it sends is dropped, until the session is deleted.", "",
            "Examples:",
            "  vxswitch mirror add span1 --source-port vm1 --destination-port analyzer",
            "  vxswitch mirror add v119 --source-vlan 119 --direction ingress --destination-port analyzer \\",
            "      --truncate 128 --sample 10"})
    static final class Add implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Option(names = "--source-port", paramLabel = "PORT", split = ",",
            description = "A port whose frames are copied (repeat, or separate with commas).")
        List<String> sourcePorts = new ArrayList<>();
        @Option(names = "--source-vlan", paramLabel = "VLANS",
            description = "VLANs whose frames are copied, from any port: 119 or 100-199,300.")
        String sourceVlans;
        @Option(names = "--direction", paramLabel = "ingress|egress|both", defaultValue = "both",
            description = "Frames the sources send into the switch, frames the switch sends them, or both"
                + " (default: ${DEFAULT-VALUE}).")
        String direction;
        @Option(names = "--destination-port", required = true, paramLabel = "PORT",
            description = "The vNIC port the copies go to (an analyzer's interface).")
        String destination;
        @Option(names = "--truncate", paramLabel = "BYTES", description = "Bytes kept of each copy (60-65535).")
        Integer truncate;
        @Option(names = "--sample", paramLabel = "N", description = "Copy one selected frame in N.")
        Integer sample;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            Map<String, Object> sources = new LinkedHashMap<>();
            if (!sourcePorts.isEmpty()) {
                sources.put("ports", sourcePorts);
            }
            if (sourceVlans != null) {
                sources.put("vlans", sourceVlans);
            }
            Map<String, Object> session = new LinkedHashMap<>();
            session.put("name", name);
            session.put("sources", sources);
            session.put("direction", direction);
            session.put("destination", Map.of("port", destination));
            if (truncate != null) {
                session.put("truncate", truncate);
            }
            if (sample != null) {
                session.put("sample", sample);
            }
            JsonNode r = api.client().post("/mirrors", null, session);
            spec.commandLine().getOut().println(r.path("done").asText());
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Deletes a mirror session; its destination port goes back to normal forwarding. A session",
            "added at run time leaves CONFIG.d/mirrors.yaml; one of the config file comes back at the next reload",
            "or restart unless it is removed there.", "",
            "Example:  vxswitch mirror del span1"})
    static final class Del implements Runnable {
        @Mixin
        ApiConnection api;
        @Parameters(index = "0", paramLabel = "NAME")
        String name;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            JsonNode r = api.client().delete("/mirrors/" + name, null);
            spec.commandLine().getOut().println(r.path("done").asText());
        }
    }
}
