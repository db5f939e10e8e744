package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;

/**
 * The Linux side of one switch port, as the poll loop drives it: a descriptor to wait on, a way to drain
 * what arrived into the switch, and a way to send the copies the switch decides on.
 */
public interface PortDevice extends AutoCloseable {
    /** The descriptor the poll loop waits on. */
    int fd();

    /** The switch port id this device carries. */
    int switchPort();

    /**
     * Reads what is waiting (a bounded batch, so other ports get their turn) and hands each frame to
     * {@link Dataplane#forward}; returns the frames read.
     */
    int drain(Dataplane dataplane, long now);

    /** Sends copy {@code i} of {@code d}, which the switch sent to this port. Counts, never throws on I/O errors. */
    void send(ForwardingDecision d, int i, long now);

    /** Pushes out what {@link #send} batched; called once per poll loop turn. */
    default void flush() {
    }

    /** Copies this device could not send (too large for it, or refused by the kernel). */
    long sendDrops();

    /** One line for the start-up summary: what this port is on the host. */
    String describe();

    @Override
    void close();
}
