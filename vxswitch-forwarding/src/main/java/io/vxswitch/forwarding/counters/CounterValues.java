package io.vxswitch.forwarding.counters;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One instance's counters as read ({@link CounterReading}): by descriptor, in the scope's catalogue order. */
public final class CounterValues {
    private final CounterInstance instance;
    private final List<CounterDescriptor> catalogue;
    private final Map<CounterDescriptor, Long> values = new IdentityHashMap<>();

    CounterValues(CounterInstance instance, List<CounterDescriptor> catalogue) {
        this.instance = instance;
        this.catalogue = catalogue;
    }

    /** Instance {@code instance} of {@code set} alone, read now, named {@code name}. */
    public static CounterValues of(CounterSet set, int instance, CounterInstance name) {
        CounterValues v = new CounterValues(name, set.descriptors());
        for (int slot = 0; slot < set.descriptors().size(); slot++) {
            v.add(set.descriptors().get(slot), set.get(instance, slot));
        }
        return v;
    }

    /** Zeros for an instance nothing counts for. */
    static CounterValues zero(CounterScope scope, String name, List<CounterDescriptor> catalogue) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String l : scope.labels()) {
            labels.put(l, l.equals(scope.labels().get(0)) ? name : "");
        }
        return new CounterValues(new CounterInstance(scope, name, labels), catalogue);
    }

    void add(CounterDescriptor d, long value) {
        values.merge(d, value, Long::sum);
    }

    public CounterInstance instance() {
        return instance;
    }

    /** The count of {@code d}; zero if nothing counts it for this instance. */
    public long get(CounterDescriptor d) {
        Long v = values.get(d);
        return v == null ? 0 : v;
    }

    /** The scope's counters, in catalogue order. */
    public List<CounterDescriptor> counters() {
        return catalogue;
    }

    /** The sum of the counters of {@code kind} (e.g. every drop). */
    public long total(CounterKind kind) {
        long sum = 0;
        for (CounterDescriptor d : catalogue) {
            if (d.kind() == kind) {
                sum += get(d);
            }
        }
        return sum;
    }

    /** The counters of {@code kind} that are not zero, by {@link CounterDescriptor#key}, in catalogue order. */
    public Map<String, Long> nonZero(CounterKind kind) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (CounterDescriptor d : catalogue) {
            long v = get(d);
            if (d.kind() == kind && v != 0) {
                out.put(d.key(), v);
            }
        }
        return out;
    }

    /** {@code key=value} for every counter of {@code kind} that is not zero, separated by {@code separator}. */
    public String describe(CounterKind kind, String separator) {
        StringBuilder out = new StringBuilder();
        nonZero(kind).forEach((k, v) -> out.append(out.isEmpty() ? "" : separator).append(k).append('=').append(v));
        return out.toString();
    }
}
