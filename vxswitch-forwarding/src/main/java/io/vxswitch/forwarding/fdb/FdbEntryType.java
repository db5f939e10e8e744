package io.vxswitch.forwarding.fdb;

/** Where an FDB entry came from. */
public enum FdbEntryType {
    /** Learned from a frame's source MAC; ages out. */
    LEARNED,
    /** Configured by the operator; never ages, never moves. */
    STATIC,
    /** The configured or effective MAC of a local vNIC: known without learning, as on a VDS. */
    VNIC,
    /**
     * Installed by the EVPN control plane from a MAC/IP Advertisement route (RFC 7432 §9.2.2): a MAC behind a remote
     * VTEP, with its MAC mobility sequence number; never ages, moves only when the MAC turns up on another port.
     */
    EVPN;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
