package io.vxswitch.linux.dataplane;

import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * The second core's loop: makes the transmit syscalls (tap and packet writes, the tunnel's {@code sendmmsg})
 * for the batches the switch loop flushed, so that the switch loop only reads and decides. The kernel work a
 * send sets off (the UDP/IP stack, the veth hop, the peer namespace's receive) runs on this thread too.
 *
 * <p>Idle: spins a little (batches come turn after turn under load), yields, then parks for at most 1 ms. The
 * switch loop unparks it after a flush if it saw it parked; {@link #parked} and the rings' sequences are
 * volatile, so either the sender sees the new batch before parking or the switch loop sees it parked.
 */
final class SenderLoop implements Runnable {
    private static final int SPINS = 200;
    private static final int YIELDS = 20;
    private static final long PARK_NANOS = 1_000_000;

    private volatile PortDevice[] devices = new PortDevice[0];
    private volatile boolean running = true;
    private volatile boolean parked;
    /** Loop iterations so far: a device removed at turn N is not touched after turn N + 1. */
    private volatile long turns;
    private final Thread thread;

    SenderLoop(String name) {
        this.thread = Thread.ofPlatform().name(name).unstarted(this);
    }

    Thread thread() {
        return thread;
    }

    /** Adds a device; from the switch loop (or before start), the only writer of the device list. */
    void add(PortDevice device) {
        PortDevice[] old = devices;
        PortDevice[] grown = Arrays.copyOf(old, old.length + 1);
        grown[old.length] = device;
        devices = grown;
    }

    /** Removes a device; from the switch loop. The sender may still be inside it until {@link #turns} moves twice. */
    void remove(PortDevice device) {
        PortDevice[] old = devices;
        int at = Arrays.asList(old).indexOf(device);
        if (at < 0) {
            return;
        }
        PortDevice[] kept = new PortDevice[old.length - 1];
        System.arraycopy(old, 0, kept, 0, at);
        System.arraycopy(old, at + 1, kept, at, old.length - at - 1);
        devices = kept;
    }

    long turns() {
        return turns;
    }

    /** From the switch loop after it flushed a batch. */
    void wakeIfParked() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /** Ends the loop after it has sent what was flushed. */
    void stop() {
        running = false;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        int idle = 0;
        while (running) {
            turns = turns + 1;
            if (transmitAll() > 0) {
                idle = 0;
            } else if (idle < SPINS) {
                idle++;
                Thread.onSpinWait();
            } else if (idle < SPINS + YIELDS) {
                idle++;
                Thread.yield();
            } else {
                parked = true;
                if (!anyPending()) {
                    LockSupport.parkNanos(this, PARK_NANOS);
                }
                parked = false;
            }
        }
        transmitAll();
    }

    private int transmitAll() {
        PortDevice[] ds = devices;
        int sent = 0;
        for (PortDevice d : ds) {
            sent += d.transmit();
        }
        return sent;
    }

    private boolean anyPending() {
        for (PortDevice d : devices) {
            if (d.hasPending()) {
                return true;
            }
        }
        return false;
    }
}
