package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.Switch;

import org.agrona.concurrent.Agent;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The agents of one host switch and where they run. A frame's way: a {@link ForwardingAgent} reads it from a port
 * device, the switch decides, the agent queues a copy on each egress device and publishes them at the end of its
 * turn, and a {@link SenderAgent} makes the transmit syscalls. The {@link Conductor} alone changes the switch and the
 * devices: other threads hand it commands ({@link #submit}).
 *
 * <p>The threading modes are placements of the same agents ({@link AgentThreads}):
 * <ul>
 * <li>{@link Threads#TWO} (the default on two or more cores): conductor + forwarding agent on one thread, the sender
 *     on a second, so the transmit syscalls and the kernel work behind them run on the other core;</li>
 * <li>{@link Threads#ONE}: conductor, forwarding agent and sender on one thread;</li>
 * <li>{@code loops} &gt; 1: forwarding agent + sender per thread, each with a device of its own for every port (a
 *     queue of a multi-queue tap, a tunnel socket sharing the VXLAN port); the conductor on the first. The kernel
 *     keeps a flow on one queue, so no flow is reordered.</li>
 * </ul>
 */
public final class Dataplane implements AutoCloseable {
    /** How many threads drive the ports. */
    public enum Threads {
        /** One thread reads, decides and transmits. */
        ONE,
        /** One thread reads and decides, a second transmits. */
        TWO;

        /** TWO where the JVM sees two or more processors. */
        public static Threads forThisMachine() {
            return Runtime.getRuntime().availableProcessors() >= 2 ? TWO : ONE;
        }
    }

    /** {@code switchCpu} for a loop the kernel places. */
    public static final int NO_CPU = -1;

    private final Threads threads;
    private final ForwardingAgent[] agents;
    private final Captures captures;
    private final DeviceRegistry registry;
    /** The devices' counts in the switch's counter registry. */
    private final DeviceCounters counters;
    private final Conductor conductor;
    private final AgentThreads placement;

    /**
     * @param log receives the lines an operator should see (a port's link going down or away); called on the
     *            conductor's thread, rarely
     */
    public Dataplane(Switch sw, Threads threads, Consumer<String> log) {
        this(sw, threads, false, NO_CPU, log);
    }

    /**
     * @param busyPoll  the switch loop never sleeps in {@code epoll_wait}: a frame is picked up without waking a thread
     *                  (tens of microseconds less per hop), at the cost of the whole core
     * @param switchCpu the CPU the switch loop keeps to, alone: the process's other threads are moved off it when the
     *                  loop starts; {@link #NO_CPU} to leave placement to the kernel
     */
    public Dataplane(Switch sw, Threads threads, boolean busyPoll, int switchCpu, Consumer<String> log) {
        this(sw, 1, threads, busyPoll, switchCpu, log);
    }

    /**
     * @param loops forwarding loops, each with its own devices ({@link #add(PortDevice, int)}); at most the switch's
     *              lanes. More than one transmit themselves, so {@code threads} must be {@link Threads#ONE}, and
     *              {@code switchCpu} {@link #NO_CPU}
     */
    public Dataplane(Switch sw, int loops, Threads threads, boolean busyPoll, int switchCpu, Consumer<String> log) {
        if (loops < 1 || loops > sw.options().lanes()) {
            throw new IllegalArgumentException("loops must be 1-" + sw.options().lanes() + " (the switch's lanes), got "
                + loops);
        }
        if (loops > 1 && (threads != Threads.ONE || switchCpu != NO_CPU)) {
            throw new IllegalArgumentException("with " + loops + " loops each transmits itself on a CPU the kernel"
                + " picks: no sender thread (threads 1), no switch CPU");
        }
        this.threads = threads;
        int maxPorts = sw.options().maxPorts();
        this.captures = new Captures(maxPorts);
        this.agents = new ForwardingAgent[loops];
        SenderAgent[] senders = new SenderAgent[loops];
        Backpressure[] backpressure = new Backpressure[loops];
        boolean[] senderOnAgentThread = new boolean[loops];
        SenderIdle senderIdle = null;
        for (int i = 0; i < loops; i++) {
            boolean ownThread = i == 0 && threads == Threads.TWO;
            senders[i] = new SenderAgent(ownThread ? "vxswitch-sender" : "sender-" + i);
            if (ownThread) {
                senderIdle = new SenderIdle(senders[i]);
            }
            senderOnAgentThread[i] = !ownThread;
            backpressure[i] = new Backpressure(ownThread ? senderIdle : null);
            agents[i] = new ForwardingAgent(i == 0 ? "vxswitch-switch" : "vxswitch-loop-" + i, sw.lane(i),
                sw.newDecision(), new DescriptorWait(busyPoll), captures, ownThread ? senderIdle : null,
                maxPorts);
        }
        OtherAgents others = new OtherAgents(Arrays.copyOfRange(agents, 1, loops));
        LinkWatch links = new LinkWatch(sw, others, agents[0], log);
        this.registry = new DeviceRegistry(agents, senders, backpressure, senderOnAgentThread, links, captures);
        this.counters = new DeviceCounters(sw);
        this.conductor = new Conductor(sw, agents, others, registry, links, captures, log);
        this.placement = new AgentThreads(log);
        for (int i = 1; i < loops; i++) {
            DescriptorWait wait = agents[i].descriptors();
            placement.place(agents[i].roleName(), wait, wait::wake, agents[i], senders[i]);
        }
        List<Agent> first = new ArrayList<>();
        if (switchCpu != NO_CPU) {
            first.add(new CpuPlacement(switchCpu, busyPoll, log));
        }
        first.add(conductor);
        first.add(agents[0]);
        if (senderOnAgentThread[0]) {
            first.add(senders[0]);
        }
        DescriptorWait wait = agents[0].descriptors();
        placement.place(agents[0].roleName(), wait, wait::wake, first.toArray(Agent[]::new));
        if (senderIdle != null) {
            placement.place(senders[0].roleName(), senderIdle, senderIdle::wakeIfParked, senders[0]);
        }
    }

    public Threads threads() {
        return threads;
    }

    /** How many forwarding loops drive the ports. */
    public int loops() {
        return agents.length;
    }

    /** Adds a port device to loop 0; call before {@link #start}, or through {@link #submit} once it runs. */
    public void add(PortDevice device) {
        add(device, 0);
    }

    /**
     * Adds a port device to loop {@code loop}: each loop needs a device of its own for every port. Before
     * {@link #start}, or through {@link #submit} (which holds the other loops) once it runs.
     */
    public void add(PortDevice device, int loop) {
        registry.add(device, loop);
        counters.register(device);
        device.attachCommands(command -> conductor.submitForDevice(device, command));
    }

    /**
     * Removes a device: no more reads, no more copies queued to it, its captures end. Its descriptor and buffers are
     * freed once the sender can no longer be inside it. Through {@link #submit}; the switch port itself is the
     * caller's to remove.
     */
    public void remove(PortDevice device) {
        counters.unregister(device);
        registry.remove(device);
    }

    /**
     * Makes ERSPAN session {@code mirror} send through {@code perLoop} (a sender per loop, from
     * {@link ErspanSender#open}): its copies from now on go to its collector, and its senders' counts join the
     * session's in the switch's counter registry. Call right after adding the session to the switch, in the same
     * command ({@link #submit}) or before {@link #start}, so that no copy of it finds no sender.
     */
    public void attachErspan(io.vxswitch.forwarding.Mirror mirror, List<ErspanSender> perLoop) {
        if (!mirror.remote()) {
            throw new IllegalArgumentException("mirror session '" + mirror.name() + "' sends to a port, not over ERSPAN");
        }
        registry.addErspan(mirror.remoteSlot(), perLoop);
        counters.registerErspan(mirror, perLoop);
    }

    /**
     * Stops sending ERSPAN session {@code mirror}'s copies and frees its senders once no thread is inside them. Call
     * in the command ({@link #submit}) that removes the session from the switch.
     */
    public void detachErspan(io.vxswitch.forwarding.Mirror mirror) {
        counters.unregisterErspan(mirror.name());
        registry.removeErspan(mirror.remoteSlot());
    }

    /** The senders of ERSPAN session {@code mirror}, loop by loop; empty if it has none here. */
    public List<ErspanSender> erspanSenders(io.vxswitch.forwarding.Mirror mirror) {
        return mirror.remote() ? registry.erspan(mirror.remoteSlot()) : List.of();
    }

    /**
     * The devices, loop by loop, each loop's in the order added. Their counters are in the switch's counter registry
     * (under their ports' names) while they are here.
     */
    public List<PortDevice> devices() {
        return registry.devices();
    }

    public void start() {
        placement.start();
    }

    /** Runs {@code command} between two turns, while no other loop forwards; the way other threads change the switch. */
    public void submit(Consumer<Switch> command) {
        conductor.submit(command);
    }

    /** Stops the loops after their current turn, then the sender once it has sent what was published. */
    public void stop() {
        placement.stop();
    }

    /** Waits until every thread has ended (after {@link #stop} from another thread). */
    public void awaitStop() throws InterruptedException {
        placement.awaitStop();
    }

    /**
     * Starts copying port {@code port}'s frames into {@code capture}; through {@link #submit}.
     *
     * @throws IllegalStateException if the port is already being captured
     * @throws IllegalArgumentException if the capture has fewer rings than the dataplane has loops
     */
    public void attachCapture(PortCapture capture) {
        if (capture.loops() < agents.length) {
            throw new IllegalArgumentException("a capture for " + capture.loops() + " loop(s) cannot take the frames of "
                + agents.length + " loops");
        }
        captures.attach(capture);
    }

    /** Stops copying into {@code capture}; through {@link #submit}. Afterwards the reader may close it. */
    public void detachCapture(PortCapture capture) {
        captures.detach(capture);
    }

    /** Frees every device; after {@link #stop}. */
    @Override
    public void close() {
        registry.closeAll();
        for (ForwardingAgent a : agents) {
            a.descriptors().close();
        }
    }
}
