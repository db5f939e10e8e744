package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

import io.vxswitch.packet.Ipv4Address;

/** {@code ping -c count -i interval to}, run on host {@code from}. Pings run one after another. */
public record PingSpec(String from, int to, int count, long intervalNanos, Where where) {
    public static final long DEFAULT_INTERVAL_NANOS = 1_000_000_000L;
    public static final int DEFAULT_COUNT = 4;

    @Override
    public String toString() {
        return from + ": ping -c " + count + " " + Ipv4Address.format(to);
    }
}
