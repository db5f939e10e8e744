package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.poll.EventFd;
import org.agrona.concurrent.IdleStrategy;

/**
 * The descriptors one {@link ForwardingAgent} reads, and its idle strategy: an agent with nothing to do sleeps in
 * {@code epoll_wait} until a port has a frame or the wake-up event is signalled, instead of parking for a fixed time
 * (a frame would wait for the park to end) or spinning (a core per agent). With {@code busy} it never sleeps: each
 * turn looks without waiting, at the cost of the core, and a frame is picked up without a thread being woken.
 *
 * <p>What the sleep found is kept for the agent's next turn, so a wake-up costs one {@code epoll_wait}; a busy
 * agent's turn looks once, without waiting. Only the agent's thread calls {@link #ready} and {@link #idle}; any
 * thread may {@link #wake} it.
 */
final class DescriptorWait implements IdleStrategy {
    /** The longest sleep: an idle agent still turns ten times a second (its conductor's housekeeping needs turns). */
    static final int WAIT_MILLIS = 100;
    static final int CAPACITY = 64;

    private final Epoll epoll = new Epoll(CAPACITY);
    private final EventFd wakeup = new EventFd();
    private final int[] readyFds = new int[CAPACITY];
    private final boolean busy;
    /** Descriptors the last sleep found, not yet handed to the agent. */
    private int found;

    DescriptorWait(boolean busy) {
        this.busy = busy;
        epoll.add(wakeup.fd(), Epoll.IN);
    }

    void add(int fd) {
        epoll.add(fd, Epoll.IN);
    }

    void remove(int fd) {
        epoll.remove(fd);
    }

    /** Ends the agent's sleep (a command, a stop), from any thread. */
    void wake() {
        wakeup.signal();
    }

    /**
     * How many descriptors are ready: those the last sleep found, or a look that does not wait. Their descriptors
     * are {@link #fd}{@code (0..n-1)}; the wake-up event is drained here and not among them.
     */
    int ready() {
        int n = found;
        found = 0;
        if (n == 0) {
            n = epoll.wait(readyFds, 0);
        }
        int kept = 0;
        for (int k = 0; k < n; k++) {
            int fd = readyFds[k];
            if (fd == wakeup.fd()) {
                wakeup.drain();
            } else {
                readyFds[kept++] = fd;
            }
        }
        return kept;
    }

    int fd(int k) {
        return readyFds[k];
    }

    /** After a turn: nothing to sleep for if it did work; otherwise sleep in epoll (or, busy, spin once). */
    @Override
    public void idle(int workCount) {
        if (workCount > 0) {
            return;
        }
        if (busy) {
            Thread.onSpinWait();
            return;
        }
        found = epoll.wait(readyFds, WAIT_MILLIS);
    }

    @Override
    public void idle() {
        idle(0);
    }

    @Override
    public void reset() {
    }

    @Override
    public String alias() {
        return busy ? "epoll-busy" : "epoll-wait";
    }

    void close() {
        wakeup.close();
        epoll.close();
    }
}
