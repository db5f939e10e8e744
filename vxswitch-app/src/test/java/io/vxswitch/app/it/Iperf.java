package io.vxswitch.app.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One iperf3 TCP run between two namespaces: a one-shot server, a client, the receiver's throughput. */
final class Iperf {
    /** The receiver summary line: "[  5]   0.00-3.07   sec   162 MBytes   443 Mbits/sec      receiver". */
    private static final Pattern RECEIVER = Pattern.compile("([\\d.]+) ([KMG]?)bits/sec\\s+receiver");

    /** What iperf3 reported; {@code mbps} is 0 when the run failed (see {@code output}). */
    record Result(double mbps, String output) {
    }

    private Iperf() {
    }

    static Result tcp(Lab lab, Netns server, String serverIp, Netns client, int seconds) {
        return tcp(lab, server, serverIp, client, seconds, 1);
    }

    /** {@code streams} parallel TCP connections ({@code -P}); the result is their sum. */
    static Result tcp(Lab lab, Netns server, String serverIp, Netns client, int seconds, int streams) {
        Background srv = lab.spawn("iperf3 server " + server.name(), server, "iperf3", "-s", "-1", "-B", serverIp,
            "--forceflush");
        srv.awaitOutput(out -> out.contains("Server listening"), "'Server listening'", Duration.ofSeconds(10));
        Cmd.Result r = client.run(Duration.ofSeconds(seconds + 30L), "iperf3", "-c", serverIp, "-t",
            Integer.toString(seconds), "-f", "m", "--connect-timeout", "5000", "-P", Integer.toString(streams));
        srv.stop("TERM", Duration.ofSeconds(3));
        String out = r.out() + r.err();
        Matcher m = RECEIVER.matcher(out);
        String value = null;
        String unit = null;
        while (m.find()) { // the last receiver line: with -P, the [SUM] of the streams
            value = m.group(1);
            unit = m.group(2);
        }
        if (!r.ok() || value == null) {
            return new Result(0, out);
        }
        double scale = switch (unit) {
            case "K" -> 1e-3;
            case "G" -> 1e3;
            case "M" -> 1;
            default -> 1e-6;
        };
        return new Result(Double.parseDouble(value) * scale, out);
    }
}
