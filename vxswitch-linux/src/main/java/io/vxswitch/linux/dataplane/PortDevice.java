package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.packet.offload.Offload;

/**
 * The Linux side of one switch port, as the {@link Dataplane} drives it. The switch loop {@link #drain drains}
 * what arrived into the switch, queues the copies the switch decides on with {@link #send}, and {@link #flush
 * publishes} them at the end of its turn; the sender loop (or the switch loop itself, with one thread) makes the
 * transmit syscalls in {@link #transmit}. Each method says which loop calls it; none throws on I/O errors, they
 * are counted.
 */
public interface PortDevice extends AutoCloseable {
    /** What {@link #drain} returns once the device is gone for good (a deleted tap). */
    int GONE = -1;

    /** The descriptor the switch loop waits on. */
    int fd();

    /** The switch port id this device carries. */
    int switchPort();

    /**
     * Switch loop: reads what is waiting (a bounded batch, so other ports get their turn) and hands each frame to
     * {@link SwitchLoop#forward}; returns the frames read, or {@link #GONE}.
     */
    int drain(SwitchLoop loop, long now);

    /** Before the loops start: how {@link #send} waits when every transmit slot is taken. */
    void attach(Backpressure backpressure);

    /**
     * Switch loop: queues copy {@code i} of {@code d}, which the switch sent to this port. {@code offload} says what
     * the frame still needs (from a tap with offloads: a checksum, or cutting into segments); a device whose wire
     * cannot take it so finishes it first.
     */
    void send(ForwardingDecision d, int i, Offload offload, long now);

    /** Switch loop, once per turn: hands what {@link #send} queued to the sender. True if there was any. */
    boolean flush();

    /** Sender loop: makes the transmit syscalls for every batch flushed so far; returns the frames handed over. */
    int transmit();

    /** Any thread: true while a flushed batch waits for {@link #transmit}. */
    boolean hasPending();

    /**
     * Switch loop, on housekeeping ticks: the state of what is under the port. Cheap while nothing has gone wrong;
     * looks at the kernel only after an error hinted at a change.
     */
    default LinkState linkState() {
        return LinkState.UP;
    }

    /**
     * Switch loop, on housekeeping ticks: a line the operator should see about a change the device made on its own
     * (e.g. a tunnel falling back from UDP GSO), once; null when there is nothing new.
     */
    default String takeNotice() {
        return null;
    }

    /** Why a device whose link is {@link LinkState#GONE} went away, for the log line. */
    default String goneReason() {
        return "deleted, or moved to another namespace";
    }

    /** Copies dropped because the sender had not caught up (every transmit slot full). */
    long txQueueFull();

    /** Copies the kernel refused or could not queue, or too large for the device. */
    long txRefused();

    /** Frames read but not forwarded: longer than the port takes, or what the device cannot hand on (bad offload). */
    default long rxRefused() {
        return 0;
    }

    /** Super-frames this device cut into segments in software before sending (its wire takes only finished frames). */
    default long superFramesCut() {
        return 0;
    }

    /** The segments those super-frames became. */
    default long segmentsFromCuts() {
        return 0;
    }

    /** Super-frames this device made by coalescing received segments (GRO), and the segments they hold. */
    default long superFramesCoalesced() {
        return 0;
    }

    default long segmentsCoalesced() {
        return 0;
    }

    /** One line for the start-up summary: what this port is on the host. */
    String describe();

    /** Frees the descriptor and buffers; only after both loops have stopped. */
    @Override
    void close();
}
