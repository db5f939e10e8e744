package io.vxswitch.app.it;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One iperf3 run between two namespaces (TCP, or UDP at a set rate): a one-shot server, a client, the receiver's throughput. */
final class Iperf {
    /** The receiver summary line: "[  5]   0.00-3.07   sec   162 MBytes   443 Mbits/sec      receiver". */
    private static final Pattern RECEIVER = Pattern.compile("([\\d.]+) ([KMG]?)bits/sec\\s+receiver");

    /** What iperf3 reported; {@code mbps} is 0 when the run failed (see {@code output}). */
    record Result(double mbps, String output) {
    }

    private Iperf() {
    }

    /**
     * UDP at {@code bitrate} ({@code "100M"}) in datagrams of {@code length} bytes for {@code seconds}: what the
     * receiver got, in Mbit/s of UDP payload over its own time ({@code sum_received} of iperf3's JSON, which the
     * server reports back). 0 when the run failed.
     */
    static Result udp(Lab lab, Netns server, String serverIp, Netns client, int seconds, String bitrate, int length) {
        Background srv = lab.spawn("iperf3 server " + server.name(), server, "iperf3", "-s", "-1", "-B", serverIp,
            "--forceflush");
        srv.awaitOutput(out -> out.contains("Server listening"), "'Server listening'", Duration.ofSeconds(10));
        Cmd.Result r = client.run(Duration.ofSeconds(seconds + 30L), "iperf3", "-c", serverIp, "-u", "-b", bitrate,
            "-l", Integer.toString(length), "-t", Integer.toString(seconds), "--connect-timeout", "5000", "-J");
        srv.stop("TERM", Duration.ofSeconds(3));
        String out = r.out() + r.err();
        if (!r.ok()) {
            return new Result(0, out);
        }
        try {
            var received = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).path("end")
                .path("sum_received");
            return new Result(received.path("bits_per_second").asDouble() / 1e6, out);
        } catch (java.io.IOException e) {
            return new Result(0, out);
        }
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
