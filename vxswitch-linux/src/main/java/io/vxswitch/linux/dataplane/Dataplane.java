package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.CpuAffinity;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The threads of one host switch and the devices they drive.
 *
 * <p><b>The switch loop</b> ({@link SwitchLoop} 0) waits on its ports' descriptors, drains the ready ones into the
 * switch, queues each decision's copies on their ports, flushes the queues at the end of the turn, and between turns
 * runs control commands and housekeeping (FDB aging, link checks) once a second: Aeron's duty cycle. Other threads
 * change the switch only through {@link #submit}, so the data path takes no lock.
 *
 * <p><b>The sender loop</b> (with {@link Threads#TWO}, the default for two or more cores) makes the transmit
 * syscalls for the flushed batches, and with them the kernel work each send sets off, on the other core. The
 * hand-off is a ring of batch slots per port ({@link SlotRing}): one volatile write per batch each way. With
 * {@link Threads#ONE} the switch loop transmits after each flush itself.
 *
 * <p><b>Several forwarding loops</b> ({@code loops} &gt; 1, one per core): each loop has a device of its own for
 * every port (a queue of a multi-queue tap, a tunnel socket sharing the VXLAN port) and forwards through a
 * {@link io.vxswitch.forwarding.ForwardingLane} of its own, and transmits itself. The kernel keeps each flow on one
 * queue, so no flow is reordered. Loop 0 still runs commands and housekeeping; before a command, or a link change,
 * changes the switch, it holds the other loops at the top of their turn until it is done.
 */
public final class Dataplane implements AutoCloseable {
    /** How many threads drive the ports. */
    public enum Threads {
        /** One loop reads, decides and transmits. */
        ONE,
        /** A switch loop that reads and decides, and a sender loop that transmits. */
        TWO;

        /** TWO where the JVM sees two or more processors. */
        public static Threads forThisMachine() {
            return Runtime.getRuntime().availableProcessors() >= 2 ? TWO : ONE;
        }
    }

    private static final long HOUSEKEEPING_PERIOD_NANOS = 1_000_000_000L;
    private static final int WAIT_MILLIS = 100;
    private static final long STOP_TIMEOUT_MILLIS = 5_000;
    /** How long removing a device waits for the sender to let go of it before closing it at a later tick. */
    private static final long RETIRE_WAIT_NANOS = 50_000_000L;

    /** {@code switchCpu} for a loop the kernel places. */
    public static final int NO_CPU = -1;

    private final boolean busyPoll;
    private final int switchCpu;
    private final Switch sw;
    private final Consumer<String> log;
    private final SwitchLoop[] loops;
    private final Thread[] loopThreads;
    /** Link state per switch port, as loop 0's device of the port shows it; loop 0 only. */
    private final LinkState[] linkStates;
    /** Active captures by switch port; written on the switch loop only (one loop: captures need that). */
    private final PortCapture[] captures;
    /** Removed devices waiting until the sender can no longer be inside them, with the sender's turn at removal. */
    private final List<PortDevice> retired = new ArrayList<>();
    private final List<Long> retiredAt = new ArrayList<>();
    private final ConcurrentLinkedQueue<Consumer<Switch>> commands = new ConcurrentLinkedQueue<>();
    private final SenderLoop sender;
    private final Backpressure backpressure;
    private volatile boolean running = true;
    private long nextHousekeeping;

    /**
     * @param log receives the lines an operator should see (a port's link going down or away); called on the
     *            switch loop, rarely
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
        this.busyPoll = busyPoll;
        this.switchCpu = switchCpu;
        this.sw = sw;
        this.log = log;
        int maxPorts = sw.options().maxPorts();
        this.linkStates = new LinkState[maxPorts];
        this.captures = new PortCapture[maxPorts];
        this.sender = threads == Threads.TWO ? new SenderLoop("vxswitch-sender") : null;
        this.backpressure = new Backpressure(sender);
        this.loops = new SwitchLoop[loops];
        this.loopThreads = new Thread[loops];
        for (int i = 0; i < loops; i++) {
            this.loops[i] = new SwitchLoop(this, i, sw.lane(i), sw.newDecision(), maxPorts);
            int index = i;
            loopThreads[i] = Thread.ofPlatform().name(i == 0 ? "vxswitch-switch" : "vxswitch-loop-" + i)
                .unstarted(() -> run(index));
        }
    }

    public Threads threads() {
        return sender == null ? Threads.ONE : Threads.TWO;
    }

    /** How many forwarding loops drive the ports. */
    public int loops() {
        return loops.length;
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
        loops[loop].add(device);
        if (loop == 0) {
            linkStates[device.switchPort()] = LinkState.UP;
        }
        device.attach(backpressure);
        if (sender != null) {
            sender.add(device);
        }
    }

    /**
     * Removes a device: no more reads, no more copies queued to it, its captures end. Its descriptor and buffers are
     * freed once the sender can no longer be inside it (at once with one thread). From the switch loop, through
     * {@link #submit}; the switch port itself is the caller's to remove.
     */
    public void remove(PortDevice device) {
        SwitchLoop owner = ownerOf(device);
        if (owner == null) {
            throw new IllegalArgumentException("not a device of this dataplane: " + device.describe());
        }
        int id = device.switchPort();
        owner.remove(device);
        if (owner.index() == 0) {
            linkStates[id] = null;
            if (captures[id] != null) {
                detachCapture(captures[id]);
            }
        }
        if (sender == null) {
            device.close();
            return;
        }
        sender.remove(device);
        long removedAt = sender.turns();
        sender.wakeIfParked();
        long deadline = System.nanoTime() + RETIRE_WAIT_NANOS;
        while (sender.turns() - removedAt < 2 && System.nanoTime() - deadline < 0) {
            Thread.yield(); // the sender turns at least once a millisecond: this is a short wait
        }
        if (sender.turns() - removedAt >= 2) {
            device.close(); // the sender has started a turn without it since: nothing of it is in use
        } else {
            retired.add(device);
            retiredAt.add(removedAt);
        }
    }

    private SwitchLoop ownerOf(PortDevice device) {
        for (SwitchLoop l : loops) {
            if (l.devices.contains(device)) {
                return l;
            }
        }
        return null;
    }

    private void closeRetired() {
        for (int i = retired.size() - 1; i >= 0; i--) {
            if (sender.turns() - retiredAt.get(i) >= 2) {
                retired.remove(i).close();
                retiredAt.remove(i);
            }
        }
    }

    /**
     * The devices, loop by loop, each loop's in the order added. Their counters may be read from any thread (a
     * moment old).
     */
    public List<PortDevice> devices() {
        List<PortDevice> all = new ArrayList<>();
        for (SwitchLoop l : loops) {
            all.addAll(l.devices);
        }
        return all;
    }

    /** Starts the loops. */
    public void start() {
        if (sender != null) {
            sender.thread().start();
        }
        for (Thread t : loopThreads) {
            t.start();
        }
    }

    /** Runs {@code command} on the switch loop between two turns; the way other threads change the switch. */
    public void submit(Consumer<Switch> command) {
        commands.add(command);
        loops[0].wakeup.signal();
    }

    /** Stops the loops after their current turn, then the sender once it has sent what was flushed. */
    public void stop() {
        running = false;
        for (SwitchLoop l : loops) {
            l.wakeup.signal();
        }
        for (Thread t : loopThreads) {
            join(t);
        }
        if (sender != null) {
            sender.stop();
            join(sender.thread());
        }
    }

    /** Waits until the switch loop ends (after {@link #stop} from another thread). */
    public void awaitStop() throws InterruptedException {
        for (Thread t : loopThreads) {
            t.join();
        }
    }

    private static void join(Thread t) {
        try {
            t.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(int index) {
        SwitchLoop loop = loops[index];
        if (index == 0) {
            runCoordinator(loop);
            return;
        }
        while (running) {
            loop.holdIfAsked();
            int ready = loop.await(busyPoll ? 0 : WAIT_MILLIS);
            if (ready == 0 && busyPoll) {
                Thread.onSpinWait();
            }
            loop.drain(ready, System.nanoTime());
            if (loop.flush()) {
                loop.transmit();
            }
        }
        loop.flush();
        loop.transmit();
    }

    /** Loop 0: forwards like the others, and runs commands and housekeeping between turns. */
    private void runCoordinator(SwitchLoop loop) {
        if (switchCpu != NO_CPU) {
            placeOnCpu();
        }
        nextHousekeeping = System.nanoTime() + HOUSEKEEPING_PERIOD_NANOS;
        while (running) {
            int ready = loop.await(busyPoll ? 0 : WAIT_MILLIS);
            if (ready == 0 && busyPoll) {
                Thread.onSpinWait();
            }
            long now = System.nanoTime();
            runCommands();
            loop.drain(ready, now);
            flush(loop);
            if (now - nextHousekeeping >= 0) {
                housekeeping(now);
                nextHousekeeping = now + HOUSEKEEPING_PERIOD_NANOS;
            }
        }
        runCommands();
        flush(loop);
        for (PortCapture c : captures) {
            if (c != null) {
                detachCapture(c);
            }
        }
    }

    /** Pins this loop to its CPU and moves the process's other threads (JIT, GC, API, sender) off it; says so. */
    private void placeOnCpu() {
        try {
            CpuAffinity.pinCurrentThread(switchCpu);
            int moved = CpuAffinity.moveOtherThreadsOff(switchCpu);
            log.accept("switch loop on CPU " + switchCpu + (busyPoll ? ", busy polling" : "") + "; " + moved
                + " other threads of the process moved off it");
        } catch (LinuxException | IllegalArgumentException e) {
            log.accept("switch loop: " + e.getMessage() + "; it runs where the kernel places it");
        }
    }

    private void flush(SwitchLoop loop) {
        if (!loop.flush()) {
            return;
        }
        if (sender != null) {
            sender.wakeIfParked();
        } else {
            loop.transmit();
        }
    }

    private void runCommands() {
        if (commands.isEmpty()) {
            return;
        }
        holdOthers();
        try {
            Consumer<Switch> c;
            while ((c = commands.poll()) != null) {
                c.accept(sw);
            }
        } finally {
            releaseOthers();
        }
    }

    /** Parks every other loop at the top of its turn: from here until {@link #releaseOthers} nothing forwards. */
    private void holdOthers() {
        for (int i = 1; i < loops.length; i++) {
            loops[i].holdRequested = true;
            loops[i].wakeup.signal();
        }
        for (int i = 1; i < loops.length; i++) {
            while (!loops[i].held && loopThreads[i].isAlive()) {
                Thread.onSpinWait();
            }
        }
    }

    private void releaseOthers() {
        for (int i = 1; i < loops.length; i++) {
            loops[i].holdRequested = false;
        }
    }

    private void housekeeping(long now) {
        sw.expire(now); // the FDB takes its own lock: the other loops keep forwarding
        if (!retired.isEmpty()) {
            closeRetired();
        }
        for (String line : sw.macMoveLog().poll(now)) {
            log.accept(line);
        }
        SwitchLoop first = loops[0];
        for (int i = 0; i < first.devices.size(); i++) {
            checkLink(first.devices.get(i));
        }
        for (SwitchLoop l : loops) {
            for (int i = 0; i < l.devices.size(); i++) {
                PortDevice device = l.devices.get(i);
                String notice = device.takeNotice();
                if (notice != null) {
                    log.accept("port " + portName(device.switchPort()) + ": " + notice);
                }
            }
        }
    }

    /** A device's drain found it gone for good: loop 0 follows the link; another loop stops waiting on it. */
    void deviceGone(SwitchLoop loop, PortDevice device) {
        if (loop.index() == 0) {
            checkLink(device);
        } else {
            loop.forget(device);
        }
    }

    /** Follows a device's link state into the switch port's, and says so once per change; loop 0 only. */
    private void checkLink(PortDevice device) {
        int id = device.switchPort();
        LinkState was = linkStates[id];
        if (was == LinkState.GONE) {
            return;
        }
        LinkState now;
        try {
            now = device.linkState();
        } catch (LinuxException e) {
            log.accept("port " + portName(id) + ": cannot read the link state: " + e.getMessage());
            return;
        }
        if (now == was) {
            return;
        }
        linkStates[id] = now;
        Port port = sw.port(id);
        int flushed;
        holdOthers();
        try {
            flushed = port == null ? 0 : sw.setPortUp(port.name(), now == LinkState.UP);
        } finally {
            releaseOthers();
        }
        String macs = flushed == 0 ? "" : "; " + flushed + " learned MAC" + (flushed == 1 ? "" : "s") + " flushed";
        switch (now) {
            case UP -> log.accept("port " + portName(id) + ": link up on " + device.describe());
            case DOWN -> log.accept("port " + portName(id) + ": link down on " + device.describe() + macs
                + "; the port forwards again when the link comes back up");
            case GONE -> {
                loops[0].forget(device);
                log.accept("port " + portName(id) + ": " + device.describe() + " is gone (" + device.goneReason()
                    + "); port down" + macs + ". Restart vxswitch to attach the port again");
            }
        }
    }

    private String portName(int id) {
        Port p = sw.port(id);
        return p == null ? "#" + id : p.name();
    }

    /**
     * Starts copying port {@code port}'s frames into {@code capture}; from the switch loop (through {@link #submit}).
     *
     * @throws IllegalStateException if the port is already being captured, or several loops read it
     */
    public void attachCapture(PortCapture capture) {
        if (loops.length > 1) {
            throw new IllegalStateException("capture needs switch.loops: 1 (with " + loops.length
                + " loops a port's frames are read by several threads)");
        }
        if (captures[capture.port()] != null) {
            throw new IllegalStateException("already being captured");
        }
        captures[capture.port()] = capture;
    }

    /** Stops copying into {@code capture}; from the switch loop. Afterwards the reader may close it. */
    public void detachCapture(PortCapture capture) {
        if (captures[capture.port()] == capture) {
            captures[capture.port()] = null;
        }
        capture.markStopped();
    }

    /** The capture of port {@code port}, or null; on the data path. */
    PortCapture capture(int port) {
        return captures[port];
    }

    /** Frees every device; after {@link #stop}. */
    @Override
    public void close() {
        for (SwitchLoop l : loops) {
            for (PortDevice d : l.devices) {
                d.close();
            }
            l.close();
        }
        for (PortDevice d : retired) {
            d.close();
        }
    }
}
