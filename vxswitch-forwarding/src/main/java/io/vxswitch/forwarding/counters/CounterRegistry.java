package io.vxswitch.forwarding.counters;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * Every counter of a switch, for every reader: the Prometheus exposition, the API (and so {@code vxswitch stats}),
 * the daemon's report and the lab all {@link #read} it, and none knows which class counts what. Whoever counts
 * registers its {@link CounterSet} with the instance it counts for (a port, a tunnel, its remote VTEPs, a port's
 * device) and closes the {@link Registration} when the thing goes away; totals kept elsewhere (the FDB's, under its
 * lock) are registered as a {@link #poll}.
 *
 * <p>Registering is configuration (the switch's thread, while nothing forwards, or before it does); {@link #read}
 * may run on any thread, and sees a moment-old count of each counter.
 */
public final class CounterRegistry {
    /** A source in the registry: what it counts for, and how to read it. */
    sealed interface Source permits SetSource, PolledSource {
    }

    record SetSource(CounterSet set, IntFunction<CounterInstance> names) implements Source {
    }

    record PolledSource(List<CounterDescriptor> descriptors, CounterInstance instance, Supplier<long[]> values)
        implements Source {
    }

    /** Takes a source out of the registry again. */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    private final List<Source> sources = new CopyOnWriteArrayList<>();

    /** Registers a set of one instance, counting for {@code instance}. */
    public Registration register(CounterSet set, CounterInstance instance) {
        if (set.instances() != 1) {
            throw new IllegalArgumentException("a set of " + set.instances() + " instances needs a name for each");
        }
        return register(set, i -> instance);
    }

    /**
     * Registers a set of several instances; {@code names} names instance {@code i} when it is read, or returns null
     * for an instance that counts for nothing now (a free remote VTEP id).
     */
    public Registration register(CounterSet set, IntFunction<CounterInstance> names) {
        return add(new SetSource(set, names));
    }

    /**
     * Registers counts kept elsewhere: {@code values} returns one value per descriptor, in order, when read (once per
     * {@link #read}).
     */
    public Registration poll(List<? extends CounterDescriptor> descriptors, CounterInstance instance,
                             Supplier<long[]> values) {
        return add(new PolledSource(List.copyOf(descriptors), instance, values));
    }

    private Registration add(Source s) {
        sources.add(s);
        return () -> sources.remove(s);
    }

    /** Every counter's value now, instance by instance; see {@link CounterReading}. */
    public CounterReading read() {
        return CounterReading.of(sources);
    }
}
