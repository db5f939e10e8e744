package io.vxswitch.lab.node;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;

import java.util.Locale;

/** What an emulated router counts, as {@code show ip traffic} would (the lab's {@link RouterCounters}). */
public enum RouterCounter implements CounterDescriptor {
    FORWARDED("packets routed on towards their next hop"),
    TTL_EXCEEDED("packets that arrived with TTL 1 or 0: dropped, and answered with ICMP time exceeded"),
    NO_ROUTE("packets to a destination no route covers"),
    UNRESOLVED("packets dropped because ARP never resolved their next hop"),
    ECHO_REPLIES("echo requests to one of the router's own addresses, answered"),
    LOCAL_DROPPED("other packets to the router itself, or to a broadcast or multicast address: not routed");

    private final String description;

    RouterCounter(String description) {
        this.description = description;
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public CounterScope scope() {
        return CounterScope.ROUTER;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.HIDDEN;
    }
}
