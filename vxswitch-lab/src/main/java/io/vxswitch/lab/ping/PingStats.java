package io.vxswitch.lab.ping;

/**
 * The numbers of one ping run, as its summary prints them.
 *
 * @param transmitted echo requests sent
 * @param received    distinct sequence numbers answered (duplicates not counted)
 * @param duplicates  answers to a sequence number already answered: the {@code (DUP!)} lines
 * @param errors      ICMP errors such as Destination Host Unreachable
 * @param elapsedNanos time from the first echo request to the last one sent
 * @param rtt         round-trip summary, or null if nothing was received
 * @param pipe        most echo requests outstanding at once when a reply or error came back
 */
public record PingStats(long transmitted, long received, long duplicates, long errors, long elapsedNanos,
                        RttSummary rtt, int pipe) {

    /** Packet loss in percent, duplicates and errors not counted as received. */
    public double lossPercent() {
        return transmitted == 0 ? 0 : (transmitted - received) * 100.0 / transmitted;
    }

    /** The summary's {@code time} in milliseconds, rounded as iputils rounds it. */
    public long elapsedMillis() {
        return (elapsedNanos + 500_000) / 1_000_000;
    }
}
