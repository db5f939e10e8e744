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

    private final MirrorSession session;
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
    /** The destination's port id, or -1 while the session cannot send (see {@link #status}). */
    int destination = -1;
    private String status = "";

    Mirror(MirrorSession session, int maxPorts, int laneCount) {
        this.session = session;
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

    /** True if the session sends copies now: its destination port is there and may be one. */
    public boolean active() {
        return destination >= 0;
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
        status = destinationPort == null ? why : "active";
    }

    // ---- the data path (one lane's calls)

    /**
     * True if the frame in {@code d} is one this session copies: received on a source port (ingress), sent out of one
     * by a copy among the first {@code forwarded} (egress), or in a source VLAN that way. Only the frame's forwarded
     * copies are looked at, never a mirror copy: a copy is never mirrored again.
     */
    boolean selects(int inPort, ForwardingDecision d, int forwarded) {
        if (ingressPorts[inPort]) {
            return true;
        }
        boolean[] v = vlans;
        if (v != null) {
            boolean carried = session.direction().ingress() || forwarded > 0;
            if (carried && v[d.vlan]) {
                return true;
            }
        }
        for (int i = 0; i < forwarded; i++) {
            if (egressPorts[d.egressPort(i)]) {
                return true;
            }
        }
        return false;
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
}
