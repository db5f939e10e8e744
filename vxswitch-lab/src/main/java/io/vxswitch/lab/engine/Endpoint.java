package io.vxswitch.lab.engine;

/**
 * One end of a {@link Link}: where a NIC or a switch port plugs in. Frames sent here arrive at the
 * other end after the link's latency.
 */
public final class Endpoint {
    private final Link link;
    private final String name;
    private FrameReceiver receiver;
    private long sentFrames;
    private long receivedFrames;
    private long unattachedDrops;

    Endpoint(Link link, String name) {
        this.link = link;
        this.name = name;
    }

    /** A name such as {@code esxi:uplink1} or {@code vm1}. */
    public String name() {
        return name;
    }

    public Link link() {
        return link;
    }

    public Endpoint peer() {
        return link.peerOf(this);
    }

    /** Plugs the receiver in; an endpoint takes one. */
    public void attach(FrameReceiver r) {
        if (receiver != null) {
            throw new IllegalStateException("endpoint " + name + " is already attached");
        }
        receiver = r;
    }

    public boolean attached() {
        return receiver != null;
    }

    /** Puts a copy of {@code frame} on the link towards the peer. */
    public void send(byte[] frame) {
        sentFrames++;
        link.carry(this, frame.clone());
    }

    void deliver(byte[] frame) {
        if (receiver == null) {
            unattachedDrops++;
            return;
        }
        receivedFrames++;
        receiver.receive(frame);
    }

    public long sentFrames() {
        return sentFrames;
    }

    public long receivedFrames() {
        return receivedFrames;
    }

    /** Frames that arrived while nothing was plugged in here. */
    public long unattachedDrops() {
        return unattachedDrops;
    }

    @Override
    public String toString() {
        return name;
    }
}
