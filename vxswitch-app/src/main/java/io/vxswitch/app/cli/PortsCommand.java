package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.ApiClient;
import io.vxswitch.app.client.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vxswitch ports}: the ports of a running switch. */
@Command(name = "ports", mixinStandardHelpOptions = true,
    description = {"Lists the ports of a running switch: kind (vnic, uplink, tunnel), port group, its VLAN policy,",
        "the vNIC's effective MAC, and whether the port is up.", ""})
public final class PortsCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--json", description = "Print the API's JSON instead of a table.")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        JsonNode ports = api.client().get("/ports", null);
        if (json) {
            spec.commandLine().getOut().println(ApiClient.pretty(ports));
            return;
        }
        Table t = new Table("port", "kind", "port group", "VLAN", "MAC", "state");
        for (JsonNode p : ports) {
            t.row(p.path("name").asText(), p.path("kind").asText(), p.path("portGroup").asText(),
                p.path("vlan").asText(), p.path("mac").isNull() ? "-" : p.path("mac").asText(),
                p.path("up").asBoolean() ? "up" : "down");
        }
        spec.commandLine().getOut().print(t.render());
    }
}
