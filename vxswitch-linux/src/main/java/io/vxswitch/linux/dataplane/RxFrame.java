package io.vxswitch.linux.dataplane;

import io.vxswitch.packet.offload.Offload;

import java.lang.foreign.MemorySegment;

/**
 * One received frame as a device hands it to its {@link ForwardingAgent}: where its bytes are, what it still needs
 * ({@link Offload}: a checksum, cutting into segments), and for a frame out of a tunnel, the remote VTEP and VLAN it
 * came with. One per agent, filled by {@link PortDevice#receive} and valid until the device's next receive: a frame
 * is read in place, never copied on its way in.
 */
final class RxFrame {
    /** {@link #remote} of a frame that did not come out of a tunnel. */
    static final int LOCAL = -1;

    /** What a frame from a device without offloads needs: nothing. Never written. */
    private static final Offload FINISHED = new Offload();

    MemorySegment segment;
    long offset;
    int length;
    Offload offload;
    /** The remote VTEP id the frame came from, or {@link #LOCAL}. */
    int remote;
    /** For a frame out of a tunnel: the VLAN its VNI maps to. */
    int vlan;

    /** A frame received on a local port: a tap, an interface. */
    void local(MemorySegment segment, long offset, int length, Offload offload) {
        this.segment = segment;
        this.offset = offset;
        this.length = length;
        this.offload = offload;
        this.remote = LOCAL;
    }

    /** A frame received on a local port that needs nothing more. */
    void local(MemorySegment segment, long offset, int length) {
        local(segment, offset, length, FINISHED);
    }

    /** An inner frame decapsulated from VTEP {@code remote}, in {@code vlan}. */
    void fromTunnel(MemorySegment segment, long offset, int length, Offload offload, int remote, int vlan) {
        local(segment, offset, length, offload);
        this.remote = remote;
        this.vlan = vlan;
    }

    /** The same for a frame that needs nothing more. */
    void fromTunnel(MemorySegment segment, long offset, int length, int remote, int vlan) {
        fromTunnel(segment, offset, length, FINISHED, remote, vlan);
    }
}
