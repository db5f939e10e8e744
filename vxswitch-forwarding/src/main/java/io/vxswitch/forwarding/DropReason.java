package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

import java.util.Locale;

/**
 * Why the switch dropped a frame (or withheld one copy of it). Each is a per-port counter: shown by its
 * {@link #counterName} in the API and the CLI, and as the {@code reason} of {@code vxswitch_port_drops}.
 */
public enum DropReason implements CounterDescriptor {
    MALFORMED("frame could not be parsed"),
    PORT_DOWN("ingress port is down"),
    MIRROR_DESTINATION("ingress port is a mirror session's destination: it takes mirrored copies only"),
    INGRESS_SHAPING("over the port group's ingress traffic shaping (average bandwidth and burst, or peak bandwidth)"),
    VLAN_NOT_ALLOWED("the port group does not carry this VLAN"),
    INNER_TAG("decapsulated frame carries an 802.1Q tag (RFC 7348 §6.1: discarded)"),
    MULTICAST_SOURCE("source MAC is a group address"),
    FORGED_TRANSMIT("source MAC differs from the vNIC's effective MAC (forged transmits: reject)"),
    MAC_CHANGED("vNIC's effective MAC differs from its configured MAC (MAC changes: reject)"),
    EGRESS_SHAPING("over the egress port group's traffic shaping (average bandwidth and burst, or peak bandwidth)"),
    MAC_LIMIT("new source MAC beyond the port's MAC learning limit (limit policy: drop)"),
    MAC_MOVE_FROZEN("source MAC is flapping and frozen on another port by the MAC move guard"),
    REVERSE_PATH("broadcast/multicast came back in on an uplink with a local vNIC's source MAC"),
    UNKNOWN_UNICAST("destination MAC is unknown and no port takes unknown unicast"),
    SAME_PORT("destination MAC is on the ingress port"),
    UPLINK_TO_UPLINK("destination MAC is behind another uplink: never uplink to uplink"),
    SPLIT_HORIZON("frame came in from a tunnel and its destination is behind a tunnel: never tunnel to tunnel"),
    NO_EGRESS("no port in the VLAN to send to");

    private final String description;

    DropReason(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Lower-case name used in counters and metrics, e.g. {@code forged_transmit}. */
    public String counterName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String key() {
        return counterName();
    }

    @Override
    public CounterScope scope() {
        return CounterScope.PORT;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.DROP;
    }

    @Override
    public MetricFamily family() {
        return PortMetrics.DROPS;
    }

    @Override
    public String familyLabel() {
        return counterName();
    }
}
