package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.Segmenter;
import io.vxswitch.packet.offload.VirtioNetHeader;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.IntToLongFunction;

/**
 * For a port whose wire takes only finished frames (a packet socket, the VXLAN underlay, a tap without the vnet
 * header): turns a copy the switch sent it from a tap with offloads into finished frames, a TCP super-frame into its
 * segments. The copy is written (tag pushed or popped) into a scratch buffer first, then cut from there.
 */
final class SoftwareOffload implements AutoCloseable {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(VirtioNetHeader.MAX_SUPER_FRAME, 64);
    private final Segmenter segmenter = new Segmenter();
    private long refused;
    private long superFrames;
    private long segments;

    /**
     * Writes copy {@code i} of {@code d} into the scratch buffer and reads its headers.
     *
     * @return the finished frames it becomes, or 0 if it cannot be finished (counted in {@link #refused})
     */
    int prepare(ForwardingDecision d, int i, Offload offload) {
        int length = d.egressLength(i);
        if (length > VirtioNetHeader.MAX_SUPER_FRAME) {
            refused++;
            return 0;
        }
        int written = d.writeEgress(i, scratch, 0);
        int n = segmenter.prepare(scratch, 0, written, offload, written - d.frame().length());
        if (n == 0) {
            refused++;
        } else if (offload.isSegmented()) {
            superFrames++;
            segments += n;
        }
        return n;
    }

    /**
     * Queues copy {@code i} of {@code d} on {@code tx} whole, behind a vnet header saying what is left to do, for a
     * device whose kernel finishes it (a tap with offloads, a packet socket with {@code PACKET_VNET_HDR}).
     */
    static void queueWithHeader(ForwardingDecision d, int i, Offload offload, FrameQueue tx,
                                IntToLongFunction reserve) {
        int length = d.egressLength(i);
        long at = reserve.applyAsLong(VirtioNetHeader.LENGTH + length);
        if (at >= 0) {
            offload.writeHeader(tx.buffer(), at, length - d.frame().length()); // a tag pushed or popped moves offsets
            tx.commit(VirtioNetHeader.LENGTH + d.writeEgress(i, tx.buffer(), at + VirtioNetHeader.LENGTH));
        }
    }

    /**
     * Queues copy {@code i} of {@code d} on {@code tx} as the frames a wire without offloads takes: the copy itself
     * if it needs nothing, else its finished frames. {@code reserve} is the port's own, which counts what does not
     * fit; a frame it gives no room for is left out.
     */
    void queue(ForwardingDecision d, int i, Offload offload, FrameQueue tx, IntToLongFunction reserve) {
        if (offload.isPlain()) {
            long at = reserve.applyAsLong(d.egressLength(i));
            if (at >= 0) {
                tx.commit(d.writeEgress(i, tx.buffer(), at));
            }
            return;
        }
        int n = prepare(d, i, offload);
        for (int k = 0; k < n; k++) {
            long at = reserve.applyAsLong(length(k));
            if (at >= 0) {
                tx.commit(write(k, tx.buffer(), at));
            }
        }
    }

    /** Length of finished frame {@code k}. */
    int length(int k) {
        return segmenter.length(k);
    }

    /** Writes finished frame {@code k} at {@code dst[at]}; returns its length. */
    int write(int k, MemorySegment dst, long at) {
        return segmenter.write(k, dst, at);
    }

    /** Copies that could not be finished (a malformed super-frame, an offload type not enabled). */
    long refused() {
        return refused;
    }

    /** Super-frames cut into segments here, and the segments they became. */
    long superFrames() {
        return superFrames;
    }

    long segments() {
        return segments;
    }

    @Override
    public void close() {
        arena.close();
    }
}
