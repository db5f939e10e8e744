package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.poll.EventFd;
import io.vxswitch.packet.offload.Offload;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port device without a device: frames to receive are queued from the test and announced on an eventfd (a real
 * descriptor, so the agent's epoll wakes as for a tap); copies sent to it are kept in the order they were
 * transmitted, with the thread that transmitted them.
 */
final class FakePort implements PortDevice {
    private final int switchPort;
    private final EventFd ready = new EventFd();
    private final ConcurrentLinkedQueue<byte[]> incoming = new ConcurrentLinkedQueue<>();
    /** Copies queued this turn (agent), then published (agent), then transmitted (sender). */
    private final List<byte[]> queued = new ArrayList<>();
    private final ConcurrentLinkedQueue<byte[]> published = new ConcurrentLinkedQueue<>();
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    final List<String> sentBy = new CopyOnWriteArrayList<>();
    final List<String> readBy = new CopyOnWriteArrayList<>();
    volatile boolean gone;
    volatile boolean closed;
    volatile LinkState link = LinkState.UP;
    /** What {@link #linkStartsDown} says: set by the test before the port is added. */
    boolean startsDown;
    volatile String notice;
    /** What {@link #txQueueFull} reports: set by the test. */
    volatile long queueFull;

    FakePort(int switchPort) {
        this.switchPort = switchPort;
    }

    /** The test's side: a frame arrives on this port. */
    void receive(byte[] frame) {
        incoming.add(frame);
        ready.signal();
    }

    /** The test's side: the device fails for good at its next read (a deleted tap). */
    void kill() {
        gone = true;
        link = LinkState.GONE;
        ready.signal();
    }

    @Override
    public int fd() {
        return ready.fd();
    }

    @Override
    public boolean linkStartsDown() {
        return startsDown;
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    @Override
    public int receive(RxFrame frame, long now) {
        if (gone) {
            return GONE;
        }
        byte[] f = incoming.poll();
        if (f == null) {
            ready.drain();
            if (incoming.isEmpty()) {
                return NONE;
            }
            ready.signal(); // one arrived between the poll and the drain: keep the descriptor ready for it
            return NONE;
        }
        readBy.add(Thread.currentThread().getName());
        frame.local(MemorySegment.ofArray(f), 0, f.length);
        return FRAME;
    }

    @Override
    public void attach(Backpressure backpressure) {
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        MemorySegment copy = MemorySegment.ofArray(new byte[d.egressLength(i)]);
        d.writeEgress(i, copy, 0);
        queued.add(copy.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    @Override
    public boolean flush() {
        if (queued.isEmpty()) {
            return false;
        }
        published.addAll(queued);
        queued.clear();
        return true;
    }

    @Override
    public int transmit() {
        int n = 0;
        byte[] f;
        while ((f = published.poll()) != null) {
            sent.add(f);
            sentBy.add(Thread.currentThread().getName());
            n++;
        }
        return n;
    }

    @Override
    public boolean hasPending() {
        return !published.isEmpty();
    }

    @Override
    public LinkState linkState() {
        return link;
    }

    @Override
    public String takeNotice() {
        String n = notice;
        notice = null;
        return n;
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    @Override
    public long txRefused() {
        return 0;
    }

    @Override
    public String describe() {
        return "fake " + switchPort;
    }

    @Override
    public void close() {
        closed = true;
        ready.close();
    }
}
