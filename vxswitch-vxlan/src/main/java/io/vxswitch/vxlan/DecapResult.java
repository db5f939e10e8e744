package io.vxswitch.vxlan;

import io.vxswitch.packet.EtherType;

/**
 * What the decapsulator found in one packet. One instance is reused for every packet: each call overwrites
 * every field. The inner fields are valid only when the call returned {@link VxlanDrop#NONE}; the outer
 * fields only for whole frames ({@link #hasOuter()}), since a socket reports the sender itself.
 */
public final class DecapResult {
    long innerOffset;
    int innerLength;
    int vni;
    int vlan;
    int innerEtherType;
    boolean hasOuter;
    long outerSrcHigh;
    long outerSrcLow;
    int outerSrcPort;
    /** The UDP payload (VXLAN header onwards) found by {@link OuterHeaders}. */
    long udpPayloadOffset;
    int udpPayloadLength;

    void reset() {
        innerOffset = 0;
        innerLength = 0;
        vni = 0;
        vlan = VniMap.NONE;
        innerEtherType = 0;
        hasOuter = false;
        outerSrcHigh = 0;
        outerSrcLow = 0;
        outerSrcPort = 0;
        udpPayloadOffset = 0;
        udpPayloadLength = 0;
    }

    /** Offset of the inner Ethernet frame in the buffer. */
    public long innerOffset() {
        return innerOffset;
    }

    public int innerLength() {
        return innerLength;
    }

    public int vni() {
        return vni;
    }

    /** The VLAN the VNI carries on this switch. */
    public int vlan() {
        return vlan;
    }

    /** The inner frame's EtherType field (0x8100 if it kept a VLAN tag). */
    public int innerEtherType() {
        return innerEtherType;
    }

    /**
     * True if the inner frame carries an 802.1Q tag. RFC 7348 §6.1: such frames SHOULD be discarded unless
     * configured otherwise; the forwarding plane decides, so the decapsulator only reports it.
     */
    public boolean innerTagged() {
        return innerEtherType == EtherType.VLAN;
    }

    /** True if a whole frame was decapsulated and the outer source below is known. */
    public boolean hasOuter() {
        return hasOuter;
    }

    /** Outer source address, {@link VtepAddress} form (IPv4-mapped for IPv4): the remote VTEP to learn. */
    public long outerSrcHigh() {
        return outerSrcHigh;
    }

    public long outerSrcLow() {
        return outerSrcLow;
    }

    public boolean outerIpv4() {
        return VtepAddress.isIpv4(outerSrcHigh, outerSrcLow);
    }

    /** Outer source as a value; allocates, for the control plane and tests. */
    public VtepAddress outerSource() {
        return new VtepAddress(outerSrcHigh, outerSrcLow);
    }

    /** Outer UDP source port: the sender's flow hash, never the port to answer to (that is the VXLAN port). */
    public int outerSrcPort() {
        return outerSrcPort;
    }
}
