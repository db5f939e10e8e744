package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.ApiClient;
import picocli.CommandLine.Model.CommandSpec;

import java.util.StringJoiner;
import java.util.function.Function;

/** How the show commands print: the API's JSON with {@code --json}, a table otherwise. */
final class ShowOutput {
    private ShowOutput() {
    }

    static void print(CommandSpec spec, boolean json, JsonNode answer, Function<JsonNode, String> table) {
        spec.commandLine().getOut().print(json ? ApiClient.pretty(answer) + "\n" : table.apply(answer));
    }

    /** {@code {"mac_limit": 3, "forged_transmit": 1}} as {@code mac_limit=3, forged_transmit=1}, or {@code -}. */
    static String counts(JsonNode map) {
        StringJoiner out = new StringJoiner(", ");
        map.properties().forEach(e -> out.add(e.getKey() + "=" + e.getValue().asText()));
        return out.length() == 0 ? "-" : out.toString();
    }
}
