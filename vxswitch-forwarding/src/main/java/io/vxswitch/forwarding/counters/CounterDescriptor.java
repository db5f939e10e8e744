package io.vxswitch.forwarding.counters;

/**
 * What one counter is, said once for every reader (Aeron's {@code SystemCounterDescriptor}, with the names each
 * exporter uses): the key the API, the CLI and logs show it by, a line for an operator, what it counts per (a port, a
 * tunnel, a remote VTEP, the switch), and the Prometheus series it is. Implemented by the enums that name counted
 * events ({@code DropReason}, {@code VxlanDrop}, {@code IoCounter}, ...), so the event and its counter are one name.
 */
public interface CounterDescriptor {
    /** The name in the API's JSON, the CLI and logs, e.g. {@code forged_transmit}, {@code rxFrames}. */
    String key();

    /** One line for an operator: what is counted, and for a drop what to do about it. */
    String description();

    /** What the counter counts per; every instance of a scope has every counter of the scope. */
    CounterScope scope();

    /** How the API and the CLI show it. */
    CounterKind kind();

    /** The Prometheus family this counter is a series of, or null if it is not exported. */
    default MetricFamily family() {
        return null;
    }

    /** The value of the family's own label ({@link MetricFamily#label()}, e.g. the reason) for this counter. */
    default String familyLabel() {
        return null;
    }
}
