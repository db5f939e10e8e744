package io.vxswitch.forwarding.counters;

import java.util.List;

/**
 * What a counter counts per, and the labels that name one instance of it (in Prometheus and in
 * {@link CounterInstance#labels}). Every instance of a scope reads every counter registered for that scope (zero
 * where nothing counts it: a lab port has no Linux device to count its transmit queue).
 */
public enum CounterScope {
    /** The switch as a whole (its FDB). */
    SWITCH(List.of()),
    /** One switch port; {@code kind} is vnic, uplink or tunnel. */
    PORT(List.of("port", "kind")),
    /** One tunnel endpoint (the VTEP behind a tunnel port). */
    TUNNEL(List.of("tunnel")),
    /** One remote VTEP as one tunnel sees it. */
    REMOTE_VTEP(List.of("tunnel", "remote")),
    /** One port mirroring session. */
    MIRROR(List.of("session")),
    /** One member interface of a link aggregation group (LACP). */
    LAG_MEMBER(List.of("lag", "member")),
    /** One socket or device of the Linux dataplane, by the port it serves. */
    SOCKET(List.of("socket")),
    /** One emulated host or router interface of the lab. */
    HOST(List.of("host")),
    /** One emulated router of the lab. */
    ROUTER(List.of("router"));

    private final List<String> labels;

    CounterScope(List<String> labels) {
        this.labels = labels;
    }

    /** The label names of an instance, the first of which names it. */
    public List<String> labels() {
        return labels;
    }
}
