package io.vxswitch.linux;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;

import java.util.Locale;

/**
 * What a Linux socket or tap counts ({@link IoCounters}), with a line for logs. Not shown by the API: what an operator
 * acts on reaches a port's counters through its device ({@code rx_refused}, {@code tx_refused}).
 */
public enum IoCounter implements CounterDescriptor {
    RX_FRAMES("frames received"),
    RX_BYTES("bytes received"),
    TX_FRAMES("frames sent"),
    TX_BYTES("bytes sent"),
    RX_OVERSIZE_DROPS("received frames dropped: longer than MTU + Ethernet header + 2 tags; usually GSO/GRO "
        + "super-frames from offloads: give the port offload: true, or turn them off: "
        + "ethtool -K DEV tx off gso off tso off gro off"),
    RX_PARTIAL_CHECKSUM_DROPS("received frames dropped: checksum left to an offload (CHECKSUM_PARTIAL), "
        + "forwarding them would send bad checksums; give the port offload: true, or turn off tx checksum offload "
        + "on the sender"),
    RX_LRO_DROPS("received super-frames whose checksums are final rather than left to fill in (a NIC's LRO builds "
        + "them; GRO's are fine), dropped: turn LRO off on the interface: ethtool -K DEV lro off"),
    RX_OWN_TX_IGNORED("frames this host sent on the interface, seen by the packet socket and ignored"),
    RX_VLAN_TAGS_RESTORED("received frames whose 802.1Q tag the kernel had stripped and vxswitch put back"),
    RX_ERRORS("receive calls that failed, or frames no working kernel hands over (the first errno is logged)"),
    RX_LINK_DOWN("receive calls that reported the interface down (ENETDOWN)"),
    TX_WOULD_BLOCK("frames not sent: the kernel's send queue was full"),
    TX_ERRORS("frames not sent: the kernel refused them (the errno is logged)");

    private final String description;

    IoCounter(String description) {
        this.description = description;
    }

    @Override
    public String description() {
        return description;
    }

    /** True for what the sending thread counts ({@code TX_*}); the receiving thread counts the rest. */
    public boolean sending() {
        return name().startsWith("TX_");
    }

    @Override
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public CounterScope scope() {
        return CounterScope.SOCKET;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.HIDDEN;
    }
}
