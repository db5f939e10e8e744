package io.vxswitch.app.cli;

import io.vxswitch.app.client.ApiClient;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** How a subcommand finds the running switch: its API URL and token (a picocli mixin shared by all of them). */
public final class ApiConnection {
    @Option(names = "--api", paramLabel = "URL", defaultValue = "${env:VXSWITCH_API:-http://127.0.0.1:7739}",
        description = "The switch's management API (default: ${DEFAULT-VALUE}; env VXSWITCH_API). It listens in"
            + " the network namespace the switch runs in.")
    String url;

    @Option(names = "--token-file", paramLabel = "FILE", defaultValue = "/run/vxswitch/api.token",
        description = "Where the switch wrote its API token (default: ${DEFAULT-VALUE}; api.tokenFile in its"
            + " config). The env VXSWITCH_TOKEN, if set, is the token itself.")
    Path tokenFile;

    ApiClient client() {
        return ApiClient.connect(url, System.getenv("VXSWITCH_TOKEN"), tokenFile);
    }
}
