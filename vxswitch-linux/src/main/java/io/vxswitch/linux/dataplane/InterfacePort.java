package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.LinkState;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.packet.FrameBatch;
import io.vxswitch.linux.packet.PacketSocket;
import io.vxswitch.linux.packet.RxRing;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.VirtioNetHeader;

import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;

/**
 * A switch port on an existing host interface (an uplink, or one end of a veth), through an AF_PACKET socket.
 *
 * <p>The kernel tells a packet socket little about its interface: one ENETDOWN when it goes down (also when it is
 * deleted or moved to another namespace), ENXIO on sends once it is gone. Either makes {@link #linkState} ask the
 * kernel, and keep asking on every housekeeping tick until the link is up again.
 *
 * <p>With the socket's vnet header ({@link PacketSocket#vnetHeader()}) the port works like a tap with offloads: TSO
 * super-frames and frames with a checksum left to fill in come in with their {@link Offload} and cross the switch
 * whole, and whatever the switch sends goes out with its header, super-frames whole (the kernel cuts them, in
 * software or on the NIC).
 */
public final class InterfacePort implements PortDevice {
    static final int BATCH = 32;
    /** Ring blocks read per turn at most, so one busy interface does not starve the other ports. */
    static final int BLOCKS_PER_TURN = 4;
    /** Receive-side drops, each worth one log line the first time it happens: they mean a setting to change. */
    private static final IoCounter[] REFUSALS = {IoCounter.RX_OVERSIZE_DROPS, IoCounter.RX_PARTIAL_CHECKSUM_DROPS,
        IoCounter.RX_LRO_DROPS, IoCounter.RX_ERRORS};

    private final PacketSocket socket;
    private final int switchPort;
    /** The socket's receive ring, or null: then frames come in recvmmsg batches of {@link #rx}. */
    private final RxRing ring;
    private final FrameBatch rx;
    private final FrameQueue tx;
    private final int maxFrame;
    /** vnet header bytes in front of each frame, both ways: 0 or {@link VirtioNetHeader#LENGTH}. */
    private final int vnet;
    private final Offload offload = new Offload();
    private final SoftwareOffload software = new SoftwareOffload();
    /** {@link #reserve} as the software offload calls it: made once, not per frame. */
    private final IntToLongFunction reserve = this::reserve;
    private long queueFull;
    private long oversize;
    private long refused;
    /** Set by the sender when a send says the link changed; read on housekeeping ticks. */
    private volatile boolean sendSawLinkError;
    private long linkDownsSeen;
    private LinkState state = LinkState.UP;
    /** Which of {@link #REFUSALS} the log has been told about. */
    private final boolean[] noticed = new boolean[REFUSALS.length];
    /** The first error a receive returned, for the notice; 0 if none. */
    private int receiveErrno;
    /** This turn's recvmmsg batch: its size, and the next frame to hand out (-1: not received yet). */
    private int batchSize;
    private int batchNext = -1;
    /** The ring: whether a block is being read, and how many blocks this turn has read. */
    private boolean inBlock;
    private int turnBlocks;

    public InterfacePort(PacketSocket socket, int switchPort) {
        this.socket = socket;
        this.switchPort = switchPort;
        this.ring = socket.rxRing();
        this.rx = ring == null ? socket.newBatch(BATCH) : null;
        this.vnet = socket.vnetHeader() ? VirtioNetHeader.LENGTH : 0;
        this.maxFrame = socket.maxFrameLength();
        this.tx = vnet == 0 ? FrameQueue.forFrames(maxFrame)
            : new FrameQueue(FrameQueue.SLOTS, TapPort.VNET_SLOT_BYTES, FrameQueue.FRAMES_PER_SLOT);
    }

    PacketSocket socket() {
        return socket;
    }

    @Override
    public int fd() {
        return socket.fd();
    }

    @Override
    public int switchPort() {
        return switchPort;
    }

    /** Hands out one recvmmsg batch, or up to {@link #BLOCKS_PER_TURN} ring blocks, per turn, frame by frame. */
    @Override
    public int receive(RxFrame frame, long now) {
        return ring != null ? receiveFromRing(frame) : receiveFromBatch(frame);
    }

    private int receiveFromBatch(RxFrame frame) {
        if (batchNext < 0) {
            int n = socket.receive(rx);
            keepFirstError(n);
            batchSize = Math.max(n, 0);
            batchNext = 0;
        }
        if (batchNext == batchSize) {
            batchNext = -1; // the next turn receives anew
            return NONE;
        }
        int k = batchNext++;
        take(frame, rx.buffer(), rx.frameOffset(k), rx.frameLength(k));
        return FRAME;
    }

    /**
     * Frames are read in place from the ring's blocks; a block goes back to the kernel when the next frame is asked
     * for past its end, since by then every copy of its frames is queued.
     */
    private int receiveFromRing(RxFrame frame) {
        while (true) {
            if (inBlock && ring.nextFrame()) {
                take(frame, ring.memory(), ring.frameOffset(), ring.frameLength());
                return FRAME;
            }
            if (inBlock) {
                ring.releaseBlock();
                inBlock = false;
                turnBlocks++;
            }
            if (turnBlocks < BLOCKS_PER_TURN && ring.nextBlock()) {
                inBlock = true;
                continue;
            }
            if (turnBlocks == 0) { // woken with nothing to read: an error, such as the link going down (counted)
                keepFirstError(socket.takePendingError());
            }
            turnBlocks = 0;
            return NONE;
        }
    }

    /** Keeps the first receive error ({@code -errno}) for the notice that reports it. */
    private void keepFirstError(int result) {
        if (result < 0 && receiveErrno == 0) {
            receiveErrno = -result;
        }
    }

    private void take(RxFrame frame, MemorySegment buffer, long at, int length) {
        if (vnet == 0) {
            frame.local(buffer, at, length);
        } else {
            offload.read(buffer, at - vnet);
            frame.local(buffer, at, length, offload);
        }
    }

    @Override
    public void attach(Backpressure backpressure) {
        tx.attach(backpressure, this);
    }

    @Override
    public void send(ForwardingDecision d, int i, Offload offload, long now) {
        if (vnet == 0) {
            software.queue(d, i, offload, tx, reserve);
        } else {
            SoftwareOffload.queueWithHeader(d, i, offload, tx, reserve);
        }
    }

    private long reserve(int length) {
        if (length > maxFrame + vnet) {
            oversize++; // a tag pushed onto a frame already at the MTU: the interface would refuse it
            return -1;
        }
        long at = tx.reserve(length);
        if (at < 0) {
            queueFull++;
        }
        return at;
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
                int r = socket.write(tx.buffer(), tx.frameOffset(k), tx.frameLength(k));
                if (r <= 0) {
                    refused++;
                    if (r == -Errno.ENXIO || r == -Errno.ENETDOWN) {
                        sendSawLinkError = true;
                    }
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
        long downs = socket.counters().get(IoCounter.RX_LINK_DOWN);
        if (state == LinkState.UP && downs == linkDownsSeen && !sendSawLinkError) {
            return state;
        }
        linkDownsSeen = downs;
        sendSawLinkError = false;
        if (state != LinkState.GONE) {
            state = InterfaceControl.linkState(socket.ifindex());
        }
        return state;
    }

    @Override
    public long txQueueFull() {
        return queueFull;
    }

    @Override
    public long txRefused() {
        return oversize + refused + software.refused();
    }

    /** Once per kind of receive drop: what it is and what to change, with the count so far. */
    @Override
    public String takeNotice() {
        IoCounters c = socket.counters();
        for (int i = 0; i < REFUSALS.length; i++) {
            long n = c.get(REFUSALS[i]);
            if (n > 0 && !noticed[i]) {
                noticed[i] = true;
                String what = REFUSALS[i].description().replace("DEV", socket.interfaceName());
                return (REFUSALS[i] == IoCounter.RX_ERRORS && receiveErrno != 0
                    ? what + ": " + Errno.describe(receiveErrno) : what)
                    + " (" + n + " so far, counted in rx_refused; said once)";
            }
        }
        return null;
    }

    @Override
    public long rxRefused() {
        IoCounters c = socket.counters();
        return c.get(IoCounter.RX_OVERSIZE_DROPS) + c.get(IoCounter.RX_PARTIAL_CHECKSUM_DROPS)
            + c.get(IoCounter.RX_LRO_DROPS) + c.get(IoCounter.RX_ERRORS);
    }

    @Override
    public long superFramesCut() {
        return software.superFrames();
    }

    @Override
    public long segmentsFromCuts() {
        return software.segments();
    }

    @Override
    public String describe() {
        return "interface " + socket.interfaceName() + " (mtu " + socket.mtu()
            + (ring == null ? "" : ", rx ring " + ring.blocks() + " x " + ring.blockSize() / 1024 + " KiB")
            + (vnet == 0 ? ")" : ", offload: vnet header)");
    }

    @Override
    public void close() {
        socket.close();
        if (rx != null) {
            rx.close();
        }
        tx.close();
        software.close();
    }
}
