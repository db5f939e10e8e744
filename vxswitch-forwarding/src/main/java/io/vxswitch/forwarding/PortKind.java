package io.vxswitch.forwarding;

/** What sits behind a port of a host switch. */
public enum PortKind {
    /** A virtual machine's NIC: the switch knows its MAC without learning. */
    VNIC,
    /** A physical NIC towards the physical network; the uplinks together form the team. */
    UPLINK,
    /**
     * A tunnel (VXLAN) towards remote VTEPs: MACs behind it are learned with the VTEP they came from, frames to
     * it are encapsulated once per VTEP, and what came in from a tunnel never goes back into one (split horizon).
     */
    TUNNEL;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
