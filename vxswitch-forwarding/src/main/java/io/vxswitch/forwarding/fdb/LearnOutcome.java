package io.vxswitch.forwarding.fdb;

/** What {@link Fdb#learn} did with a source MAC. */
public enum LearnOutcome {
    /** Already known on this port: its age was reset. */
    REFRESHED,
    /** New entry (possibly after evicting another one when the table was full). */
    LEARNED,
    /** Was learned on another port and now points here: a MAC move. */
    MOVED,
    /** The port already holds its limit of learned MACs: nothing changed. */
    LIMIT_REACHED,
    /** A static entry holds this (VLAN, MAC): static entries are never moved or refreshed by traffic. */
    STATIC_ENTRY,
    /** The table is full of static entries: nothing could be evicted. */
    TABLE_FULL,
    /** A flapping MAC frozen on its port by the {@link MacMoveGuard}: the move is refused, the frame dropped. */
    FROZEN,
    /** The MAC of a local vNIC, which owns it in every VLAN: never learned, refreshed or moved by a frame. */
    VNIC_MAC,
    /**
     * An EVPN entry holds this (VLAN, MAC) on the tunnel port the frame came in on: the control plane says where the
     * MAC is, so nothing is refreshed or moved (from another port, it is a move: {@link #MOVED}).
     */
    EVPN_ENTRY
}
