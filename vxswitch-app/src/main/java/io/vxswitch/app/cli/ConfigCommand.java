package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vxswitch config reload}: a running switch reads its config file again. */
@Command(name = "config", mixinStandardHelpOptions = true,
    description = {"The config of a running switch.", ""},
    subcommands = {ConfigCommand.Reload.class})
public final class ConfigCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "reload", mixinStandardHelpOptions = true,
        description = {"Makes the running switch read its config file again and apply the difference without a",
            "restart: port groups added or changed in place, ports added and removed (a changed port is removed",
            "and added again), flood lists, the MAC move guard. Other ports keep forwarding. Changes that need a",
            "restart (switch name, fdbCapacity, threads, api, tunnels beyond their remotes) are refused, and then",
            "nothing is applied. Ports added with 'vxswitch ports add' stay: they are kept in CONFIG.d/ports.yaml,",
            "which the reload reads with the config.", ""})
    static final class Reload implements Runnable {
        @Mixin
        ApiConnection api;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            JsonNode r = api.client().post("/config/reload", null, null);
            for (JsonNode line : r.path("done")) {
                spec.commandLine().getOut().println(line.asText());
            }
        }
    }
}
