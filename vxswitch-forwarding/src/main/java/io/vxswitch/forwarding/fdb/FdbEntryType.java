package io.vxswitch.forwarding.fdb;

/** Where an FDB entry came from. */
public enum FdbEntryType {
    /** Learned from a frame's source MAC; ages out. */
    LEARNED,
    /** Configured by the operator; never ages, never moves. */
    STATIC,
    /** The configured or effective MAC of a local vNIC: known without learning, as on a VDS. */
    VNIC;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
