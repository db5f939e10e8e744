package io.vxswitch.forwarding.fdb;

/** Running totals of an FDB, like {@code ovs-appctl fdb/stats-show}. */
public record FdbStats(int size, int capacity, long learned, long moved, long aged, long evicted,
                       long limitReached) {
}
