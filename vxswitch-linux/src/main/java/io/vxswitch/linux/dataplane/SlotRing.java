package io.vxswitch.linux.dataplane;

/**
 * Hands batches of outgoing frames from a forwarding agent (the one producer) to its sender (the one consumer):
 * a ring of slot indices, each slot a batch the device owns. The producer fills a slot, then publishes it; the
 * consumer sends it, then releases it. One ordered write per batch each way, no lock, no allocation: the shape of
 * Agrona's one-to-one ring buffer, with batches instead of messages.
 *
 * <p>Both sequences are volatile so that a sender about to sleep and a forwarding agent that just published cannot
 * miss each other (see {@link SenderIdle}).
 */
final class SlotRing {
    private final int mask;
    private Backpressure backpressure;
    private PortDevice owner;
    /** Slots published by the producer; written by the producer only. */
    private volatile long published;
    /** Slots released by the consumer; written by the consumer only. */
    private volatile long released;

    /** @param slots a power of two, at least 2: one filling while another is being sent */
    SlotRing(int slots) {
        if (slots < 2 || Integer.bitCount(slots) != 1) {
            throw new IllegalArgumentException("a slot ring needs a power of two >= 2 slots, got " + slots);
        }
        this.mask = slots - 1;
    }

    int slots() {
        return mask + 1;
    }

    /** Makes {@link #claim} wait for a free slot through {@code bp} instead of failing at once. */
    void attach(Backpressure bp, PortDevice device) {
        this.backpressure = bp;
        this.owner = device;
    }

    /**
     * Producer: the slot to fill next; when every slot is published and not yet sent, waits for one through the
     * attached {@link Backpressure}, and returns -1 if none frees in time.
     */
    int claim() {
        int slot = tryClaim();
        return slot >= 0 || backpressure == null ? slot : backpressure.awaitSlot(this, owner);
    }

    /** Producer: the slot to fill next, or -1 while every slot is published and not yet sent. */
    int tryClaim() {
        long p = published;
        return p - released > mask ? -1 : (int) (p & mask);
    }

    /** Producer: the slot from {@link #claim} is ready to send. */
    void publish() {
        published = published + 1;
    }

    /** Consumer: the oldest published slot, or -1 when all are sent. */
    int next() {
        long r = released;
        return r == published ? -1 : (int) (r & mask);
    }

    /** Consumer: the slot from {@link #next} has been sent and may be filled again. */
    void release() {
        released = released + 1;
    }

    /** True when a published slot waits to be sent (any thread). */
    boolean hasPublished() {
        return released != published;
    }
}
