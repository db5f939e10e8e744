package io.vxswitch.forwarding.fdb;

/** Receives FDB entries one by one, without an entry object per row. */
@FunctionalInterface
public interface FdbVisitor {
    /**
     * @param lastSeen time of the last frame from this MAC (same clock as {@link Fdb#learn}); 0 for static and EVPN
     *                 entries
     * @param moves    how often this entry moved between ports (or between remote VTEPs)
     * @param remote   remote VTEP id for a MAC behind a tunnel port, else {@link Fdb#NO_REMOTE}
     */
    void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote);

    /**
     * What {@link Fdb#forEach} calls: the entry with the MAC mobility sequence number of an EVPN entry ({@link
     * Fdb#NO_SEQUENCE} for the other types). By default the sequence number is dropped; a visitor that shows it
     * overrides this too.
     */
    default void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote,
                       long sequence) {
        entry(vlan, mac, port, type, lastSeen, moves, remote);
    }
}
