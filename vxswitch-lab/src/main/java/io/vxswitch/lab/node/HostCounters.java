package io.vxswitch.lab.node;

import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterSet;

import java.util.List;

/**
 * What a host's NIC and IP stack saw, for tests and the lab's report. Kept in a counter set of one row, like the
 * switch's counters (the lab runs on one thread), and described by {@link HostCounter}.
 */
public final class HostCounters {
    private final CounterSet set = CounterSet.single(List.of(HostCounter.values()));
    private final CounterLane lane = set.writer(0);

    void count(HostCounter c) {
        lane.increment(c.ordinal());
    }

    /** The counts, for a reader that lists them by descriptor. */
    public CounterSet set() {
        return set;
    }

    /** Frames the NIC received. */
    public long rxFrames() {
        return set.get(HostCounter.RX_FRAMES);
    }

    /** Unicast frames for another MAC (a NIC outside promiscuous mode ignores them). */
    public long rxNotForUs() {
        return set.get(HostCounter.RX_NOT_FOR_US);
    }

    /** Frames the stack could not use: tagged, malformed, or a protocol it does not speak. */
    public long rxDropped() {
        return set.get(HostCounter.RX_DROPPED);
    }

    /** Frames sent. */
    public long txFrames() {
        return set.get(HostCounter.TX_FRAMES);
    }

    /** ARP requests sent. */
    public long arpRequestsSent() {
        return set.get(HostCounter.ARP_REQUESTS_SENT);
    }

    /** ARP replies sent. */
    public long arpRepliesSent() {
        return set.get(HostCounter.ARP_REPLIES_SENT);
    }

    /** ICMP echo requests sent. */
    public long echoRequestsSent() {
        return set.get(HostCounter.ECHO_REQUESTS_SENT);
    }

    /** ICMP echo replies sent. */
    public long echoRepliesSent() {
        return set.get(HostCounter.ECHO_REPLIES_SENT);
    }

    /** ICMP echo replies received. */
    public long echoRepliesReceived() {
        return set.get(HostCounter.ECHO_REPLIES_RECEIVED);
    }
}
