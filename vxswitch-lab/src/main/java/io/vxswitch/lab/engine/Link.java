package io.vxswitch.lab.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * A point-to-point cable between two endpoints with a fixed one-way latency. Frames keep their order
 * (same latency, ties broken by send order) and are never lost; the lab models forwarding, not queues.
 */
public final class Link {
    /** 50 µs: a virtual NIC plus a short cable, small next to the 1 s ping interval. */
    public static final long DEFAULT_LATENCY_NANOS = 50_000;

    private final Simulator simulator;
    private final Endpoint a;
    private final Endpoint b;
    private final long latencyNanos;
    private final List<FrameListener> listeners = new ArrayList<>();

    public Link(Simulator simulator, String aName, String bName, long latencyNanos) {
        if (latencyNanos < 0) {
            throw new IllegalArgumentException("link latency must not be negative, got " + latencyNanos + " ns");
        }
        this.simulator = simulator;
        this.a = new Endpoint(this, aName);
        this.b = new Endpoint(this, bName);
        this.latencyNanos = latencyNanos;
    }

    public Endpoint a() {
        return a;
    }

    public Endpoint b() {
        return b;
    }

    public long latencyNanos() {
        return latencyNanos;
    }

    public void addListener(FrameListener listener) {
        listeners.add(listener);
        listener.attached(this);
    }

    Endpoint peerOf(Endpoint e) {
        return e == a ? b : a;
    }

    void carry(Endpoint from, byte[] frame) {
        for (FrameListener l : listeners) {
            l.onFrame(simulator.now(), from, frame);
        }
        Endpoint to = peerOf(from);
        simulator.after(latencyNanos, () -> to.deliver(frame));
    }

    @Override
    public String toString() {
        return a.name() + " <-> " + b.name();
    }
}
