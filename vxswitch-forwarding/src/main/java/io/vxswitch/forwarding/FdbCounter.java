package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;
import io.vxswitch.forwarding.fdb.FdbStats;

import java.util.function.ToLongFunction;

/**
 * The MAC table's running totals ({@code ovs-appctl fdb/stats-show}). The FDB keeps them itself, changed under its
 * write lock (and the MAC-limit refusals in per-lane cells); the switch registers them as a poll of
 * {@link io.vxswitch.forwarding.fdb.Fdb#stats}, so they are read with every other counter.
 */
public enum FdbCounter implements CounterDescriptor {
    LEARNED("learned", "vxswitch_fdb_learned", "MACs learned.", FdbStats::learned),
    MOVED("moved", "vxswitch_fdb_moved", "Learned MACs that moved to another port or remote VTEP.", FdbStats::moved),
    AGED("aged", "vxswitch_fdb_aged", "Learned MACs removed after their aging time.", FdbStats::aged),
    EVICTED("evicted", "vxswitch_fdb_evicted", "Learned MACs evicted to make room in a full table.",
        FdbStats::evicted),
    LIMIT_REACHED("limit_reached", "vxswitch_fdb_limit_reached", "New MACs refused by a port's MAC limit.",
        FdbStats::limitReached),
    FLAPS("flaps", "vxswitch_fdb_flaps", "MACs found flapping (more moves than the MAC move guard allows).",
        FdbStats::flaps),
    FROZEN_REFUSED("frozen_refused", "vxswitch_fdb_frozen_refused", "Moves refused because the MAC was frozen.",
        FdbStats::frozenRefused);

    private final String key;
    private final MetricFamily family;
    private final ToLongFunction<FdbStats> value;

    FdbCounter(String key, String metric, String help, ToLongFunction<FdbStats> value) {
        this.key = key;
        this.family = MetricFamily.of(metric, help);
        this.value = value;
    }

    /** Every counter's value in {@code stats}, in enum order (what the registry's poll returns). */
    static long[] values(FdbStats stats) {
        FdbCounter[] all = values();
        long[] out = new long[all.length];
        for (int i = 0; i < all.length; i++) {
            out[i] = all[i].value.applyAsLong(stats);
        }
        return out;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String description() {
        return family.help();
    }

    @Override
    public CounterScope scope() {
        return CounterScope.SWITCH;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.HIDDEN;
    }

    @Override
    public MetricFamily family() {
        return family;
    }
}
