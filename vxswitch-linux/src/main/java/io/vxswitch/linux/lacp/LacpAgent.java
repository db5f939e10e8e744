package io.vxswitch.linux.lacp;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.forwarding.lacp.LagMemberCounter;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.linux.dataplane.LagPort;
import io.vxswitch.linux.poll.Epoll;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The LACP control agent of a host switch: every LAG's {@link LagControl}, on a thread of its own, off the forwarding
 * loops (which never see a LACPDU: their LAG port drops Slow Protocols frames). Each turn it reads the LACPDUs that
 * arrived, and every {@link #TICK_NANOS} (or sooner, at a machine's deadline) it follows the members' links, runs the
 * state machines and sends what is due. Its idle sleeps in {@code epoll_wait} on the members' Slow Protocols sockets,
 * so a LACPDU is acted on as it arrives. Time comes from the clock it is given.
 *
 * <p>Its own sockets, rather than LACPDUs handed over by the forwarding loops, so that LACP keeps its one-second
 * pace when the loops are saturated: a partner that times out a member because the data path was busy would turn
 * overload into link flaps.
 */
public final class LacpAgent implements Agent, AutoCloseable {
    /** How often the machines run and the members' links are looked at, at the most. */
    public static final long TICK_NANOS = 100_000_000L;

    private final List<LagControl> lags;
    private final LongSupplier clock;
    private final Epoll epoll;
    /** Per ready fd, which LAG and member: fd -> lag * 64 + member. */
    private final int[] byFd = new int[4096];
    private final int[] ready;
    private final List<CounterRegistry.Registration> registrations = new ArrayList<>();
    private AgentRunner runner;
    private long nextTick;

    private LacpAgent(List<LagControl> lags, LongSupplier clock) {
        this.lags = lags;
        this.clock = clock;
        int members = lags.stream().mapToInt(LagControl::members).sum();
        this.epoll = new Epoll(Math.max(1, members));
        this.ready = new int[Math.max(1, members)];
        java.util.Arrays.fill(byFd, -1);
        for (int l = 0; l < lags.size(); l++) {
            LagControl lag = lags.get(l);
            for (int m = 0; m < lag.members(); m++) {
                int fd = lag.fd(m);
                if (fd >= byFd.length) {
                    throw new IllegalStateException("descriptor " + fd + " is beyond the LACP agent's table");
                }
                byFd[fd] = l * LagOptions.MAX_MEMBERS + m;
                epoll.add(fd, Epoll.IN);
            }
        }
    }

    /** One LAG to run: its options, resolved, and its port of each forwarding loop (in the dataplane already). */
    public record Lag(LagOptions options, List<LagPort> ports) {
        public Lag {
            ports = List.copyOf(ports);
        }
    }

    /**
     * Opens the members' Slow Protocols sockets, registers each member's counters in {@code sw}'s registry and starts
     * the agent's thread.
     *
     * @throws io.vxswitch.linux.LinuxException a member interface the host cannot open
     */
    public static LacpAgent start(Switch sw, List<Lag> lags, LongSupplier clock, Consumer<String> log) {
        List<LagControl> controls = new ArrayList<>();
        try {
            for (Lag l : lags) {
                controls.add(LagControl.open(l.options(), l.ports(), log));
            }
        } catch (RuntimeException e) {
            controls.forEach(LagControl::close);
            throw e;
        }
        LacpAgent agent = new LacpAgent(controls, clock);
        for (LagControl c : controls) {
            for (int m = 0; m < c.members(); m++) {
                int member = m;
                String name = c.status().members().get(m).name();
                agent.registrations.add(sw.counters().poll(List.of(LagMemberCounter.values()),
                    CounterInstance.lagMember(c.name(), name), () -> counters(c, member)));
            }
        }
        agent.runner = new AgentRunner(agent.idle(), e -> log.accept("lacp: " + e), null, agent);
        AgentRunner.startOnThread(agent.runner, task -> Thread.ofPlatform().daemon(true).unstarted(task));
        return agent;
    }

    /** Member {@code m}'s counters from the last snapshot (at most a tick old), in {@link LagMemberCounter} order. */
    private static long[] counters(LagControl c, int m) {
        LagStatus.Member s = c.status().members().get(m);
        long[] out = new long[LagMemberCounter.values().length];
        out[LagMemberCounter.LACPDUS_RX.ordinal()] = s.lacpdusRx();
        out[LagMemberCounter.LACPDUS_TX.ordinal()] = s.lacpdusTx();
        out[LagMemberCounter.LACPDUS_MALFORMED.ordinal()] = s.malformed();
        out[LagMemberCounter.OTHER_SLOW_PROTOCOLS.ordinal()] = s.otherSlowProtocols();
        out[LagMemberCounter.LACPDUS_LOOPED.ordinal()] = s.looped();
        out[LagMemberCounter.PARTNER_EXPIRED.ordinal()] = s.partnerExpired();
        out[LagMemberCounter.LINK_DOWNS.ordinal()] = s.linkDowns();
        out[LagMemberCounter.MARKERS_ANSWERED.ordinal()] = s.markersAnswered();
        out[LagMemberCounter.MARKERS_MALFORMED.ordinal()] = s.markersMalformed();
        out[LagMemberCounter.MARKERS_RATE_LIMITED.ordinal()] = s.markersRateLimited();
        out[LagMemberCounter.RX_FRAMES.ordinal()] = s.rxFrames();
        out[LagMemberCounter.RX_BYTES.ordinal()] = s.rxBytes();
        out[LagMemberCounter.TX_FRAMES.ordinal()] = s.txFrames();
        out[LagMemberCounter.TX_BYTES.ordinal()] = s.txBytes();
        out[LagMemberCounter.RX_NOT_COLLECTING.ordinal()] = c.rxNotCollecting(m);
        return out;
    }

    /** Every LAG as it was at the last tick; any thread. */
    public List<LagStatus> status() {
        return lags.stream().map(LagControl::status).toList();
    }

    @Override
    public String roleName() {
        return "vxswitch-lacp";
    }

    @Override
    public void onStart() {
        nextTick = clock.getAsLong();
    }

    @Override
    public int doWork() {
        int n = epoll.wait(ready, 0);
        long now = clock.getAsLong();
        for (int i = 0; i < n; i++) {
            int at = byFd[ready[i]];
            if (at >= 0) {
                lags.get(at / LagOptions.MAX_MEMBERS).receive(at % LagOptions.MAX_MEMBERS, now);
            }
        }
        if (now - nextTick >= 0 || deadlinePassed(now)) {
            for (LagControl lag : lags) {
                lag.tick(now);
            }
            nextTick = now + TICK_NANOS;
        }
        return n;
    }

    private boolean deadlinePassed(long now) {
        for (LagControl lag : lags) {
            if (now - lag.nextDeadline() >= 0) {
                return true;
            }
        }
        return false;
    }

    /** Sleeps in epoll until a LACPDU arrives or the next tick is due. */
    private IdleStrategy idle() {
        return new IdleStrategy() {
            @Override
            public void idle(int workCount) {
                if (workCount == 0) {
                    idle();
                }
            }

            @Override
            public void idle() {
                long wait = Math.min(TICK_NANOS, Math.max(0, nextTick - clock.getAsLong()));
                epoll.awaitNanos(wait);
            }

            @Override
            public void reset() {
            }
        };
    }

    /** Each member says it is leaving, then the sockets close. */
    @Override
    public void onClose() {
        long now = clock.getAsLong();
        for (LagControl lag : lags) {
            lag.leave(now);
        }
    }

    /** Stops the thread (after its partners were told), unregisters the counters and closes the sockets. */
    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
        registrations.forEach(CounterRegistry.Registration::close);
        lags.forEach(LagControl::close);
        epoll.close();
    }
}
