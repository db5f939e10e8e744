package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.mirror.MirrorCounter;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.packet.Dot1q;

import java.util.List;

/**
 * A mirror session inside a {@link Switch}: the configured {@link MirrorSession}, its source ports and destination
 * resolved to port ids (again whenever a port comes or goes), its counters, and each lane's place in its sampling.
 * Changed only through the switch, while no lane forwards; the lanes read it and count into their own rows.
 *
 * <p>The selection is tables indexed by port id and VLAN, so that deciding whether a frame is selected costs an
 * array load per port it touches, not a search through names or ranges.
 */
public final class Mirror {
    /** Ints of padding around a lane's sampling countdown, so lanes never write one cache line (see CounterSet). */
    private static final int PAD = 16;
    private static final List<MirrorCounter> COUNTERS = List.of(MirrorCounter.values());
    private static final int FRAMES = MirrorCounter.FRAMES.ordinal();
    private static final int BYTES = MirrorCounter.BYTES.ordinal();
    private static final int TRUNCATED = MirrorCounter.TRUNCATED.ordinal();
    private static final int SAMPLING = MirrorCounter.SAMPLING.ordinal();
    private static final int DESTINATION_DOWN = MirrorCounter.DESTINATION_DOWN.ordinal();
    private static final int ERSPAN_LOOP = MirrorCounter.ERSPAN_LOOP.ordinal();
    /** {@link #selects}: the frame is not one the session copies. */
    static final int NOT_SELECTED = 0;
    /** {@link #selects}: copied as it enters the switch (a source port or VLAN's ingress). */
    static final int SELECTED_INGRESS = 1;
    /** {@link #selects}: copied as the switch sends it (out of a source port, or forwarded in a source VLAN). */
    static final int SELECTED_EGRESS = 2;

    private final MirrorSession session;
    /** The destination in words, made once: a trace names it per copy, which must not build a string per frame. */
    private final String destinationLabel;
    private final CounterSet counters;
    private final CounterLane[] lanes;
    /** Per lane, frames selected until the next is copied (1-in-N sampling), each lane in its own array. */
    private final int[][] countdowns;
    CounterRegistry.Registration registration;

    // The resolved selection: written by Switch.resolveMirrors, read by the lanes.
    final boolean[] ingressPorts;
    final boolean[] egressPorts;
    /** By VLAN 0-4094; null when the session has no source VLAN (the usual SPAN of a few ports). */
    final boolean[] vlans;
    /** The destination's port id, or -1 while the session cannot send (see {@link #status}); -1 for ERSPAN. */
    int destination = -1;
    /**
     * An ERSPAN session's place among the switch's remote destinations, 0 to {@link Switch#MAX_REMOTE_MIRRORS} - 1:
     * what its copies carry in the decision ({@link ForwardingDecision#remoteMirror}) and what the driver finds the
     * session's sender by; -1 for a SPAN session.
     */
    int remoteSlot = -1;
    private String status = "";
    /** What the driver last said about sending to an ERSPAN collector (an error), or null. */
    private volatile String destinationNote;

    Mirror(MirrorSession session, int maxPorts, int laneCount) {
        this.session = session;
        this.destinationLabel = session.destinationLabel();
        this.counters = new CounterSet(COUNTERS, 1, laneCount);
        this.lanes = new CounterLane[laneCount];
        this.countdowns = new int[laneCount][];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = counters.writer(i);
            countdowns[i] = new int[PAD + 1 + PAD];
            countdowns[i][PAD] = 1; // the first selected frame is copied, then one in N
        }
        this.ingressPorts = new boolean[maxPorts];
        this.egressPorts = new boolean[maxPorts];
        this.vlans = session.sourceVlans().isEmpty() ? null : new boolean[Dot1q.MAX_VID + 1];
        if (vlans != null) {
            for (int v = 0; v < vlans.length; v++) {
                vlans[v] = session.hasSourceVlan(v);
            }
        }
    }

    public MirrorSession session() {
        return session;
    }

    public String name() {
        return session.name();
    }

    /** Where the copies go, in words ({@link MirrorSession#destinationLabel}). */
    public String destinationLabel() {
        return destinationLabel;
    }

    /** True if the session sends copies now: its destination port is there and may be one (ERSPAN: always). */
    public boolean active() {
        return destination >= 0 || remoteSlot >= 0;
    }

    /** True for an ERSPAN session. */
    public boolean remote() {
        return remoteSlot >= 0;
    }

    /** See {@link #remoteSlot}; -1 for a SPAN session. */
    public int remoteSlot() {
        return remoteSlot;
    }

    /**
     * What the driver that sends an ERSPAN session's packets last found wrong (the collector unreachable, the kernel
     * refusing), with when, for {@code vxswitch mirror show}; null while nothing went wrong. Any thread.
     */
    public String destinationNote() {
        return destinationNote;
    }

    /** The driver's note about the destination (see {@link #destinationNote}); any thread. */
    public void noteDestination(String note) {
        this.destinationNote = note;
    }

    /** "active", or what keeps the session from sending and what to do about it. */
    public String status() {
        return status;
    }

    /** How the counter registry names this session. */
    public CounterInstance counterInstance() {
        return CounterInstance.mirror(session.name());
    }

    /** The session's counters, every lane's added up now. */
    public CounterValues counters() {
        return CounterValues.of(counters, 0, counterInstance());
    }

    CounterSet counterSet() {
        return counters;
    }

    /** Called by the switch with the ports as they are now; null destination with why. */
    void resolve(Port[] ports, int scanEnd, Port destinationPort, String why) {
        java.util.Arrays.fill(ingressPorts, false);
        java.util.Arrays.fill(egressPorts, false);
        for (int q = 0; q < scanEnd; q++) {
            Port p = ports[q];
            if (p != null && session.sourcePorts().contains(p.name())) {
                ingressPorts[q] = session.direction().ingress();
                egressPorts[q] = session.direction().egress();
            }
        }
        destination = destinationPort == null ? -1 : destinationPort.id();
        status = destinationPort == null && remoteSlot < 0 ? why : "active";
    }

    // ---- the data path (one lane's calls)

    /**
     * Whether the frame in {@code d} is one this session copies, and how: received on a source port
     * ({@link #SELECTED_INGRESS}), sent out of one by a copy among the first {@code forwarded}
     * ({@link #SELECTED_EGRESS}), or in a source VLAN that way; else {@link #NOT_SELECTED}. Only the frame's forwarded
     * copies are looked at, never a mirror copy: a copy is never mirrored again.
     */
    int selects(int inPort, ForwardingDecision d, int forwarded) {
        if (ingressPorts[inPort]) {
            return SELECTED_INGRESS;
        }
        boolean[] v = vlans;
        if (v != null) {
            boolean ingress = session.direction().ingress();
            if ((ingress || forwarded > 0) && v[d.vlan]) {
                return ingress ? SELECTED_INGRESS : SELECTED_EGRESS;
            }
        }
        for (int i = 0; i < forwarded; i++) {
            if (egressPorts[d.egressPort(i)]) {
                return SELECTED_EGRESS;
            }
        }
        return NOT_SELECTED;
    }

    /** This lane's sampling: true for one selected frame in N, counting the others. */
    boolean sampled(int lane) {
        int n = session.sample();
        if (n == 1) {
            return true;
        }
        int[] c = countdowns[lane];
        if (--c[PAD] > 0) {
            lanes[lane].increment(SAMPLING);
            return false;
        }
        c[PAD] = n;
        return true;
    }

    void countCopy(int lane, int length, boolean truncated) {
        CounterLane c = lanes[lane];
        c.increment(FRAMES);
        c.add(BYTES, length);
        if (truncated) {
            c.increment(TRUNCATED);
        }
    }

    void countDestinationDown(int lane) {
        lanes[lane].increment(DESTINATION_DOWN);
    }

    void countErspanLoop(int lane) {
        lanes[lane].increment(ERSPAN_LOOP);
    }
}
