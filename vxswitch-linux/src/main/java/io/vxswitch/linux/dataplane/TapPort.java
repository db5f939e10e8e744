package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.tap.TapDevice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A switch port on a TAP device: the VM (or namespace) behind the tap is the port's vNIC. */
public final class TapPort implements PortDevice {
    /** Frames read per turn before other ports get theirs. */
    static final int BATCH = 64;

    private final TapDevice tap;
    private final int switchPort;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx;
    private final MemorySegment tx;
    private final int maxFrame;
    private long refused;

    public TapPort(TapDevice tap, int switchPort, int maxFrame) {
        this.tap = tap;
        this.switchPort = switchPort;
        this.maxFrame = maxFrame;
        this.rx = arena.allocate(maxFrame, 64);
        this.tx = arena.allocate(maxFrame + 8, 64);
    }

    @Override
    public int fd() {
        return tap.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    public TapDevice tap() {
        return tap;
    }

    @Override
    public int drain(Dataplane dataplane, long now) {
        int frames = 0;
        while (frames < BATCH) {
            int n = tap.read(rx, 0, maxFrame);
            if (n <= 0) {
                break;
            }
            frames++;
            dataplane.forward(switchPort, rx, 0, n, now);
        }
        return frames;
    }

    @Override
    public void send(ForwardingDecision d, int i, long now) {
        if (d.egressLength(i) > tx.byteSize()) {
            refused++;
            return;
        }
        int len = d.writeEgress(i, tx, 0);
        if (tap.write(tx, 0, len) <= 0) {
            refused++; // queue full (0) or the kernel refused it (-errno, e.g. EIO while the tap is down)
        }
    }

    @Override
    public long sendDrops() {
        return refused;
    }

    @Override
    public String describe() {
        return "tap " + tap.name();
    }

    @Override
    public void close() {
        tap.close();
        arena.close();
    }
}
