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
        "reason (forged_transmit, mac_limit, vlan_not_allowed, malformed:..., tx_queue_full, ...), and what",
        "the port did in software for offloads: 'gso N/M' cut N super-frames into M segments for a wire",
        "without offload, 'gro N/M' joined M received TCP segments into N super-frames.",
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
        Table t = new Table("port", ">rx frames", ">rx bytes", ">tx frames", ">tx bytes", "offload", "drops");
        for (JsonNode p : stats) {
            t.row(p.path("port").asText(), p.path("rxFrames").asText(), p.path("rxBytes").asText(),
                p.path("txFrames").asText(), p.path("txBytes").asText(), offload(p.path("offload")),
                ShowOutput.counts(p.path("drops")));
        }
        return t.render();
    }

    /** "gso 3/130, gro 12/400": super-frames and their segments, each way; "-" when the port did neither. */
    static String offload(JsonNode o) {
        StringBuilder out = new StringBuilder();
        if (o.path("superFramesCut").asLong() > 0) {
            out.append("gso ").append(o.path("superFramesCut").asLong()).append('/')
                .append(o.path("segmentsFromCuts").asLong());
        }
        if (o.path("superFramesCoalesced").asLong() > 0) {
            out.append(out.isEmpty() ? "" : ", ").append("gro ").append(o.path("superFramesCoalesced").asLong())
                .append('/').append(o.path("segmentsCoalesced").asLong());
        }
        return out.isEmpty() ? "-" : out.toString();
    }
}
