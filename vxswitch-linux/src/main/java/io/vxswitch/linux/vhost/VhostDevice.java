package io.vxswitch.linux.vhost;

/**
 * What a {@link VhostUserSession} configures: the device's data path (a switch port), which alone uses the queues it
 * is handed. Every method except {@link #offeredFeatures} and {@link #queuePairs} is called through the session's
 * {@link LoopCommands}, so on the thread that forwards the port's frames, between two of its turns: the data path
 * takes no lock, and a queue or memory table the session replaces is no longer used once the call returns.
 */
public interface VhostDevice {
    /** The virtio feature bits this device offers ({@code GET_FEATURES}), with {@code VHOST_USER_F_PROTOCOL_FEATURES}. */
    long offeredFeatures();

    /** Queue pairs (receive + transmit) this device serves. */
    int queuePairs();

    /** The features the driver accepted ({@code SET_FEATURES}), before queues start. */
    void negotiated(long features);

    /**
     * Queue {@code q.index()} starts: the device reads or fills it from now on, waiting for kicks on {@code kickFd}
     * and signalling the driver on {@code callFd} (-1: the driver polls). {@code enabled} false: started but not
     * to be used yet ({@code SET_VRING_ENABLE} turns it on).
     */
    void startQueue(SplitVirtqueue q, int kickFd, int callFd, boolean enabled);

    /** Queue {@code index} stops; returns its next available index ({@code GET_VRING_BASE}), -1 if not started. */
    int stopQueue(int index);

    void enableQueue(int index, boolean enabled);

    /** The descriptor to signal queue {@code index}'s driver on changes (-1: none). */
    void callFd(int index, int fd);

    /**
     * A new memory table: started queues find their rings in it. A queue whose rings are not in it stops the port
     * (the front-end broke its own guest). {@code null} when the session ends, after every queue stopped.
     */
    void memory(GuestMemory memory);

    /** A line about the front-end for the operator (connected, features, gone), said once. */
    void notice(String line);
}
