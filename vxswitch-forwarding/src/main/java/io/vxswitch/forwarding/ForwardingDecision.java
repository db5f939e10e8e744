package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;

import java.lang.foreign.MemorySegment;

/**
 * The outcome of {@link Switch#forward}: dropped with a reason, or a set of egress ports, each with
 * the VLAN tag the frame leaves with. One instance is reused for every frame; the driver sends the
 * copies with {@link #writeEgress} before handing the next frame to the switch.
 */
public final class ForwardingDecision extends LanePadding {
    /** Unused leading elements of the egress arrays (see {@link LanePadding}). */
    private static final int PAD = LanePadding.INTS;

    final FrameMeta frame = new FrameMeta();
    final int[] egressPorts;
    final int[] egressTags;
    final int[] egressRemotes;
    /**
     * Per mirror copy, the most bytes it is sent with ({@link #WHOLE}: no truncation); nothing for a forwarded copy.
     * A truncated copy is written by cutting the frame itself ({@link #prepareMirrorCopy}) once the forwarded copies
     * are written, so that {@link #egressLength} and {@link #writeEgress} do for a forwarded copy exactly what they
     * did before mirroring existed: a limit per copy, stored and applied to every copy, cost the decision of a known
     * unicast frame 14 instructions (bench/jmh-instructions), 3 % of it.
     */
    final int[] egressLimits;
    /** The frame's length as received, once a mirror copy is added (a prepared mirror copy cuts it). */
    int wholeLength;
    int egressCount;
    /** How many of the copies, at the end, are mirror copies (0 without mirror sessions). */
    int mirrorCopies;
    int vlan;
    DropReason dropReason;

    public ForwardingDecision(int maxPorts) {
        int copies = maxPorts + Switch.MAX_REMOTE_MIRRORS; // a flood to every port, and a copy per ERSPAN session
        egressPorts = new int[PAD + copies];
        egressTags = new int[PAD + copies];
        egressRemotes = new int[PAD + copies];
        egressLimits = new int[PAD + copies];
    }

    void reset() {
        egressCount = 0;
        mirrorCopies = 0;
        vlan = -1;
        dropReason = null;
    }

    void addEgress(int port, int tag, int remote) {
        egressPorts[PAD + egressCount] = port;
        egressTags[PAD + egressCount] = tag;
        egressRemotes[PAD + egressCount] = remote;
        egressCount++;
    }

    /** Adds a mirror copy, after every forwarded copy, sent with at most {@code limit} bytes. */
    void addMirrorCopy(int port, int tag, int limit) {
        if (mirrorCopies == 0) {
            wholeLength = frame.length();
        }
        egressPorts[PAD + egressCount] = port;
        egressTags[PAD + egressCount] = tag;
        egressRemotes[PAD + egressCount] = FLOOD;
        egressLimits[PAD + egressCount] = limit;
        egressCount++;
        mirrorCopies++;
    }

    /**
     * Adds a mirror copy for ERSPAN session slot {@code slot} ({@link Mirror#remoteSlot}), after every forwarded copy,
     * sent with at most {@code limit} bytes; {@code egress} says it was taken as the switch sent the frame.
     */
    void addRemoteMirrorCopy(int slot, boolean egress, int tag, int limit) {
        addMirrorCopy(REMOTE_MIRROR, tag, limit);
        egressRemotes[PAD + egressCount - 1] = slot << 1 | (egress ? 1 : 0);
    }

    /** Moves copy {@code from} to place {@code to} (at most {@code from}): how a pass drops copies in place. */
    void moveEgress(int from, int to) {
        if (from != to) {
            egressPorts[PAD + to] = egressPorts[PAD + from];
            egressTags[PAD + to] = egressTags[PAD + from];
            egressRemotes[PAD + to] = egressRemotes[PAD + from];
        }
    }

    /** The parsed ingress frame. */
    public FrameMeta frame() {
        return frame;
    }

    /**
     * True if the frame is not forwarded; {@link #dropReason()} says why. A dropped frame may still have mirror copies
     * (a session mirroring what a port sends sees a frame the switch then finds no port for): the copies from
     * {@link #forwardedCount()} on.
     */
    public boolean dropped() {
        return dropReason != null;
    }

    public DropReason dropReason() {
        return dropReason;
    }

    /** The VLAN the switch put the frame in, or -1 if it was dropped before classification. */
    public int vlan() {
        return vlan;
    }

    /** Every copy: the forwarded ones, then the mirror copies. */
    public int egressCount() {
        return egressCount;
    }

    /** The forwarded copies, the first of {@link #egressCount()}; the rest are mirror copies. */
    public int forwardedCount() {
        return egressCount - mirrorCopies;
    }

    /** True if copy {@code i} is a mirror copy (for a port that is a mirror session's destination). */
    public boolean isMirrorCopy(int i) {
        return i >= egressCount - mirrorCopies;
    }

    /** True if copy {@code i} is a mirror copy sent shorter than the frame (its session truncates). */
    public boolean isTruncated(int i) {
        return isMirrorCopy(i) && egressLimits[PAD + i] < fullLength(i, wholeLength);
    }

    /** The length mirror copy {@code i} is sent with: its whole length, or its session's truncation. */
    public int mirrorCopyLength(int i) {
        return Math.min(fullLength(i, wholeLength), egressLimits[PAD + i]);
    }

    /**
     * Readies mirror copy {@code i} for {@link #egressLength} and {@link #writeEgress}: cuts the frame to the copy's
     * truncation, or gives it back its whole length. Call it before writing each mirror copy, after writing every
     * forwarded copy (they come first, {@link #forwardedCount()}): the cut frame is what a later copy would see.
     */
    public void prepareMirrorCopy(int i) {
        int tagChange = (egressTags[PAD + i] == VlanPolicy.UNTAGGED ? 0 : Dot1q.LENGTH)
            - (frame.tagged() ? Dot1q.LENGTH : 0);
        int limit = egressLimits[PAD + i];
        frame.setLength(limit == WHOLE ? wholeLength : Math.min(wholeLength, limit - tagChange));
    }

    /** The port copy {@code i} goes to; {@link #REMOTE_MIRROR} for a mirror copy to an ERSPAN collector. */
    public int egressPort(int i) {
        return egressPorts[PAD + i];
    }

    /** {@link #egressPort} of a mirror copy that goes to an ERSPAN collector, not to a port. */
    public static final int REMOTE_MIRROR = -2;

    /** True if copy {@code i} is a mirror copy for an ERSPAN collector ({@link #remoteMirror} says which session). */
    public boolean isRemoteMirror(int i) {
        return egressPorts[PAD + i] == REMOTE_MIRROR;
    }

    /** For an ERSPAN mirror copy: its session's slot ({@link Mirror#remoteSlot}). */
    public int remoteMirror(int i) {
        return egressRemotes[PAD + i] >> 1;
    }

    /** For an ERSPAN mirror copy: true if taken as the switch sent the frame (egress), false as it came in. */
    public boolean remoteMirrorEgress(int i) {
        return (egressRemotes[PAD + i] & 1) != 0;
    }

    /** The 802.1Q VID the i-th copy leaves with, or {@link VlanPolicy#UNTAGGED}. */
    public int egressTag(int i) {
        return egressTags[PAD + i];
    }

    /**
     * For a copy to a tunnel port: the remote VTEP id the destination MAC was learned behind, or
     * {@link #FLOOD} to replicate to the VNI's flood list (head-end replication). {@link #FLOOD} for other ports;
     * meaningless for an ERSPAN mirror copy.
     */
    public int egressRemote(int i) {
        return egressRemotes[PAD + i];
    }

    /** See {@link #egressRemote}. */
    public static final int FLOOD = -1;

    /** Gives the frame back the length a prepared mirror copy cut, for a reader that looks at the copies again. */
    public void restoreWholeFrame() {
        if (mirrorCopies != 0) {
            frame.setLength(wholeLength);
        }
    }

    /** Copies sent whole have this limit. */
    static final int WHOLE = Integer.MAX_VALUE;

    /** Length of the i-th copy as {@link #writeEgress} writes it (a mirror copy: see {@link #prepareMirrorCopy}). */
    public int egressLength(int i) {
        return fullLength(i, frame.length());
    }

    /** Length of the i-th copy of a frame of {@code frameLength} bytes. */
    private int fullLength(int i, int frameLength) {
        int len = frameLength;
        if (frame.tagged()) {
            len -= Dot1q.LENGTH;
        }
        return egressTags[PAD + i] == VlanPolicy.UNTAGGED ? len : len + Dot1q.LENGTH;
    }

    /**
     * Writes the i-th copy into {@code dst}: the ingress frame with its 802.1Q tag pushed, popped or rewritten
     * for the egress port (a mirror copy: see {@link #prepareMirrorCopy}). Priority bits of an ingress tag are kept.
     * Returns the length written.
     */
    public int writeEgress(int i, MemorySegment dst, long dstOffset) {
        MemorySegment src = frame.segment();
        long in = frame.offset();
        int tag = egressTags[PAD + i];
        int headerEnd = frame.tagged() ? Ethernet.HEADER_LENGTH + Dot1q.LENGTH - 2 : Ethernet.TYPE_OFFSET;
        int rest = frame.length() - headerEnd;
        MemorySegment.copy(src, in, dst, dstOffset, Ethernet.TYPE_OFFSET);
        long out = dstOffset + Ethernet.TYPE_OFFSET;
        if (tag != VlanPolicy.UNTAGGED) {
            Dot1q.write(dst, out, EtherType.VLAN, Dot1q.tci(frame.pcp(), false, tag));
            out += Dot1q.LENGTH;
        }
        MemorySegment.copy(src, in + headerEnd, dst, out, rest);
        return (int) (out - dstOffset) + rest;
    }
}
