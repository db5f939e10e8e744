package io.vxswitch.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a ping transcript the way a person (or a script) would: from its summary line and reply lines. */
record PingOutput(int transmitted, int received, int duplicates, int errors, String loss, long dupLines,
                  long replyLines) {
    private static final Pattern SUMMARY = Pattern.compile("(\\d+) packets transmitted, (\\d+) received"
        + "(?:, \\+(\\d+) duplicates)?(?:, \\+(\\d+) errors)?, ([\\d.]+)% packet loss, time \\d+ms");

    static PingOutput parse(String output) {
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            throw new AssertionError("no ping summary in:\n" + output);
        }
        long dups = output.lines().filter(l -> l.endsWith(" ms (DUP!)")).count();
        long replies = output.lines().filter(l -> l.matches("64 bytes from [\\d.]+: icmp_seq=\\d+ ttl=64 time=.*"))
            .count();
        return new PingOutput(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), number(m.group(3)),
            number(m.group(4)), m.group(5), dups, replies);
    }

    private static int number(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }
}
