package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.vxswitch.app.client.ApiClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code vxswitch trace}: what the switch would do with a frame, step by step, without sending it. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = {"Shows, step by step, what a running switch would do with a frame arriving on a port, like",
        "'ovs-appctl ofproto/trace': ingress VLAN, security policy, learning, FDB lookup or flood, result.",
        "Nothing is sent, learned or counted.", "",
        "Examples:",
        "  vxswitch trace --port vm1 --src 00:50:56:00:00:01 --dst ff:ff:ff:ff:ff:ff --ethertype arp",
        "  vxswitch trace --port up0 --vlan 119 --src 52:54:00:00:00:03 --dst 00:50:56:00:00:01",
        "  vxswitch trace --port vm1 --hex ffffffffffff005056000001080600010800060400010050560000010a000001",
        ""})
public final class TraceCommand implements Runnable {
    @Mixin
    ApiConnection api;
    @Option(names = "--port", required = true, paramLabel = "P", description = "The port the frame arrives on.")
    String port;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Frame frame;
    @Option(names = "--json", description = "Print the API's JSON instead of the steps.")
    boolean json;
    @Spec
    CommandSpec spec;

    static final class Frame {
        @ArgGroup(exclusive = false)
        Fields fields;
        @Option(names = "--hex", paramLabel = "HEX", description = "The whole frame in hex, from the destination MAC.")
        String hex;
    }

    static final class Fields {
        @Option(names = "--src", required = true, paramLabel = "MAC", description = "Source MAC.")
        String src;
        @Option(names = "--dst", required = true, paramLabel = "MAC", description = "Destination MAC.")
        String dst;
        @Option(names = "--vlan", paramLabel = "N", description = "An 802.1Q tag with VLAN N (default untagged).")
        Integer vlan;
        @Option(names = "--ethertype", paramLabel = "T", description = "arp, ipv4 (an ICMP echo, the default) or a"
            + " number such as 0x88cc.")
        String ethertype;
        @Option(names = "--src-ip", paramLabel = "IP", description = "Sender IPv4 for arp/ipv4 (default 192.0.2.1).")
        String srcIp;
        @Option(names = "--dst-ip", paramLabel = "IP", description = "Target IPv4 for arp/ipv4 (default 192.0.2.2).")
        String dstIp;
    }

    @Override
    public void run() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("port", port);
        if (frame.hex != null) {
            body.put("hex", frame.hex);
        } else {
            Fields f = frame.fields;
            body.put("src", f.src);
            body.put("dst", f.dst);
            putIfSet(body, "vlan", f.vlan);
            putIfSet(body, "ethertype", f.ethertype);
            putIfSet(body, "srcIp", f.srcIp);
            putIfSet(body, "dstIp", f.dstIp);
        }
        JsonNode answer = api.client().post("/trace", null, body);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(ApiClient.pretty(answer));
            return;
        }
        int n = 1;
        for (JsonNode step : answer.path("steps")) {
            out.printf("%2d. %-9s %s%n", n++, step.path("stage").asText(), step.path("detail").asText());
        }
        out.println();
        if (!answer.path("drop").isNull() && !answer.path("drop").isMissingNode()) {
            out.println("Result: drop (" + answer.path("drop").asText() + ")");
        } else {
            StringBuilder ports = new StringBuilder();
            answer.path("egress").forEach(p -> ports.append(ports.isEmpty() ? "" : ", ").append(p.asText()));
            out.println("Result: forward to " + ports);
        }
    }

    private static void putIfSet(Map<String, Object> body, String key, Object value) {
        if (value != null) {
            body.put(key, value);
        }
    }
}
