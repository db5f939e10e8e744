package io.vxswitch.app.it;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The summary of an iputils ping: "3 packets transmitted, 3 received, +3 duplicates, 0% packet loss". */
record Ping(String what, int transmitted, int received, int duplicates, String output) {
    private static final Pattern SUMMARY =
        Pattern.compile("(\\d+) packets transmitted, (\\d+) received(?:, \\+(\\d+) duplicates)?");

    static Ping parse(String what, String output) {
        Matcher m = SUMMARY.matcher(output);
        if (!m.find()) {
            return new Ping(what, 0, 0, 0, output);
        }
        return new Ping(what, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
            m.group(3) == null ? 0 : Integer.parseInt(m.group(3)), output);
    }

    /** Every echo request answered, each exactly once (no {@code DUP!}). */
    boolean allAnsweredOnce() {
        return transmitted > 0 && received == transmitted && duplicates == 0;
    }

    boolean noneAnswered() {
        return transmitted > 0 && received == 0 && duplicates == 0;
    }

    @Override
    public String toString() {
        return what + ": " + transmitted + " transmitted, " + received + " received, " + duplicates + " duplicates\n"
            + output;
    }
}
