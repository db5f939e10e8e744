package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.ForwardingLane;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.packet.offload.Offload;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One forwarding loop of a {@link Dataplane}: waits on its own devices' descriptors (one queue of each tap, a tunnel
 * socket of its own), drains the ready ones through its {@link ForwardingLane}, queues each decision's copies on its
 * own devices, and flushes them at the end of the turn. Loops share the switch and nothing they write per frame.
 *
 * <p>Loop 0 is the dataplane's coordinator: between turns it runs commands and housekeeping, and for anything that
 * changes the switch it first parks the other loops at the top of their turn ({@link #holdRequested}), so a loop
 * never forwards through a half-made change.
 */
public final class SwitchLoop {
    private final Dataplane dataplane;
    private final int index;
    private final ForwardingLane lane;
    private final ForwardingDecision decision;
    /** What a frame from a device without offloads needs: nothing. Never written. */
    private final Offload finished = new Offload();
    final Epoll epoll = new Epoll(64);
    final EventFd wakeup = new EventFd();
    /** This loop's device of each switch port, and of each descriptor; written while the loop is held or not running. */
    final PortDevice[] byPort;
    final PortDevice[] byFd = new PortDevice[4096];
    final List<PortDevice> devices = new ArrayList<>();
    final int[] readyFds = new int[64];
    /** Set by loop 0 to hold this loop at the top of its turn; {@link #held} answers. */
    volatile boolean holdRequested;
    volatile boolean held;

    SwitchLoop(Dataplane dataplane, int index, ForwardingLane lane, ForwardingDecision decision, int maxPorts) {
        this.dataplane = dataplane;
        this.index = index;
        this.lane = lane;
        this.decision = decision;
        this.byPort = new PortDevice[maxPorts];
        epoll.add(wakeup.fd(), Epoll.IN);
    }

    public int index() {
        return index;
    }

    void add(PortDevice device) {
        if (device.fd() >= byFd.length) {
            throw new IllegalStateException("descriptor " + device.fd() + " is beyond the loop's table ("
                + byFd.length + ")");
        }
        byPort[device.switchPort()] = device;
        byFd[device.fd()] = device;
        devices.add(device);
        epoll.add(device.fd(), Epoll.IN);
    }

    /** Forgets {@code device}, and stops waiting on it unless {@link #forget} already did. */
    void remove(PortDevice device) {
        devices.remove(device);
        forget(device);
        if (byPort[device.switchPort()] == device) {
            byPort[device.switchPort()] = null;
        }
    }

    /** Stops waiting on a device that is gone (its descriptor fails for good). */
    void forget(PortDevice device) {
        if (byFd[device.fd()] == device) {
            epoll.remove(device.fd());
            byFd[device.fd()] = null;
        }
    }

    /** Waits up to {@code waitMillis} for a ready descriptor; returns how many are ready. */
    int await(int waitMillis) {
        return epoll.wait(readyFds, waitMillis);
    }

    /** Drains the {@code ready} descriptors {@link #await} found. */
    void drain(int ready, long now) {
        for (int k = 0; k < ready; k++) {
            int fd = readyFds[k];
            if (fd == wakeup.fd()) {
                wakeup.drain();
                continue;
            }
            PortDevice device = byFd[fd];
            if (device != null && device.drain(this, now) == PortDevice.GONE) {
                dataplane.deviceGone(this, device);
            }
        }
    }

    /** Publishes what this loop's devices queued; true if any had something. */
    boolean flush() {
        boolean published = false;
        for (int i = 0; i < devices.size(); i++) {
            published |= devices.get(i).flush();
        }
        return published;
    }

    /** Makes the transmit syscalls for what was flushed (when this loop transmits itself). */
    void transmit() {
        for (int i = 0; i < devices.size(); i++) {
            devices.get(i).transmit();
        }
    }

    /** Parks at the top of a turn while loop 0 changes the switch. */
    void holdIfAsked() {
        if (!holdRequested) {
            return;
        }
        held = true;
        while (holdRequested) {
            Thread.onSpinWait();
            Thread.yield();
        }
        held = false;
    }

    /** Forwards one finished frame received on {@code port} and queues its copies. Called by the devices' drain. */
    void forward(int port, MemorySegment frame, long offset, int length, long now) {
        forward(port, frame, offset, length, finished, now);
    }

    /** The same for a frame that may still need {@code offload} (from a tap with offloads). */
    void forward(int port, MemorySegment frame, long offset, int length, Offload offload, long now) {
        PortCapture c = dataplane.capture(port);
        if (c != null) {
            c.offer(frame, offset, length, now);
        }
        lane.forward(port, frame, offset, length, now, decision);
        dispatch(offload, now);
    }

    /**
     * A decapsulated frame the switch decided on, received on tunnel port {@code port}: captured, then sent;
     * {@code offload} says what it still needs (a coalesced super-frame).
     */
    void dispatchFromTunnel(int port, Offload offload, long now) {
        PortCapture c = dataplane.capture(port);
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
            PortCapture c = dataplane.capture(port);
            if (c != null) {
                c.offerEgress(d, i, now);
            }
        }
    }

    void close() {
        wakeup.close();
        epoll.close();
    }
}
