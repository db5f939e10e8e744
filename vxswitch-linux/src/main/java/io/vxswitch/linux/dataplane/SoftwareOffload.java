package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.Segmenter;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * For a port whose wire takes only finished frames (a packet socket, the VXLAN underlay, a tap without the vnet
 * header): turns a copy the switch sent it from a tap with offloads into finished frames, a TCP super-frame into its
 * segments. The copy is written (tag pushed or popped) into a scratch buffer first, then cut from there.
 */
final class SoftwareOffload implements AutoCloseable {
    /** The largest frame a tap with TSO hands over: a 64 KiB IP packet, an Ethernet header and two tags. */
    static final int MAX_SUPER_FRAME = 65_535 + 14 + 8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment scratch = arena.allocate(MAX_SUPER_FRAME, 64);
    private final Segmenter segmenter = new Segmenter();
    private long refused;
    private long superFrames;
    private long segments;
    private volatile String lastFailure;

    /**
     * Writes copy {@code i} of {@code d} into the scratch buffer and reads its headers.
     *
     * @return the finished frames it becomes, or 0 if it cannot be finished (counted in {@link #refused})
     */
    int prepare(ForwardingDecision d, int i, Offload offload) {
        int length = d.egressLength(i);
        if (length > MAX_SUPER_FRAME) {
            refused++;
            return 0;
        }
        int written = d.writeEgress(i, scratch, 0);
        int n = segmenter.prepare(scratch, 0, written, offload, written - d.frame().length());
        if (n == 0) {
            refused++;
            lastFailure = segmenter.failure();
        } else if (offload.isSegmented()) {
            superFrames++;
            segments += n;
        }
        return n;
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

    /** Why the last refused copy was refused, for diagnostics; null if none was. */
    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() {
        arena.close();
    }
}
