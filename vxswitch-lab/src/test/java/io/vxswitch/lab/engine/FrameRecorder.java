package io.vxswitch.lab.engine;

import java.util.ArrayList;
import java.util.List;

/** A test stand-in for a NIC: records every frame arriving at an endpoint, and can send from it. */
public final class FrameRecorder {
    /** A frame and when it arrived. */
    public record Received(long timeNanos, byte[] frame) {
    }

    private final Simulator simulator;
    private final Endpoint endpoint;
    private final List<Received> frames = new ArrayList<>();

    public FrameRecorder(Simulator simulator, Endpoint endpoint) {
        this.simulator = simulator;
        this.endpoint = endpoint;
        endpoint.attach(f -> frames.add(new Received(simulator.now(), f)));
    }

    public void send(byte[] frame) {
        endpoint.send(frame);
    }

    public List<Received> received() {
        return List.copyOf(frames);
    }

    public List<byte[]> frames() {
        return frames.stream().map(Received::frame).toList();
    }

    public void clear() {
        frames.clear();
    }

    public Simulator simulator() {
        return simulator;
    }
}
