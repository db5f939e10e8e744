package io.vxswitch.forwarding.counters;

/**
 * How the API and the CLI show a counter: as one of an object's own numbers (frames and bytes), in its map of drops
 * by reason, in its map of offload work, or not at all (kept for logs and tests).
 */
public enum CounterKind {
    TRAFFIC,
    DROP,
    OFFLOAD,
    HIDDEN
}
