package io.vxswitch.linux.dataplane;

import java.util.concurrent.locks.LockSupport;

/**
 * What a port does when every transmit slot of its {@link SlotRing} waits for the sender: it waits for one
 * instead of dropping, as a NIC driver stops its queue when the ring is full. Dropping here would throw away
 * frames the kernel already accepted from a VM, and TCP would read the loss as congestion; waiting stalls the
 * forwarding agent, so the VM's tap queue fills and the VM's own stack slows down, which is the kernel's usual
 * backpressure. The frames then wait, or are dropped, in the queue of the VM that sends them, not in the queue of
 * one that only receives.
 *
 * <p>The sender never blocks, so a slot frees as soon as the sender thread runs. On a busy host it may not run for
 * a long while: on two cores shared with a dozen runnable threads of other processes, a MAC flood's broadcasts
 * (bench/mac-flood.sh) made the forwarding agent wait up to 0.9 s for its sender, and a 2 ms bound dropped the pings
 * of VMs that had nothing to do with the flood. So the wait yields the core for its first 2 ms (the sender is
 * usually a turn away), then parks in short steps, which lets this core go idle so that the scheduler can run the
 * sender here, for up to a second in all: the bound only keeps a sender that stopped running for good (a bug) from
 * stopping the switch. Past it the frame is dropped and counted.
 */
public final class Backpressure {
    /** Longest a full port holds up the forwarding agent before it drops. */
    static final long MAX_WAIT_NANOS = 1_000_000_000;
    /** How long the wait yields before it parks. */
    static final long YIELD_NANOS = 2_000_000;
    private static final long PARK_NANOS = 50_000;

    private final SenderIdle sender;

    /** @param sender the idle strategy of a sender on another thread, or null when the sender shares this thread */
    Backpressure(SenderIdle sender) {
        this.sender = sender;
    }

    /** A slot of {@code ring}, after {@code transmit} (sender on this thread) or the sender has freed one; or -1. */
    int awaitSlot(SlotRing ring, PortDevice device) {
        if (sender == null) {
            device.transmit();
            return ring.tryClaim();
        }
        sender.wakeIfParked();
        long start = System.nanoTime();
        long waited = 0;
        int slot;
        while ((slot = ring.tryClaim()) < 0 && waited < MAX_WAIT_NANOS) {
            if (waited < YIELD_NANOS) {
                Thread.yield(); // on a small machine the sender, or the VM it feeds, may need this core
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
            waited = System.nanoTime() - start;
        }
        return slot;
    }
}
