package io.vxswitch.linux.dataplane;

import org.agrona.concurrent.IdleStrategy;

import java.util.concurrent.locks.LockSupport;

/**
 * The idle strategy of a {@link SenderAgent} on a thread of its own: spin a little (batches come turn after turn
 * under load), yield, then park for at most 1 ms, like Agrona's {@code BackoffIdleStrategy}, and also be wakeable.
 * A forwarding agent that published a batch unparks the sender if it is parked, so a frame does not wait for the
 * park to end; it checks a volatile flag first, so a sender that is busy costs it nothing. The sender sets the flag,
 * then looks for pending batches, then parks; the agent publishes (a volatile write), then reads the flag: either
 * the sender sees the batch or the agent sees the flag.
 */
final class SenderIdle implements IdleStrategy {
    static final int SPINS = 200;
    static final int YIELDS = 20;
    static final long PARK_NANOS = 1_000_000;

    private final SenderAgent sender;
    private volatile Thread thread;
    private volatile boolean parked;
    private int idle;

    SenderIdle(SenderAgent sender) {
        this.sender = sender;
    }

    /** From a forwarding agent after a publish. */
    void wakeIfParked() {
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            idle = 0;
        } else if (idle < SPINS) {
            idle++;
            Thread.onSpinWait();
        } else if (idle < SPINS + YIELDS) {
            idle++;
            Thread.yield();
        } else {
            thread = Thread.currentThread();
            parked = true;
            if (!sender.anyPending()) {
                LockSupport.parkNanos(this, PARK_NANOS);
            }
            parked = false;
        }
    }

    @Override
    public void idle() {
        idle(0);
    }

    @Override
    public void reset() {
        idle = 0;
    }

    @Override
    public String alias() {
        return "sender-backoff";
    }
}
