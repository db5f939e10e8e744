package io.vxswitch.linux.dataplane;

/**
 * What a port does when every transmit slot of its {@link SlotRing} waits for the sender: it waits for one
 * instead of dropping, as a NIC driver stops its queue when the ring is full. Dropping here would throw away
 * frames the kernel already accepted from a VM, and TCP would read the loss as congestion; waiting stalls the
 * forwarding agent, so the VM's tap queue fills and the VM's own stack slows down, which is the kernel's usual
 * backpressure. The wait is bounded (the sender never blocks, so a slot frees within one batch of syscalls);
 * past it the frame is dropped and counted.
 */
public final class Backpressure {
    /** Longest a full port holds up the forwarding agent before it drops. */
    static final long MAX_WAIT_NANOS = 2_000_000;

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
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        int slot;
        while ((slot = ring.tryClaim()) < 0 && System.nanoTime() - deadline < 0) {
            Thread.yield(); // on a small machine the sender, or the VM it feeds, may need this core
        }
        return slot;
    }
}
