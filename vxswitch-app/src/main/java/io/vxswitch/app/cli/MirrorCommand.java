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
    description = {"Port mirroring: copies of the frames of source ports and/or VLANs, received (ingress), sent",
        "(egress) or both, to a destination port that takes the copies and nothing else (SPAN), or to a collector",
        "on the underlay over ERSPAN type II or III (GRE) (docs/operations.md, \"Port mirroring\").",
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
                destination(m.path("destination")),
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
            JsonNode e = m.path("erspan");
            if (!e.isMissingNode() && !e.isNull()) {
                Map<String, Long> dropped = new LinkedHashMap<>();
                e.path("dropped").properties().forEach(d -> {
                    if (d.getValue().asLong() != 0) {
                        dropped.put(d.getKey(), d.getValue().asLong());
                    }
                });
                out += m.path("name").asText() + ": ERSPAN packets " + e.path("packets").asText() + " ("
                    + e.path("bytes").asText() + " bytes), cut to the path MTU " + e.path("mtuTruncated").asText()
                    + ", dropped " + (dropped.isEmpty() ? "0" : dropped.toString().replaceAll("[{}]", "")) + "\n";
            }
            if (m.hasNonNull("note")) {
                out += m.path("name").asText() + ": last said: " + m.path("note").asText() + "\n";
            }
        }
        return out;
    }

    /** {@code analyzer}, or {@code erspan:198.51.100.2 id 1 II}. */
    static String destination(JsonNode d) {
        JsonNode e = d.path("erspan");
        if (e.isMissingNode() || e.isNull()) {
            return d.path("port").asText();
        }
        return "erspan:" + e.path("remote").asText() + " id " + e.path("sessionId").asText() + " "
            + (e.path("version").asInt() == 3 ? "III" : "II");
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Lists the mirror sessions, or one: sources, direction, destination, truncation, sampling,",
            "whether it sends (a session waits for a destination port that is not there yet), the copies sent",
            "(frames, bytes, how many truncated) and the selected frames not copied (sampling, destination_down,",
            "erspan_loop). An ERSPAN session adds a line: the packets sent to its collector, the copies cut to",
            "the path MTU, and those dropped (queue_full, unreachable, refused); and what last went wrong."})
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
            "normal forwarding and what it sends is dropped, until the session is deleted.",
            "With --destination-erspan the copies go to a collector instead, as ERSPAN over GRE from this host",
            "(type II unless --erspan-version 3); the host must have a route to it and vxswitch CAP_NET_RAW,",
            "else the session is refused with the reason.", "",
            "Examples:",
            "  vxswitch mirror add span1 --source-port vm1 --destination-port analyzer",
            "  vxswitch mirror add v119 --source-vlan 119 --direction ingress --destination-port analyzer \\",
            "      --truncate 128 --sample 10",
            "  vxswitch mirror add remote1 --source-port vm1 --destination-erspan 198.51.100.2 --erspan-id 1",
            "  vxswitch mirror add remote3 --source-vlan 119 --destination-erspan 2001:db8::2 --erspan-id 7 \\",
            "      --erspan-version 3 --erspan-local 2001:db8::1 --erspan-dscp 10"})
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
        @Option(names = "--destination-port", paramLabel = "PORT",
            description = "The vNIC port the copies go to (an analyzer's interface): SPAN.")
        String destination;
        @Option(names = "--destination-erspan", paramLabel = "ADDRESS",
            description = "The collector the copies go to over ERSPAN (GRE), IPv4 or IPv6, instead of a port.")
        String erspanRemote;
        @Option(names = "--erspan-id", paramLabel = "N",
            description = "The ERSPAN session ID (1-1023) the collector knows the session by; needed with"
                + " --destination-erspan.")
        Integer erspanId;
        @Option(names = "--erspan-version", paramLabel = "2|3",
            description = "ERSPAN type II (2, the default: Open vSwitch's erspan_ver=1) or III (3: erspan_ver=2, with"
                + " a timestamp and the direction).")
        Integer erspanVersion;
        @Option(names = "--erspan-local", paramLabel = "ADDRESS",
            description = "The source address of the ERSPAN packets (default: the one the route gives).")
        String erspanLocal;
        @Option(names = "--erspan-dscp", paramLabel = "0-63", description = "DSCP of the ERSPAN packets (default 0).")
        Integer erspanDscp;
        @Option(names = "--erspan-ttl", paramLabel = "1-255",
            description = "TTL of the ERSPAN packets (default: the system's).")
        Integer erspanTtl;
        @Option(names = "--erspan-index", paramLabel = "N", description = "Type II's index field (0-1048575).")
        Integer erspanIndex;
        @Option(names = "--erspan-hardware-id", paramLabel = "0-63", description = "Type III's hardware ID.")
        Integer erspanHardwareId;
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
            if ((destination == null) == (erspanRemote == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give one destination: "
                    + "--destination-port PORT (SPAN) or --destination-erspan ADDRESS --erspan-id N (ERSPAN)");
            }
            if (erspanRemote == null) {
                session.put("destination", Map.of("port", destination));
            } else {
                if (erspanId == null) {
                    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--destination-erspan needs"
                        + " --erspan-id N: the session ID (1-1023) the collector knows the session by");
                }
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("remote", erspanRemote);
                e.put("sessionId", erspanId);
                putIfSet(e, "local", erspanLocal);
                putIfSet(e, "version", erspanVersion);
                putIfSet(e, "dscp", erspanDscp);
                putIfSet(e, "ttl", erspanTtl);
                putIfSet(e, "index", erspanIndex);
                putIfSet(e, "hardwareId", erspanHardwareId);
                session.put("destination", Map.of("erspan", e));
            }
            if (truncate != null) {
                session.put("truncate", truncate);
            }
            if (sample != null) {
                session.put("sample", sample);
            }
            JsonNode r = api.client().post("/mirrors", null, session);
            spec.commandLine().getOut().println(r.path("done").asText());
        }

        private static void putIfSet(Map<String, Object> m, String key, Object value) {
            if (value != null) {
                m.put(key, value);
            }
        }
    }

    @Command(name = "del", mixinStandardHelpOptions = true,
        description = {"Deletes a mirror session; its destination port goes back to normal forwarding (an ERSPAN",
            "session's GRE sockets are closed). A session",
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
