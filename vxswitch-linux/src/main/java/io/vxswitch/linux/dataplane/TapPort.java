package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.ffi.Errno;
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
    private final FrameQueue tx;
    private final int maxFrame;
    private boolean gone;
    private long queueFull;
    private long oversize;
    private long refused;

    public TapPort(TapDevice tap, int switchPort, int maxFrame) {
        this.tap = tap;
        this.switchPort = switchPort;
        this.maxFrame = maxFrame;
        this.rx = arena.allocate(maxFrame, 64);
        this.tx = FrameQueue.forFrames(maxFrame);
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
                if (n == -Errno.EBADFD) {
                    gone = true; // someone ran 'ip link del' on the tap: its descriptor is dead
                    return GONE;
                }
                break;
            }
            frames++;
            dataplane.forward(switchPort, rx, 0, n, now);
        }
        return frames;
    }

    @Override
    public void attach(Backpressure backpressure) {
        tx.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, long now) {
        int length = d.egressLength(i);
        long at = tx.reserve(length);
        if (at < 0) {
            if (length > tx.maxFrame()) {
                oversize++;
            } else {
                queueFull++;
            }
            return;
        }
        tx.commit(d.writeEgress(i, tx.buffer(), at));
    }

    @Override
    public boolean flush() {
        return tx.publish();
    }

    @Override
    public int transmit() {
        int sent = 0;
        for (int n = tx.take(); n > 0; n = tx.take()) {
            for (int k = 0; k < n; k++) {
                if (tap.write(tx.buffer(), tx.frameOffset(k), tx.frameLength(k)) <= 0) {
                    refused++; // queue full (0) or the kernel refused it (-errno, e.g. EIO while the tap is down)
                }
            }
            tx.release();
            sent += n;
        }
        return sent;
    }

    @Override
    public boolean hasPending() {
        return tx.hasPublished();
    }

    @Override
    public LinkState linkState() {
        return gone ? LinkState.GONE : LinkState.UP;
    }

    /** A tap moved to another namespace keeps working; only deleting it kills the descriptor. */
    @Override
    public String goneReason() {
        return "the tap was deleted";
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    @Override
    public long txRefused() {
        return oversize + refused;
    }

    @Override
    public String describe() {
        return "tap " + tap.name();
    }

    @Override
    public void close() {
        tap.close();
        tx.close();
        arena.close();
    }
}
