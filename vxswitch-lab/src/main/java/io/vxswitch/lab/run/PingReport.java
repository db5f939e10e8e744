package io.vxswitch.lab.run;

import io.vxswitch.lab.ping.PingStats;

/**
 * One ping as it ran in the lab.
 *
 * @param from    the host it ran on
 * @param command the command line, e.g. {@code ping -c 4 10.0.0.3}
 * @param output  what ping printed, iputils-exact
 * @param stats   the summary's numbers
 */
public record PingReport(String from, String command, String output, PingStats stats) {
    /** The run as a terminal shows it: a prompt with the command, then the output. */
    public String transcript() {
        return from + "$ " + command + "\n" + output;
    }
}
