package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.lacp.LagDistribution;
import io.vxswitch.forwarding.lacp.LagHash;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.packet.Lacpdu;
import io.vxswitch.packet.offload.Offload;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A link aggregation group as one switch port: the switch sees one uplink, so a MAC is learned on the LAG whichever
 * member its frames came in on (a partner that hashes one MAC's flows over several members moves nothing), a flood
 * leaves by one member, and a frame from any member never goes back into the LAG. Under it, an {@link InterfacePort}
 * per member interface.
 *
 * <p>Receiving: each ready member's batch in turn, behind one descriptor (an epoll of the members' sockets, which the
 * agent's own epoll watches); a frame from a member that is not collecting is dropped, and so is a Slow Protocols
 * frame (the LACP agent reads those on a socket of its own, and a bridge never forwards them: 802.3 Annex 57A).
 * Sending: a copy leaves by the member its flow hash picks among the distributing ones ({@link LagDistribution}).
 * Which members those are is decided by the LACP agent and set between two turns by the conductor
 * ({@link #submit}); with none, the port is down (its {@link #linkState}), as it starts.
 *
 * <p>Per member it counts frames and bytes both ways and the frames dropped for not collecting; forwarding agent
 * only, read by any thread (a moment-old count).
 */
public final class LagPort implements PortDevice {
    private final String name;
    private final int switchPort;
    private final InterfacePort[] members;
    private final String[] memberNames;
    private final LagDistribution distribution;
    private final Epoll epoll;
    private Consumer<Runnable> commands;
    /** The member whose batch {@link #receive} takes next in this turn. */
    private int next;
    private final long[] rxFrames;
    private final long[] rxBytes;
    private final long[] txFrames;
    private final long[] txBytes;
    private final long[] rxNotCollecting;
    private final long[] rxSlowProtocols;
    private long txNoMember;

    /**
     * @param members      the members' interface ports, in the LAG's member order, serving {@code switchPort}
     * @param distribution shared by the LAG's ports of every loop
     */
    public LagPort(String name, List<InterfacePort> members, LagDistribution distribution, int switchPort) {
        if (members.size() != distribution.members()) {
            throw new IllegalArgumentException("LAG '" + name + "': " + members.size() + " members, distribution of "
                + distribution.members());
        }
        this.name = name;
        this.switchPort = switchPort;
        this.members = members.toArray(InterfacePort[]::new);
        this.memberNames = new String[this.members.length];
        this.distribution = distribution;
        int n = this.members.length;
        rxFrames = new long[n];
        rxBytes = new long[n];
        txFrames = new long[n];
        txBytes = new long[n];
        rxNotCollecting = new long[n];
        rxSlowProtocols = new long[n];
        this.epoll = new Epoll(n);
        try {
            for (int i = 0; i < n; i++) {
                InterfacePort m = this.members[i];
                if (m.switchPort() != switchPort) {
                    throw new IllegalArgumentException("LAG '" + name + "': member " + i + " serves port "
                        + m.switchPort() + ", not " + switchPort);
                }
                memberNames[i] = m.socket().interfaceName();
                epoll.add(m.fd(), Epoll.IN);
            }
        } catch (RuntimeException e) {
            epoll.close();
            throw e;
        }
    }

    public String name() {
        return name;
    }

    public LagDistribution distribution() {
        return distribution;
    }

    /** The member interfaces' names, in member order. */
    public List<String> memberNames() {
        return List.of(memberNames);
    }

    /**
     * Runs {@code command} between two turns of the loops (the conductor's), then looks at this port's link: how the
     * LACP agent changes {@link #distribution}, so the switch port goes up or down with it at once.
     */
    public void submit(Runnable command) {
        Consumer<Runnable> c = commands;
        if (c == null) {
            throw new IllegalStateException("LAG '" + name + "' is not in a dataplane yet");
        }
        c.accept(command);
    }

    @Override
    public void attachCommands(Consumer<Runnable> commands) {
        this.commands = commands;
    }

    @Override
    public int fd() {
        return epoll.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    @Override
    public int receive(RxFrame frame, long now) {
        while (next < members.length) {
            int m = next;
            if (members[m].receive(frame, now) != FRAME) {
                next++;
                continue;
            }
            if (Lacpdu.toSlowProtocols(frame.segment, frame.offset)) {
                rxSlowProtocols[m]++;
                continue;
            }
            if (!distribution.collecting(m)) {
                rxNotCollecting[m]++; // 802.1AX §6.2.3: a port that is not collecting passes nothing up
                continue;
            }
            rxFrames[m]++;
            rxBytes[m] += frame.length;
            return FRAME;
        }
        next = 0;
        return NONE;
    }

    @Override
    public void attach(Backpressure backpressure) {
        for (InterfacePort m : members) {
            m.attach(backpressure);
        }
    }

    /** The copy leaves by the member its flow picks; one member distributing needs no hash. */
    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        LagDistribution dist = distribution;
        int n = dist.count();
        if (n == 0) {
            txNoMember++;
            return;
        }
        int m = dist.pick(n == 1 ? 0 : LagHash.hash(dist.policy(), d.frame()));
        members[m].send(d, i, offload, now);
        txFrames[m]++;
        txBytes[m] += d.egressLength(i);
    }

    @Override
    public boolean flush() {
        boolean any = false;
        for (InterfacePort m : members) {
            any |= m.flush();
        }
        return any;
    }

    @Override
    public int transmit() {
        int sent = 0;
        for (InterfacePort m : members) {
            sent += m.transmit();
        }
        return sent;
    }

    @Override
    public boolean hasPending() {
        for (InterfacePort m : members) {
            if (m.hasPending()) {
                return true;
            }
        }
        return false;
    }

    /** Up while a member distributes: the members' own links are the LACP agent's to follow. */
    @Override
    public LinkState linkState() {
        return distribution.count() > 0 ? LinkState.UP : LinkState.DOWN;
    }

    @Override
    public boolean linkStartsDown() {
        return true;
    }

    @Override
    public String goneReason() {
        return "every member gone";
    }

    /**
     * Member {@code m}'s counts as this loop's device saw them: rx frames, rx bytes, tx frames, tx bytes, frames
     * dropped for not collecting, Slow Protocols frames dropped (the LACP agent reads its own copy).
     */
    public long[] memberTraffic(int m) {
        return new long[] {rxFrames[m], rxBytes[m], txFrames[m], txBytes[m], rxNotCollecting[m], rxSlowProtocols[m]};
    }

    @Override
    public long txQueueFull() {
        long n = 0;
        for (InterfacePort m : members) {
            n += m.txQueueFull();
        }
        return n;
    }

    @Override
    public long txRefused() {
        long n = txNoMember;
        for (InterfacePort m : members) {
            n += m.txRefused();
        }
        return n;
    }

    @Override
    public long rxRefused() {
        long n = 0;
        for (InterfacePort m : members) {
            n += m.rxRefused();
        }
        return n;
    }

    @Override
    public long superFramesCut() {
        long n = 0;
        for (InterfacePort m : members) {
            n += m.superFramesCut();
        }
        return n;
    }

    @Override
    public long segmentsFromCuts() {
        long n = 0;
        for (InterfacePort m : members) {
            n += m.segmentsFromCuts();
        }
        return n;
    }

    @Override
    public String takeNotice() {
        for (InterfacePort m : members) {
            String notice = m.takeNotice();
            if (notice != null) {
                return notice;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        List<String> parts = new ArrayList<>();
        for (InterfacePort m : members) {
            parts.add(m.describe().replaceFirst("^interface ", ""));
        }
        return "LAG of " + String.join(", ", parts);
    }

    @Override
    public void close() {
        for (InterfacePort m : members) {
            m.close();
        }
        epoll.close();
    }
}
