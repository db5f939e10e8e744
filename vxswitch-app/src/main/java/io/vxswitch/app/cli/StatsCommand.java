package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vxswitch stats}: per-port counters of a running switch. */
@Command(name = "stats", mixinStandardHelpOptions = true,
    description = {"Per-port counters of a running switch: frames and bytes received and sent, and drops by",
        "reason (forged_transmit, mac_limit, vlan_not_allowed, malformed:..., tx_queue_full, ...).",
        "Counters start at zero when the switch starts.", ""})
public final class StatsCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ShowOutput.print(spec, json, api.client().get("/stats", null), StatsCommand::table);
    }

    static String table(JsonNode stats) {
        Table t = new Table("port", ">rx frames", ">rx bytes", ">tx frames", ">tx bytes", "drops");
        for (JsonNode p : stats) {
            t.row(p.path("port").asText(), p.path("rxFrames").asText(), p.path("rxBytes").asText(),
                p.path("txFrames").asText(), p.path("txBytes").asText(), ShowOutput.counts(p.path("drops")));
        }
        return t.render();
    }
}
