package io.vxswitch.forwarding;

/** What sits behind a port of a host switch. */
public enum PortKind {
    /** A virtual machine's NIC: the switch knows its MAC without learning. */
    VNIC,
    /** A physical NIC towards the physical network; the uplinks together form the team. */
    UPLINK;

    public String label() {
        return this == VNIC ? "vnic" : "uplink";
    }
}
