package io.vxswitch.lab.node;

import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;

import java.util.List;

/**
 * What a router did with the packets it received, as {@code show ip traffic} would count them. Kept in a counter
 * set of one row, like the switch's counters (the lab runs on one thread), and described by {@link RouterCounter}.
 */
public final class RouterCounters {
    private final CounterSet set = CounterSet.single(List.of(RouterCounter.values()));
    private final CounterLane lane = set.writer(0);

    void count(RouterCounter c) {
        lane.increment(c.ordinal());
    }

    /** The counts, for a reader that lists them by descriptor. */
    public CounterSet set() {
        return set;
    }

    /** Packets routed on towards their next hop. */
    public long forwarded() {
        return set.get(RouterCounter.FORWARDED);
    }

    /** Packets that arrived with TTL 1 or 0: dropped, and answered with ICMP time exceeded. */
    public long ttlExceeded() {
        return set.get(RouterCounter.TTL_EXCEEDED);
    }

    /** Packets to a destination no route covers. */
    public long noRoute() {
        return set.get(RouterCounter.NO_ROUTE);
    }

    /** Packets dropped because ARP never resolved their next hop. */
    public long unresolved() {
        return set.get(RouterCounter.UNRESOLVED);
    }

    /** Echo requests to one of the router's own addresses, answered. */
    public long echoReplies() {
        return set.get(RouterCounter.ECHO_REPLIES);
    }

    /** Other packets to the router itself, or to a broadcast or multicast address: not routed. */
    public long localDropped() {
        return set.get(RouterCounter.LOCAL_DROPPED);
    }

    @Override
    public String toString() {
        return "forwarded=" + forwarded() + " ttl_exceeded=" + ttlExceeded() + " no_route=" + noRoute() + " unresolved="
            + unresolved() + " echo_replies=" + echoReplies() + " local_dropped=" + localDropped();
    }
}
