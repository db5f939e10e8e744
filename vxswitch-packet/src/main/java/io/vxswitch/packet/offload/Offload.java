package io.vxswitch.packet.offload;

import java.lang.foreign.MemorySegment;

/**
 * What one frame still needs before it can go on a wire, as a {@link VirtioNetHeader} said when it was read:
 * nothing (a plain frame), a checksum to fill in, or cutting into segments. One mutable instance per reader, filled
 * for each frame it reads, so the data path allocates nothing.
 *
 * <p>Offsets count from the first byte of the Ethernet header of the frame as it was read; a copy with a VLAN tag
 * pushed or popped moves them by the difference ({@link #writeHeader}'s {@code shift}).
 */
public final class Offload {
    private int flags;
    private int gsoType;
    private int hdrLen;
    private int gsoSize;
    private int csumStart;
    private int csumOffset;

    /** A plain frame. */
    public void clear() {
        flags = 0;
        gsoType = VirtioNetHeader.GSO_NONE;
        hdrLen = 0;
        gsoSize = 0;
        csumStart = 0;
        csumOffset = 0;
    }

    /** Takes what the header at {@code at} says. */
    public void read(MemorySegment s, long at) {
        flags = VirtioNetHeader.flags(s, at);
        gsoType = VirtioNetHeader.gsoType(s, at);
        hdrLen = VirtioNetHeader.hdrLen(s, at);
        gsoSize = VirtioNetHeader.gsoSize(s, at);
        csumStart = VirtioNetHeader.csumStart(s, at);
        csumOffset = VirtioNetHeader.csumOffset(s, at);
    }

    /** Sets the fields directly (tests, and frames built in the lab). */
    public void set(int flags, int gsoType, int hdrLen, int gsoSize, int csumStart, int csumOffset) {
        this.flags = flags;
        this.gsoType = gsoType;
        this.hdrLen = hdrLen;
        this.gsoSize = gsoSize;
        this.csumStart = csumStart;
        this.csumOffset = csumOffset;
    }

    /**
     * Writes the header for a copy of the frame whose headers moved by {@code shift} bytes (+4 for a tag pushed,
     * -4 for one popped).
     */
    public void writeHeader(MemorySegment s, long at, int shift) {
        if (isPlain()) {
            VirtioNetHeader.writeNone(s, at);
            return;
        }
        boolean partial = needsChecksum();
        VirtioNetHeader.write(s, at, flags, gsoType, hdrLen == 0 ? 0 : hdrLen + shift, gsoSize,
            partial ? csumStart + shift : csumStart, csumOffset);
    }

    /** True if the frame is ready for any wire: no checksum to fill in, no segments to cut. */
    public boolean isPlain() {
        return (flags & VirtioNetHeader.F_NEEDS_CSUM) == 0 && gsoType == VirtioNetHeader.GSO_NONE;
    }

    public boolean needsChecksum() {
        return (flags & VirtioNetHeader.F_NEEDS_CSUM) != 0;
    }

    public boolean isSegmented() {
        return gsoType != VirtioNetHeader.GSO_NONE;
    }

    /** The GSO type without the ECN bit. */
    public int gsoType() {
        return gsoType & ~VirtioNetHeader.GSO_ECN;
    }

    /** True if the super-frame has TCP's CWR set and ECN was negotiated ({@link VirtioNetHeader#GSO_ECN}). */
    public boolean ecn() {
        return (gsoType & VirtioNetHeader.GSO_ECN) != 0;
    }

    public int gsoSize() {
        return gsoSize;
    }

    public int csumStart() {
        return csumStart;
    }

    public int csumOffset() {
        return csumOffset;
    }

    @Override
    public String toString() {
        return isPlain() ? "plain" : "flags " + flags + " gso " + gsoType + "/" + gsoSize + " csum "
            + csumStart + "+" + csumOffset;
    }
}
