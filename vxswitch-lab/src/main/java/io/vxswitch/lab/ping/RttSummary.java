package io.vxswitch.lab.ping;

/** The {@code rtt min/avg/max/mdev} line of ping's summary, in microseconds as iputils keeps them. */
public record RttSummary(long minMicros, long avgMicros, long maxMicros, long mdevMicros) {
}
