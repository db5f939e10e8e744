package io.vxswitch.vxlan;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

import java.util.Locale;

/**
 * Why a VXLAN tunnel endpoint dropped a packet. Each reason but {@link #NONE} ("not dropped") is a counter of the
 * tunnel ({@link VxlanCounters}): shown by its {@link #counterName}, and as the {@code reason} of
 * {@code vxswitch_vxlan_drops}. The data path returns one of these instead of throwing.
 */
public enum VxlanDrop implements CounterDescriptor {
    NONE("ok"),
    // Receive side, the VXLAN header and what it carries (RFC 7348 §5).
    TRUNCATED_HEADER("shorter than the 8-byte VXLAN header"),
    NO_I_FLAG("I flag clear: the VNI is not valid (RFC 7348 §5)"),
    RESERVED_BITS_SET("reserved bits set (strict mode, as Linux; RFC 7348 §5 says ignore them)"),
    INNER_TOO_SHORT("inner frame shorter than an Ethernet header (14 bytes)"),
    UNKNOWN_VNI("VNI not mapped to a VLAN on this tunnel endpoint"),
    // Receive side, outer headers of a captured frame (the socket path never sees these).
    NOT_VXLAN("not IPv4/IPv6 UDP to the VXLAN port"),
    MALFORMED_OUTER("outer Ethernet/IP/UDP header cut short or inconsistent"),
    OUTER_FRAGMENT("outer IP fragment: VTEPs may discard them (RFC 7348 §4.3)"),
    BAD_UDP_CHECKSUM("outer UDP checksum wrong, or zero over IPv6 (RFC 7348 §5, RFC 8200 §8.1)"),
    // Receive side, the sender.
    BAD_SOURCE_VTEP("outer source is not a unicast address, so it cannot be a VTEP"),
    TOO_MANY_VTEPS("a new remote VTEP, and every remote VTEP id is in use"),
    UNKNOWN_VTEP("outer source is no VTEP this tunnel knows (flood list, control plane) and it accepts only those"),
    // Send side.
    MTU_EXCEEDED("outer packet would exceed the underlay MTU; VTEPs never fragment (RFC 7348 §4.3)"),
    VLAN_WITHOUT_VNI("the frame's VLAN maps to no VNI on this tunnel endpoint, so it has no VXLAN segment to go in");

    private final String description;

    VxlanDrop(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Lower-case name used in counters and metrics, e.g. {@code mtu_exceeded}. */
    public String counterName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String key() {
        return counterName();
    }

    @Override
    public CounterScope scope() {
        return CounterScope.TUNNEL;
    }

    @Override
    public CounterKind kind() {
        return CounterKind.DROP;
    }

    @Override
    public MetricFamily family() {
        return VxlanMetrics.DROPS;
    }

    @Override
    public String familyLabel() {
        return counterName();
    }
}
