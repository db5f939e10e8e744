package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

/** A cable between two ends, with its one-way latency. */
public record LinkSpec(LinkEnd a, LinkEnd b, long latencyNanos, Where where) {
}
