package io.vxswitch.forwarding.counters;

import java.util.List;
import java.util.Objects;

/**
 * A Prometheus counter family that counters are series of: its name (the exposition adds {@code _total}), its help,
 * which of the instance's labels its series carry, and the label, if any, that tells its counters apart (e.g.
 * {@code reason} for drops).
 *
 * @param instanceLabels labels taken from the instance ({@link CounterScope#labels}), in any order
 * @param label          the label whose value each counter gives ({@link CounterDescriptor#familyLabel}), or null
 */
public record MetricFamily(String name, String help, List<String> instanceLabels, String label) {
    public MetricFamily {
        Objects.requireNonNull(name);
        Objects.requireNonNull(help);
        instanceLabels = List.copyOf(instanceLabels);
    }

    /** A family whose series carry the instance's labels only: one counter each. */
    public static MetricFamily of(String name, String help, String... instanceLabels) {
        return new MetricFamily(name, help, List.of(instanceLabels), null);
    }

    /** A family of several counters told apart by {@code label} (e.g. drops by reason). */
    public static MetricFamily byLabel(String name, String help, String label, String... instanceLabels) {
        return new MetricFamily(name, help, List.of(instanceLabels), Objects.requireNonNull(label));
    }
}
