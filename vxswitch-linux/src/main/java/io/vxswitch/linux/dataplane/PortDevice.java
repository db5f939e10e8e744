package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.packet.offload.Offload;

/**
 * The Linux side of one switch port, as the {@link Dataplane}'s agents drive it. A {@link ForwardingAgent}
 * {@link #receive receives} what arrived and hands it to the switch, queues the copies the switch decides on with {@link #send},
 * and {@link #flush publishes} them at the end of its turn; a {@link SenderAgent} (on another thread, or on the
 * agent's own between its turns) makes the transmit syscalls in {@link #transmit}; the {@link Conductor} reads the
 * link state and notices. Each method says which agent calls it; none throws on I/O errors, they are counted.
 */
public interface PortDevice extends Transmitter, AutoCloseable {
    /** {@link #receive}: a frame is in the descriptor. */
    int FRAME = 1;
    /** {@link #receive}: nothing more this turn (nothing waiting, or the turn's batch is done). */
    int NONE = 0;
    /** {@link #receive}: the device is gone for good (a deleted tap). */
    int GONE = -1;

    /** The descriptor the forwarding agent waits on. */
    int fd();

    /** The switch port id this device carries. */
    int switchPort();

    /**
     * Forwarding agent: puts the next frame waiting on this device into {@code frame} and returns {@link #FRAME}; or
     * {@link #NONE} once nothing is waiting or this turn's batch is done (bounded, so other ports get their turn),
     * or {@link #GONE}. The frame stays valid until the next call, by which time the agent has queued its copies.
     */
    int receive(RxFrame frame, long now);

    /** Before the agents start: how {@link #send} waits when every transmit slot is taken. */
    void attach(Backpressure backpressure);

    /**
     * When the device joins a dataplane: how a thread of its own (a vhost-user port's control thread) gets a change
     * of the device's data-path state run between two turns of the agent that owns it. Most devices have no such
     * thread.
     */
    default void attachCommands(java.util.function.Consumer<Runnable> commands) {
    }

    /**
     * Forwarding agent: queues copy {@code i} of {@code d}, which the switch sent to this port. {@code offload} says what
     * the frame still needs (from a tap with offloads: a checksum, or cutting into segments); a device whose wire
     * cannot take it so finishes it first.
     */
    void send(ForwardingDecision d, int i, Offload offload, long now);

    /** Forwarding agent, once per turn: hands what {@link #send} queued to the sender. True if there was any. */
    boolean flush();

    /** Sender: makes the transmit syscalls for every batch flushed so far; returns the frames handed over. */
    @Override
    int transmit();

    /** Any thread: true while a flushed batch waits for {@link #transmit}. */
    @Override
    boolean hasPending();

    /**
     * Conductor, on housekeeping ticks: the state of what is under the port. Cheap while nothing has gone wrong;
     * looks at the kernel only after an error hinted at a change.
     */
    default LinkState linkState() {
        return LinkState.UP;
    }

    /**
     * True for a device whose link is down until something outside vxswitch comes (a vhost-user port: its guest's
     * driver): its switch port starts down, and the first look that finds it up says {@code link up}, however soon
     * that was. Others start up, and a look that finds them down says so.
     */
    default boolean linkStartsDown() {
        return false;
    }

    /**
     * Conductor, on housekeeping ticks: a line the operator should see about a change the device made on its own
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

    /** Times the guest behind the device broke its rings and the port was stopped (vhost-user ports). */
    default long guestRingErrors() {
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

    /** Frees the descriptor and buffers; only after the agents have stopped. */
    @Override
    void close();
}
