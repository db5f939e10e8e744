package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * What the layer-2 parser found in one frame. One instance is reused for every frame a poll loop or
 * the lab handles: {@link FrameParser#parse} overwrites every field, so nothing leaks between frames. Padded
 * ({@link ParseResultPadding}): each forwarding thread writes its own, once per frame.
 */
public final class FrameMeta extends ParseResultPadding {
    /** {@link #vid} of a frame that carries no 802.1Q C-tag. */
    public static final int UNTAGGED = -1;

    MemorySegment segment;
    long offset;
    int length;
    long dst;
    long src;
    int vid;
    int pcp;
    boolean serviceTagged;
    int serviceVid;
    int etherType;
    int payloadOffset;

    /** The buffer holding the frame. */
    public MemorySegment segment() {
        return segment;
    }

    /** Offset of the first byte (destination MAC) in {@link #segment()}. */
    public long offset() {
        return offset;
    }

    public int length() {
        return length;
    }

    /**
     * Makes the frame look {@code length} bytes long (its headers stay whole: at least 60 bytes): how a truncated
     * mirror copy is written, after every other copy of the frame, so that writing the others costs nothing more.
     */
    public void setLength(int length) {
        this.length = length;
    }

    public long dst() {
        return dst;
    }

    public long src() {
        return src;
    }

    /** True if the outermost tag is an 802.1Q C-tag (TPID 0x8100), including priority tags with VID 0. */
    public boolean tagged() {
        return vid != UNTAGGED;
    }

    /** VID of the outer 802.1Q C-tag, 0 for a priority tag, or {@link #UNTAGGED}. */
    public int vid() {
        return vid;
    }

    public int pcp() {
        return pcp;
    }

    /**
     * True if the outermost tag is an 802.1ad S-tag (QinQ). The switch carries such frames as untagged
     * payload (like an 802.1Q tunnel port): the S-tag is not a VLAN of this switch.
     */
    public boolean serviceTagged() {
        return serviceTagged;
    }

    public int serviceVid() {
        return serviceVid;
    }

    /** EtherType after the C-tag, if any (for a QinQ frame, the S-tag TPID). */
    public int etherType() {
        return etherType;
    }

    /** Offset of the layer-3 header from the start of the frame: 14, or 18 behind a C-tag. */
    public int payloadOffset() {
        return payloadOffset;
    }

    /** Offset of the layer-3 header in {@link #segment()}. */
    public long payloadPosition() {
        return offset + payloadOffset;
    }

    public int payloadLength() {
        return length - payloadOffset;
    }
}
