package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.CpuAffinity;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.packet.offload.Offload;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The threads of one host switch and the devices they drive.
 *
 * <p><b>The switch loop</b> owns the {@link Switch}: it waits on every port's descriptor, drains the ready ones
 * into the switch, queues each decision's copies on their ports, flushes the queues at the end of the turn,
 * and between turns runs control commands and housekeeping (FDB aging, link checks) once a second: Aeron's duty
 * cycle. Nothing else touches the switch while it runs, so the data path takes no lock; other threads reach it
 * through {@link #submit}.
 *
 * <p><b>The sender loop</b> (with {@link Threads#TWO}, the default for two or more cores) makes the transmit
 * syscalls for the flushed batches, and with them the kernel work each send sets off, on the other core. The
 * hand-off is a ring of batch slots per port ({@link SlotRing}): one volatile write per batch each way. With
 * {@link Threads#ONE} the switch loop transmits after each flush itself.
 *
 * <p>Why not one loop per core, each owning some ports: both would learn into and look up the one FDB, which
 * would need a concurrent or sharded FDB on the hot path. Splitting receive-and-decide from transmit keeps the
 * switch single-writer and still moves about half the syscalls to the second core.
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
    private final ForwardingDecision decision;
    /** What a frame from a device without offloads needs: nothing. Never written. */
    private final Offload finished = new Offload();
    private final Epoll epoll;
    private final EventFd wakeup = new EventFd();
    private final PortDevice[] byPort;
    private final PortDevice[] byFd;
    private final LinkState[] linkStates;
    /** Active captures by switch port; written on the switch loop only. */
    private final PortCapture[] captures;
    private final List<PortDevice> devices = new ArrayList<>();
    /** Removed devices waiting until the sender can no longer be inside them, with the sender's turn at removal. */
    private final List<PortDevice> retired = new ArrayList<>();
    private final List<Long> retiredAt = new ArrayList<>();
    private final ConcurrentLinkedQueue<Consumer<Switch>> commands = new ConcurrentLinkedQueue<>();
    private final int[] readyFds = new int[64];
    private final SenderLoop sender;
    private final Backpressure backpressure;
    private final Thread switchThread;
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
        this.busyPoll = busyPoll;
        this.switchCpu = switchCpu;
        this.sw = sw;
        this.log = log;
        this.decision = sw.newDecision();
        this.epoll = new Epoll(64);
        this.byPort = new PortDevice[sw.options().maxPorts()];
        this.byFd = new PortDevice[4096];
        this.linkStates = new LinkState[sw.options().maxPorts()];
        this.captures = new PortCapture[sw.options().maxPorts()];
        this.sender = threads == Threads.TWO ? new SenderLoop("vxswitch-sender") : null;
        this.backpressure = new Backpressure(sender);
        this.switchThread = Thread.ofPlatform().name("vxswitch-switch").unstarted(this::run);
        epoll.add(wakeup.fd(), Epoll.IN);
    }

    public Threads threads() {
        return sender == null ? Threads.ONE : Threads.TWO;
    }

    /** Adds a port device; call before {@link #start}, or through {@link #submit} once it runs. */
    public void add(PortDevice device) {
        if (device.fd() >= byFd.length) {
            throw new IllegalStateException("descriptor " + device.fd() + " is beyond the loop's table ("
                + byFd.length + ")");
        }
        byPort[device.switchPort()] = device;
        byFd[device.fd()] = device;
        linkStates[device.switchPort()] = LinkState.UP;
        device.attach(backpressure);
        devices.add(device);
        if (sender != null) {
            sender.add(device);
        }
        epoll.add(device.fd(), Epoll.IN);
    }

    /**
     * Removes a device: no more reads, no more copies queued to it, its captures end. Its descriptor and buffers are
     * freed once the sender can no longer be inside it (at once with one thread). From the switch loop, through
     * {@link #submit}; the switch port itself is the caller's to remove.
     */
    public void remove(PortDevice device) {
        if (!devices.remove(device)) {
            throw new IllegalArgumentException("not a device of this dataplane: " + device.describe());
        }
        int id = device.switchPort();
        if (linkStates[id] != LinkState.GONE) {
            epoll.remove(device.fd());
        }
        byFd[device.fd()] = null;
        byPort[id] = null;
        linkStates[id] = null;
        if (captures[id] != null) {
            detachCapture(captures[id]);
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

    private void closeRetired() {
        for (int i = retired.size() - 1; i >= 0; i--) {
            if (sender.turns() - retiredAt.get(i) >= 2) {
                retired.remove(i).close();
                retiredAt.remove(i);
            }
        }
    }

    /** The devices, in the order added. Their counters may be read from any thread (a moment old). */
    public List<PortDevice> devices() {
        return List.copyOf(devices);
    }

    /** Starts the loops. */
    public void start() {
        if (sender != null) {
            sender.thread().start();
        }
        switchThread.start();
    }

    /** Runs {@code command} on the switch loop between two turns; the way other threads change the switch. */
    public void submit(Consumer<Switch> command) {
        commands.add(command);
        wakeup.signal();
    }

    /** Stops the switch loop after its current turn, then the sender once it has sent what was flushed. */
    public void stop() {
        running = false;
        wakeup.signal();
        join(switchThread);
        if (sender != null) {
            sender.stop();
            join(sender.thread());
        }
    }

    /** Waits until the switch loop ends (after {@link #stop} from another thread). */
    public void awaitStop() throws InterruptedException {
        switchThread.join();
    }

    private static void join(Thread t) {
        try {
            t.join(STOP_TIMEOUT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        if (switchCpu != NO_CPU) {
            placeOnCpu();
        }
        nextHousekeeping = System.nanoTime() + HOUSEKEEPING_PERIOD_NANOS;
        while (running) {
            int ready = epoll.wait(readyFds, busyPoll ? 0 : WAIT_MILLIS);
            if (ready == 0 && busyPoll) {
                Thread.onSpinWait();
            }
            long now = System.nanoTime();
            runCommands();
            for (int k = 0; k < ready; k++) {
                int fd = readyFds[k];
                if (fd == wakeup.fd()) {
                    wakeup.drain();
                    continue;
                }
                PortDevice device = byFd[fd];
                if (device != null && device.drain(this, now) == PortDevice.GONE) {
                    checkLink(device);
                }
            }
            flushAll();
            if (now - nextHousekeeping >= 0) {
                housekeeping(now);
                nextHousekeeping = now + HOUSEKEEPING_PERIOD_NANOS;
            }
        }
        runCommands();
        flushAll();
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

    private void flushAll() {
        boolean published = false;
        for (int i = 0; i < devices.size(); i++) {
            published |= devices.get(i).flush();
        }
        if (!published) {
            return;
        }
        if (sender != null) {
            sender.wakeIfParked();
        } else {
            for (int i = 0; i < devices.size(); i++) {
                devices.get(i).transmit();
            }
        }
    }

    private void runCommands() {
        Consumer<Switch> c;
        while ((c = commands.poll()) != null) {
            c.accept(sw);
        }
    }

    private void housekeeping(long now) {
        sw.expire(now);
        if (!retired.isEmpty()) {
            closeRetired();
        }
        for (String line : sw.macMoveLog().poll(now)) {
            log.accept(line);
        }
        for (int i = 0; i < devices.size(); i++) {
            PortDevice device = devices.get(i);
            checkLink(device);
            String notice = device.takeNotice();
            if (notice != null) {
                log.accept("port " + portName(device.switchPort()) + ": " + notice);
            }
        }
    }

    /** Follows a device's link state into the switch port's, and says so once per change. */
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
        int flushed = port == null ? 0 : sw.setPortUp(port.name(), now == LinkState.UP);
        String macs = flushed == 0 ? "" : "; " + flushed + " learned MAC" + (flushed == 1 ? "" : "s") + " flushed";
        switch (now) {
            case UP -> log.accept("port " + portName(id) + ": link up on " + device.describe());
            case DOWN -> log.accept("port " + portName(id) + ": link down on " + device.describe() + macs
                + "; the port forwards again when the link comes back up");
            case GONE -> {
                epoll.remove(device.fd());
                byFd[device.fd()] = null;
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
     * @throws IllegalStateException if the port is already being captured
     */
    public void attachCapture(PortCapture capture) {
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

    /** Forwards one finished frame received on {@code port} and queues its copies. Called by the devices' drain. */
    void forward(int port, MemorySegment frame, long offset, int length, long now) {
        forward(port, frame, offset, length, finished, now);
    }

    /** The same for a frame that may still need {@code offload} (from a tap with offloads). */
    void forward(int port, MemorySegment frame, long offset, int length, Offload offload, long now) {
        PortCapture c = captures[port];
        if (c != null) {
            c.offer(frame, offset, length, now);
        }
        sw.forward(port, frame, offset, length, now, decision);
        dispatch(offload, now);
    }

    /**
     * A decapsulated frame the switch decided on, received on tunnel port {@code port}: captured, then sent;
     * {@code offload} says what it still needs (a coalesced super-frame).
     */
    void dispatchFromTunnel(int port, Offload offload, long now) {
        PortCapture c = captures[port];
        if (c != null) {
            c.offer(decision.frame().segment(), decision.frame().offset(), decision.frame().length(), now);
        }
        dispatch(offload, now);
    }

    /** The decision buffer, for devices that call the switch themselves (tunnels). */
    ForwardingDecision decision() {
        return decision;
    }

    /** Queues every copy of the current decision on its port's device. */
    private void dispatch(Offload offload, long now) {
        ForwardingDecision d = decision;
        for (int i = 0; i < d.egressCount(); i++) {
            int port = d.egressPort(i);
            PortDevice out = byPort[port];
            if (out != null) {
                out.send(d, i, offload, now);
            }
            PortCapture c = captures[port];
            if (c != null) {
                c.offerEgress(d, i, now);
            }
        }
    }

    /** Frees every device; after {@link #stop}. */
    @Override
    public void close() {
        for (PortDevice d : devices) {
            d.close();
        }
        for (PortDevice d : retired) {
            d.close();
        }
        wakeup.close();
        epoll.close();
    }
}
