package io.vxswitch.forwarding.fdb;

/**
 * Running totals of an FDB, like {@code ovs-appctl fdb/stats-show}; {@code flaps} and {@code frozenRefused} come from
 * the {@link MacMoveGuard}.
 */
public record FdbStats(int size, int capacity, long learned, long moved, long aged, long evicted,
                       long limitReached, long flaps, long frozenRefused) {
}
