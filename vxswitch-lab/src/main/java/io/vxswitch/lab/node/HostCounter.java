package io.vxswitch.lab.node;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;

import java.util.Locale;

/** What an emulated host's NIC and IP stack count (the lab's {@link HostCounters}). */
public enum HostCounter implements CounterDescriptor {
    RX_FRAMES("frames the NIC received"),
    RX_NOT_FOR_US("unicast frames for another MAC (a NIC outside promiscuous mode ignores them)"),
    RX_DROPPED("frames the stack could not use: tagged, malformed, or a protocol it does not speak"),
    TX_FRAMES("frames sent"),
    ARP_REQUESTS_SENT("ARP requests sent"),
    ARP_REPLIES_SENT("ARP replies sent"),
    ECHO_REQUESTS_SENT("ICMP echo requests sent"),
    ECHO_REPLIES_SENT("ICMP echo replies sent"),
    ECHO_REPLIES_RECEIVED("ICMP echo replies received");

    private final String description;

    HostCounter(String description) {
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
        return CounterScope.HOST;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.HIDDEN;
    }
}
