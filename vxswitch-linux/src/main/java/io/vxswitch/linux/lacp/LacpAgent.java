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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

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
 *
 * <p>LAGs come and go while it runs ({@link #add}, {@link #remove}, {@link #reconfigure}: a {@code ports add}, a
 * {@code ports del} or a reload): each change is a command the agent's thread runs between two turns (within a tick),
 * while the caller waits; the sockets of a LAG added are opened, and those of a LAG removed closed, on the caller's
 * thread, so the agent's turns never wait for the kernel.
 */
public final class LacpAgent implements Agent, AutoCloseable {
    /** How often the machines run and the members' links are looked at, at the most. */
    public static final long TICK_NANOS = 100_000_000L;
    /** The most descriptors a turn takes from epoll; more wait for the next turn. */
    private static final int READY = 64;
    /** How long a caller waits for the agent's thread to run its command. */
    private static final long COMMAND_TIMEOUT_SECONDS = 10;

    /** The LAGs, in the order they were added; replaced (never changed) by the agent's thread, read by any. */
    private volatile List<LagControl> lags = List.of();
    private final Switch sw;
    private final LongSupplier clock;
    private final Consumer<String> log;
    private final Epoll epoll = new Epoll(READY);
    /** Per ready fd, which LAG and member; the agent's thread only (or before it starts). */
    private final LagControl[] lagByFd = new LagControl[4096];
    private final int[] memberByFd = new int[4096];
    private final int[] ready = new int[READY];
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    /** Each LAG's counter registrations, by name. */
    private final Map<String, List<CounterRegistry.Registration>> registrations = new ConcurrentHashMap<>();
    private AgentRunner runner;
    private volatile Thread thread;
    private long nextTick;

    private LacpAgent(Switch sw, LongSupplier clock, Consumer<String> log) {
        this.sw = sw;
        this.clock = clock;
        this.log = log;
    }

    /** One LAG to run: its options, resolved, and its port of each forwarding loop (in the dataplane already). */
    public record Lag(LagOptions options, List<LagPort> ports) {
        public Lag {
            ports = List.copyOf(ports);
        }
    }

    /**
     * Opens the members' Slow Protocols sockets, registers each member's counters in {@code sw}'s registry and starts
     * the agent's thread; {@code lags} may be empty (LAGs added later).
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
        LacpAgent agent = new LacpAgent(sw, clock, log);
        try {
            for (LagControl c : controls) {
                agent.install(c);
                agent.register(c);
            }
        } catch (RuntimeException e) {
            agent.registrations.values().forEach(r -> r.forEach(CounterRegistry.Registration::close));
            controls.forEach(LagControl::close);
            agent.epoll.close();
            throw e;
        }
        agent.runner = new AgentRunner(agent.idle(), e -> log.accept("lacp: " + e), null, agent);
        AgentRunner.startOnThread(agent.runner, task -> Thread.ofPlatform().daemon(true).unstarted(task));
        return agent;
    }

    /**
     * Starts LACP on a LAG whose ports are in the dataplane already: its members' sockets opened here, then the
     * agent's thread takes it at its next turn (this waits for that).
     *
     * @throws io.vxswitch.linux.LinuxException a member interface the host cannot open (nothing is left open)
     * @throws IllegalArgumentException a LAG of that name runs already
     */
    public void add(Lag lag) {
        String name = lag.options().name();
        if (registrations.containsKey(name) || find(name) != null) {
            throw new IllegalArgumentException("LAG '" + name + "' runs LACP already");
        }
        LagControl c = LagControl.open(lag.options(), lag.ports(), log);
        try {
            call(() -> {
                install(c);
                return null;
            });
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
        register(c);
    }

    /**
     * Stops LACP on LAG {@code name}: each member tells its partner it leaves (a last LACPDU out of sync, so the
     * partner moves its traffic now rather than after a timeout), the agent lets go of it at its next turn, and its
     * counters and sockets are closed here. Returns false if no LAG of that name runs.
     */
    public boolean remove(String name) {
        LagControl c = call(() -> {
            LagControl found = find(name);
            if (found == null) {
                return null;
            }
            found.leave(clock.getAsLong());
            uninstall(found);
            return found;
        });
        if (c == null) {
            return false;
        }
        List<CounterRegistry.Registration> r = registrations.remove(name);
        if (r != null) {
            r.forEach(CounterRegistry.Registration::close);
        }
        c.close();
        return true;
    }

    /**
     * Changes how LAG {@code options.name()} runs LACP (mode, rate, hash, priorities, system id, key), its members
     * the same: the members keep their state, and tell the partner what changed at once.
     *
     * @throws IllegalArgumentException no such LAG, or other members
     */
    public void reconfigure(LagOptions options) {
        call(() -> {
            LagControl found = find(options.name());
            if (found == null) {
                throw new IllegalArgumentException("no LAG '" + options.name() + "'");
            }
            found.reconfigure(options, clock.getAsLong());
            return null;
        });
    }

    /** The names of the LAGs it runs. */
    public List<String> names() {
        return lags.stream().map(LagControl::name).toList();
    }

    /** Runs {@code command} on the agent's thread between two turns and waits for it (at once before it starts). */
    private <T> T call(Supplier<T> command) {
        Thread t = thread;
        if (runner == null || t == Thread.currentThread()) {
            return command.get();
        }
        if (runner.isClosed()) {
            throw new IllegalStateException("the LACP agent has stopped");
        }
        CompletableFuture<T> done = new CompletableFuture<>();
        commands.add(() -> {
            try {
                done.complete(command.get());
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the LACP agent did not answer within " + COMMAND_TIMEOUT_SECONDS + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the LACP agent", e);
        }
    }

    private LagControl find(String name) {
        for (LagControl c : lags) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The LAG's member sockets into the epoll and the fd table, the LAG into the list; the agent's thread. */
    private void install(LagControl c) {
        for (int m = 0; m < c.members(); m++) {
            int fd = c.fd(m);
            if (fd >= lagByFd.length) {
                for (int k = 0; k < m; k++) {
                    epoll.remove(c.fd(k));
                    lagByFd[c.fd(k)] = null;
                }
                throw new IllegalStateException("descriptor " + fd + " is beyond the LACP agent's table");
            }
            lagByFd[fd] = c;
            memberByFd[fd] = m;
            epoll.add(fd, Epoll.IN);
        }
        List<LagControl> next = new ArrayList<>(lags);
        next.add(c);
        lags = List.copyOf(next);
    }

    /** The reverse of {@link #install}; the agent's thread. */
    private void uninstall(LagControl c) {
        for (int m = 0; m < c.members(); m++) {
            int fd = c.fd(m);
            epoll.remove(fd);
            lagByFd[fd] = null;
        }
        List<LagControl> next = new ArrayList<>(lags);
        next.remove(c);
        lags = List.copyOf(next);
    }

    /** Each member's counters into the switch's registry. */
    private void register(LagControl c) {
        List<CounterRegistry.Registration> r = new ArrayList<>();
        for (int m = 0; m < c.members(); m++) {
            int member = m;
            String name = c.status().members().get(m).name();
            r.add(sw.counters().poll(List.of(LagMemberCounter.values()), CounterInstance.lagMember(c.name(), name),
                () -> counters(c, member)));
        }
        registrations.put(c.name(), r);
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
        thread = Thread.currentThread();
        nextTick = clock.getAsLong();
    }

    @Override
    public int doWork() {
        int work = 0;
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run();
            work++;
        }
        int n = epoll.wait(ready, 0);
        long now = clock.getAsLong();
        for (int i = 0; i < n; i++) {
            int fd = ready[i];
            LagControl lag = lagByFd[fd];
            if (lag != null) {
                lag.receive(memberByFd[fd], now);
            }
        }
        List<LagControl> lags = this.lags;
        if (now - nextTick >= 0 || deadlinePassed(lags, now)) {
            for (LagControl lag : lags) {
                lag.tick(now);
            }
            nextTick = now + TICK_NANOS;
        }
        return n + work;
    }

    private static boolean deadlinePassed(List<LagControl> lags, long now) {
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

    /** Each member says it is leaving, then the sockets close; commands still queued fail. */
    @Override
    public void onClose() {
        long now = clock.getAsLong();
        for (LagControl lag : lags) {
            lag.leave(now);
        }
        Runnable command;
        while ((command = commands.poll()) != null) {
            command.run(); // a caller that raced the close gets its answer rather than a timeout
        }
    }

    /** Stops the thread (after its partners were told), unregisters the counters and closes the sockets. */
    @Override
    public void close() {
        if (runner != null) {
            runner.close();
        }
        registrations.values().forEach(r -> r.forEach(CounterRegistry.Registration::close));
        registrations.clear();
        lags.forEach(LagControl::close);
        lags = List.of();
        epoll.close();
    }
}
