package io.vxswitch.linux.lacp;

import io.vxswitch.forwarding.lacp.Aggregator;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.dataplane.LagPort;
import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.packet.Lacpdu;
import io.vxswitch.packet.Wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.function.Consumer;

/**
 * The I/O of one LAG's LACP, for the {@link LacpAgent}: a Slow Protocols socket per member interface (its LACPDUs
 * both ways, Markers in and Marker Responses out: the kernel hands this socket EtherType 0x8809 only), the members'
 * link states, and the way the {@link Aggregator}'s decisions reach the data path (a conductor command through the
 * LAG's {@link LagPort}). The protocol itself is the aggregator's; this class reads, sends, and tells.
 */
final class LagControl implements AutoCloseable {
    private static final int BATCH = 8;

    private final Aggregator aggregator;
    /** The LAG's port of each forwarding loop; the first carries the commands (they share one distribution). */
    private final List<LagPort> ports;
    private final PacketSocket[] sockets;
    private final FrameBatch[] batches;
    private final long[] memberMacs;
    private final int[] ifindexes;
    private final LinkState[] links;
    private final Consumer<String> log;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment tx = arena.allocate(Aggregator.FRAME_LENGTH);
    /** The members the data path was last told to use. */
    private long applied;
    private volatile LagStatus status;

    private LagControl(Aggregator aggregator, List<LagPort> ports, PacketSocket[] sockets, FrameBatch[] batches,
                       long[] memberMacs, Consumer<String> log) {
        this.aggregator = aggregator;
        this.ports = List.copyOf(ports);
        this.sockets = sockets;
        this.batches = batches;
        this.memberMacs = memberMacs;
        this.log = log;
        this.ifindexes = new int[sockets.length];
        this.links = new LinkState[sockets.length];
        for (int i = 0; i < sockets.length; i++) {
            ifindexes[i] = sockets[i].ifindex();
            links[i] = LinkState.DOWN;
        }
        this.status = aggregator.status(null);
    }

    /**
     * Opens a Slow Protocols socket on each member of {@code options} (resolved: its system id and key set).
     *
     * @throws LinuxException a member the host cannot open
     */
    static LagControl open(LagOptions options, List<LagPort> ports, Consumer<String> log) {
        List<String> members = options.members();
        PacketSocket[] sockets = new PacketSocket[members.size()];
        FrameBatch[] batches = new FrameBatch[members.size()];
        long[] macs = new long[members.size()];
        try {
            for (int i = 0; i < sockets.length; i++) {
                sockets[i] = PacketSocket.openSlowProtocols(members.get(i));
                batches[i] = sockets[i].newBatch(BATCH);
                macs[i] = InterfaceControl.macAddress(members.get(i));
            }
        } catch (RuntimeException e) {
            for (int i = 0; i < sockets.length; i++) {
                if (sockets[i] != null) {
                    sockets[i].close();
                }
                if (batches[i] != null) {
                    batches[i].close();
                }
            }
            throw e;
        }
        return new LagControl(new Aggregator(options), ports, sockets, batches, macs, log);
    }

    String name() {
        return aggregator.options().name();
    }

    int members() {
        return sockets.length;
    }

    int fd(int member) {
        return sockets[member].fd();
    }

    LagStatus status() {
        return status;
    }

    /**
     * Reads every Slow Protocols frame waiting on member {@code m}'s socket into the aggregator, and answers a Marker
     * at once on the same member (the aggregator's responder decides which, within its rate).
     */
    void receive(int m, long now) {
        FrameBatch b = batches[m];
        long downs = sockets[m].counters().get(IoCounter.RX_LINK_DOWN);
        int n;
        while ((n = sockets[m].receive(b)) > 0) {
            for (int k = 0; k < n; k++) {
                long frame = b.frameOffset(k);
                int length = b.frameLength(k);
                if (length < 14 || Wire.u16(b.buffer(), frame + 12) != Lacpdu.SLOW_PROTOCOLS_ETHERTYPE) {
                    continue; // a tagged one (the kernel put its tag back): LACP is never tagged
                }
                if (aggregator.receive(m, b.buffer(), frame + 14, length - 14, now) == Aggregator.Outcome.MARKER) {
                    sockets[m].write(tx, 0, aggregator.writeMarkerResponse(m, tx, 0, memberMacs[m], now));
                }
            }
        }
        if (n < 0 || sockets[m].counters().get(IoCounter.RX_LINK_DOWN) != downs) {
            checkLink(m, now); // the socket said ENETDOWN (or worse): the link is worth a look now, not at the next tick
        }
    }

    /** Follows the members' links, runs the machines, sends what is due and tells the data path what changed. */
    void tick(long now) {
        for (int m = 0; m < sockets.length; m++) {
            checkLink(m, now);
        }
        aggregator.tick(now);
        for (int m = 0; m < sockets.length; m++) {
            if (aggregator.transmitDue(m, now)) {
                int length = aggregator.writeLacpdu(m, tx, 0, memberMacs[m], now);
                sockets[m].write(tx, 0, length); // refused while the link is down: counted by the socket
            }
        }
        apply();
        status = aggregator.status(traffic());
    }

    /** The earliest timer of the LAG's machines. */
    long nextDeadline() {
        return aggregator.nextDeadline();
    }

    private void checkLink(int m, long now) {
        LinkState state;
        try {
            state = InterfaceControl.linkState(ifindexes[m]);
        } catch (LinuxException e) {
            state = LinkState.DOWN;
        }
        if (state == links[m]) {
            return;
        }
        links[m] = state;
        aggregator.linkChanged(m, state == LinkState.UP, now);
        log.accept("lag " + name() + ": member " + member(m) + " link " + state.name().toLowerCase(java.util.Locale.ROOT));
        apply();
    }

    /** Hands a changed member set to the data path (between two turns of its loops), and says what changed. */
    private void apply() {
        long d = aggregator.distributing();
        if (d == applied) {
            return;
        }
        long joined = d & ~applied;
        long left = applied & ~d;
        applied = d;
        ports.getFirst().submit(() -> ports.getFirst().distribution().set(d));
        LagStatus s = aggregator.status(null);
        for (int m = 0; m < sockets.length; m++) {
            if ((joined & (1L << m)) != 0) {
                LagStatus.Member x = s.members().get(m);
                log.accept("lag " + name() + ": member " + member(m) + " collecting and distributing (partner "
                    + x.partner().systemId() + " priority " + x.partner().systemPriority() + ", key "
                    + x.partner().key() + ", port " + x.partner().port() + ")");
            } else if ((left & (1L << m)) != 0) {
                LagStatus.Member x = s.members().get(m);
                log.accept("lag " + name() + ": member " + member(m) + " no longer carries traffic (" + x.summary()
                    + ")" + (d == 0 ? "; no member left: the LAG is down" : ""));
            }
        }
    }

    /** Each member's traffic, every loop's port added up: rx frames, rx bytes, tx frames, tx bytes, not collecting, Slow Protocols. */
    private long[][] traffic() {
        long[][] t = new long[sockets.length][6];
        for (LagPort p : ports) {
            for (int m = 0; m < sockets.length; m++) {
                long[] c = p.memberTraffic(m);
                for (int k = 0; k < c.length; k++) {
                    t[m][k] += c[k];
                }
            }
        }
        return t;
    }

    /** Frames dropped because member {@code m} was not collecting, every loop's port added up. */
    long rxNotCollecting(int m) {
        long n = 0;
        for (LagPort p : ports) {
            n += p.memberTraffic(m)[4];
        }
        return n;
    }

    private String member(int m) {
        return aggregator.options().members().get(m);
    }

    /**
     * Runs the LAG with {@code next} (the same members, resolved): the aggregator's members keep their state and say
     * what changed in their next LACPDU, sent now; a new hash reaches the data path between two turns of its loops.
     */
    void reconfigure(LagOptions next, long now) {
        LagOptions before = aggregator.options();
        aggregator.reconfigure(next, now);
        if (next.hash() != before.hash()) {
            LagPort first = ports.getFirst();
            first.submit(() -> first.distribution().policy(next.hash()));
        }
        log.accept("lag " + name() + ": " + next.brief() + ", " + next.actor() + " (was " + before.brief() + ", "
            + before.actor() + ")");
        tick(now);
    }

    /**
     * Tells the partner this end is leaving (every member out of sync, not collecting or distributing) so it moves
     * its traffic at once rather than after a timeout; on the agent's thread, as it stops.
     */
    void leave(long now) {
        aggregator.leave(now);
        for (int m = 0; m < sockets.length; m++) {
            if (aggregator.transmitDue(m, now)) {
                sockets[m].write(tx, 0, aggregator.writeLacpdu(m, tx, 0, memberMacs[m], now));
            }
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < sockets.length; i++) {
            sockets[i].close();
            batches[i].close();
        }
        arena.close();
    }
}
