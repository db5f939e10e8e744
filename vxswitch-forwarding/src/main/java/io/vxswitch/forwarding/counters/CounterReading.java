package io.vxswitch.forwarding.counters;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What a {@link CounterRegistry} held at one moment: each instance's counters, every writer's counts and every
 * source for the instance added up. The one reader API: an exporter asks for an instance ({@link #of}) or walks a
 * scope ({@link #all}), and lists counters by their descriptors, so a counter added to an enum shows up everywhere.
 *
 * <p>Every instance of a scope has the scope's whole catalogue: the counters of every source registered for the
 * scope, in the order they were first registered (zero where nothing counted them for this instance).
 */
public final class CounterReading {
    private final Map<CounterScope, List<CounterDescriptor>> catalogue;
    private final Map<CounterScope, Map<String, CounterValues>> instances;

    private CounterReading(Map<CounterScope, List<CounterDescriptor>> catalogue,
                           Map<CounterScope, Map<String, CounterValues>> instances) {
        this.catalogue = catalogue;
        this.instances = instances;
    }

    static CounterReading of(List<CounterRegistry.Source> sources) {
        Map<CounterScope, LinkedHashSet<CounterDescriptor>> known = new EnumMap<>(CounterScope.class);
        for (CounterRegistry.Source s : sources) {
            List<CounterDescriptor> ds = switch (s) {
                case CounterRegistry.SetSource set -> set.set().descriptors();
                case CounterRegistry.PolledSource polled -> polled.descriptors();
            };
            for (CounterDescriptor d : ds) {
                known.computeIfAbsent(d.scope(), k -> new LinkedHashSet<>()).add(d);
            }
        }
        Map<CounterScope, List<CounterDescriptor>> catalogue = new EnumMap<>(CounterScope.class);
        known.forEach((scope, ds) -> catalogue.put(scope, List.copyOf(ds)));
        Map<CounterScope, Map<String, CounterValues>> instances = new EnumMap<>(CounterScope.class);
        for (CounterRegistry.Source s : sources) {
            switch (s) {
                case CounterRegistry.SetSource set -> addSet(set, catalogue, instances);
                case CounterRegistry.PolledSource polled -> {
                    long[] values = polled.values().get();
                    CounterValues v = values(polled.instance(), catalogue, instances);
                    for (int i = 0; i < values.length; i++) {
                        v.add(polled.descriptors().get(i), values[i]);
                    }
                }
            }
        }
        return new CounterReading(catalogue, instances);
    }

    private static void addSet(CounterRegistry.SetSource s, Map<CounterScope, List<CounterDescriptor>> catalogue,
                               Map<CounterScope, Map<String, CounterValues>> instances) {
        CounterSet set = s.set();
        for (int i = 0; i < set.instances(); i++) {
            CounterInstance instance = s.names().apply(i);
            if (instance == null) {
                continue;
            }
            CounterValues v = values(instance, catalogue, instances);
            for (int slot = 0; slot < set.descriptors().size(); slot++) {
                v.add(set.descriptors().get(slot), set.get(i, slot));
            }
        }
    }

    private static CounterValues values(CounterInstance instance, Map<CounterScope, List<CounterDescriptor>> catalogue,
                                        Map<CounterScope, Map<String, CounterValues>> instances) {
        return instances.computeIfAbsent(instance.scope(), k -> new LinkedHashMap<>())
            .computeIfAbsent(instance.name(), k -> new CounterValues(instance, catalogue.get(instance.scope())));
    }

    /** The counters every instance of {@code scope} has, in order; empty if nothing registered any. */
    public List<CounterDescriptor> catalogue(CounterScope scope) {
        return catalogue.getOrDefault(scope, List.of());
    }

    /** The counters of instance {@code name} of {@code scope}: all zero if nothing counts for it. */
    public CounterValues of(CounterScope scope, String name) {
        Map<String, CounterValues> byName = instances.get(scope);
        CounterValues v = byName == null ? null : byName.get(name);
        return v != null ? v : CounterValues.zero(scope, name, catalogue(scope));
    }

    /** Every instance of {@code scope}, in the order first registered. */
    public List<CounterValues> all(CounterScope scope) {
        return new ArrayList<>(instances.getOrDefault(scope, Map.of()).values());
    }
}
