package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.StringJoiner;

/** {@code vxswitch ipfix}: flow export's collectors and counts, like {@code ovs-vsctl list ipfix} with statistics. */
@Command(name = "ipfix", mixinStandardHelpOptions = true,
    description = {"Shows IPFIX flow export of a running switch: the collectors, sampling and timeouts, the flows",
        "in the cache, records and messages sent, observations dropped because a forwarding lane's ring was full,",
        "flows evicted from a full cache, and the interface index of each port in the records.", ""})
public final class IpfixCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--json", description = "Print the API's JSON instead of text.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ShowOutput.print(spec, json, api.client().get("/ipfix", null), IpfixCommand::text);
    }

    static String text(JsonNode x) {
        if (!x.path("enabled").asBoolean()) {
            return "IPFIX flow export is off (no ipfix block in the config; docs/config.md, \"IPFIX flow export\")\n";
        }
        StringJoiner collectors = new StringJoiner(" ");
        x.path("collectors").forEach(c -> collectors.add(c.asText()));
        StringJoiner interfaces = new StringJoiner(" ");
        x.path("interfaces").forEach(i -> interfaces.add(i.path("port").asText() + "=" + i.path("index").asText()));
        return String.format("""
            collectors:          %s (UDP)
            observation domain:  %d
            sampling:            1 in %d frames
            timeouts:            active %d s, idle %d s; templates every %d s
            flow cache:          %d of %d flows (%d created, %d evicted when full)
            observed frames:     %d (%d dropped: a lane's ring was full)
            sent:                %d records in %d messages (%d with templates), %d send errors
            interfaces:          %s (0: several ports, flooded)
            """, collectors, x.path("observationDomain").asLong(), x.path("sampling").asInt(),
            x.path("activeTimeoutSeconds").asLong(), x.path("idleTimeoutSeconds").asLong(),
            x.path("templateRefreshSeconds").asLong(), x.path("cachedFlows").asInt(), x.path("cacheEntries").asInt(),
            x.path("flows").asLong(), x.path("evicted").asLong(), x.path("observed").asLong(),
            x.path("ringFullDrops").asLong(), x.path("records").asLong(), x.path("messages").asLong(),
            x.path("templateMessages").asLong(), x.path("sendErrors").asLong(),
            interfaces.length() == 0 ? "-" : interfaces.toString());
    }
}
