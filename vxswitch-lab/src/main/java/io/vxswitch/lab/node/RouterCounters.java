package io.vxswitch.lab.node;

/** What a router did with the packets it received, as {@code show ip traffic} would count them. */
public final class RouterCounters {
    long forwarded;
    long ttlExceeded;
    long noRoute;
    long unresolved;
    long echoReplies;
    long localDropped;

    /** Packets routed on towards their next hop. */
    public long forwarded() {
        return forwarded;
    }

    /** Packets that arrived with TTL 1 or 0: dropped, and answered with ICMP time exceeded. */
    public long ttlExceeded() {
        return ttlExceeded;
    }

    /** Packets to a destination no route covers. */
    public long noRoute() {
        return noRoute;
    }

    /** Packets dropped because ARP never resolved their next hop. */
    public long unresolved() {
        return unresolved;
    }

    /** Echo requests to one of the router's own addresses, answered. */
    public long echoReplies() {
        return echoReplies;
    }

    /** Other packets to the router itself, or to a broadcast or multicast address: not routed. */
    public long localDropped() {
        return localDropped;
    }

    @Override
    public String toString() {
        return "forwarded=" + forwarded + " ttl_exceeded=" + ttlExceeded + " no_route=" + noRoute + " unresolved="
            + unresolved + " echo_replies=" + echoReplies + " local_dropped=" + localDropped;
    }
}
