package io.vxswitch.forwarding.lacp;

/**
 * How a LAG picks the member a frame leaves by: every frame of a flow by the same member (no reordering), flows
 * spread over the members that distribute. A VDS LAG's load balancing mode, Open vSwitch's {@code balance-slb}
 * (by MAC) and {@code balance-tcp} (by 5-tuple).
 */
public enum LagHashPolicy {
    /** Source and destination MAC (and VLAN): all traffic between two hosts on one member. */
    L2("l2"),
    /** Source and destination IP, IP protocol and TCP/UDP ports; L2 for frames that are not IP. */
    L3L4("l3l4");

    private final String label;

    LagHashPolicy(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The policy named {@code label} ({@code l2}, {@code l3l4}). */
    public static LagHashPolicy parse(String label) {
        for (LagHashPolicy p : values()) {
            if (p.label.equals(label)) {
                return p;
            }
        }
        throw new IllegalArgumentException("hash must be l2 (source and destination MAC) or l3l4 (IP addresses,"
            + " protocol and TCP/UDP ports), got '" + label + "'");
    }
}
