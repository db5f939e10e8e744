package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The poll loop of one host switch: waits on every port's descriptor, drains the ready ones into the switch,
 * sends each decision's copies, flushes batched sends, ages the FDB once a second, and runs control commands
 * between turns (Aeron's duty cycle: clock, commands, I/O). The loop thread owns the {@link Switch}: nothing
 * else touches it while the loop runs, so the data path takes no lock; other threads reach it through
 * {@link #submit}.
 *
 * <p>One loop drives every port. The switch is single-writer by design; spreading ports over two loops needs
 * a sharded or concurrent FDB, which the performance work will measure before choosing.
 */
public final class Dataplane implements Runnable, AutoCloseable {
    private static final long AGING_PERIOD_NANOS = 1_000_000_000L;
    private static final int WAIT_MILLIS = 100;

    private final Switch sw;
    private final ForwardingDecision decision;
    private final Epoll epoll;
    private final EventFd wakeup = new EventFd();
    private final PortDevice[] byPort;
    private final PortDevice[] byFd;
    private final List<PortDevice> devices = new ArrayList<>();
    private final ConcurrentLinkedQueue<Consumer<Switch>> commands = new ConcurrentLinkedQueue<>();
    private final int[] readyFds = new int[64];
    private volatile boolean running = true;
    private long nextAging;

    public Dataplane(Switch sw) {
        this.sw = sw;
        this.decision = sw.newDecision();
        this.epoll = new Epoll(64);
        this.byPort = new PortDevice[sw.options().maxPorts()];
        this.byFd = new PortDevice[4096];
        epoll.add(wakeup.fd(), Epoll.IN);
    }

    /** Adds a port device; call before {@link #run}, or through {@link #submit} once it runs. */
    public void add(PortDevice device) {
        if (device.fd() >= byFd.length) {
            throw new IllegalStateException("descriptor " + device.fd() + " is beyond the loop's table ("
                + byFd.length + ")");
        }
        byPort[device.switchPort()] = device;
        byFd[device.fd()] = device;
        devices.add(device);
        epoll.add(device.fd(), Epoll.IN);
    }

    /** Runs {@code command} on the loop thread between two turns; the way other threads change the switch. */
    public void submit(Consumer<Switch> command) {
        commands.add(command);
        wakeup.signal();
    }

    /** Stops the loop after its current turn. */
    public void stop() {
        running = false;
        wakeup.signal();
    }

    @Override
    public void run() {
        nextAging = System.nanoTime() + AGING_PERIOD_NANOS;
        while (running) {
            int ready = epoll.wait(readyFds, WAIT_MILLIS);
            long now = System.nanoTime();
            runCommands();
            for (int k = 0; k < ready; k++) {
                int fd = readyFds[k];
                if (fd == wakeup.fd()) {
                    wakeup.drain();
                    continue;
                }
                PortDevice device = byFd[fd];
                if (device != null) {
                    device.drain(this, now);
                }
            }
            for (int i = 0; i < devices.size(); i++) {
                devices.get(i).flush();
            }
            if (now - nextAging >= 0) {
                sw.expire(now);
                nextAging = now + AGING_PERIOD_NANOS;
            }
        }
        runCommands();
    }

    private void runCommands() {
        Consumer<Switch> c;
        while ((c = commands.poll()) != null) {
            c.accept(sw);
        }
    }

    /** Forwards one frame received on {@code port} and sends its copies. Called by the devices' drain. */
    void forward(int port, MemorySegment frame, long offset, int length, long now) {
        sw.forward(port, frame, offset, length, now, decision);
        dispatch(now);
    }

    /** The decision buffer, for devices that call the switch themselves (tunnels). */
    ForwardingDecision decision() {
        return decision;
    }

    /** Sends every copy of the current decision to its port's device. */
    void dispatch(long now) {
        ForwardingDecision d = decision;
        for (int i = 0; i < d.egressCount(); i++) {
            PortDevice out = byPort[d.egressPort(i)];
            if (out != null) {
                out.send(d, i, now);
            }
        }
    }

    @Override
    public void close() {
        for (PortDevice d : devices) {
            d.close();
        }
        wakeup.close();
        epoll.close();
    }
}
