package io.vxswitch.ipfix;

/**
 * One flow as it is exported: what {@link IpfixMessageWriter} writes into a data record. Mutable and reused by the
 * exporter (one per exporter); MACs as longs, IPv4 addresses in the low 32 bits of {@code srcIpLow}/{@code dstIpLow},
 * IPv6 addresses as two big-endian halves.
 */
public final class FlowRecord {
    /** What the frames carried, which picks the template. */
    public enum Kind { L2, IPV4, IPV6 }

    /** No VNI: the flow stayed on local ports. */
    public static final int NO_VNI = -1;

    public Kind kind = Kind.L2;
    public long srcMac;
    public long dstMac;
    public int vlan;
    /** IPFIX interface indexes (switch port id + 1; 0: none, or several for egress). */
    public int ingressInterface;
    public int egressInterface;
    /** The VXLAN VNI of a flow from or into a tunnel, or {@link #NO_VNI}. */
    public int vni = NO_VNI;
    public long packets;
    /** Frame bytes (layer2OctetDeltaCount). */
    public long layer2Octets;
    /** IP bytes, header included (octetDeltaCount): IPv4 total length, IPv6 40 + payload length. */
    public long octets;
    public long startMillis;
    public long endMillis;
    public FlowEndReason endReason = FlowEndReason.IDLE_TIMEOUT;
    public int protocol;
    public int srcPort;
    public int dstPort;
    public long srcIpHigh;
    public long srcIpLow;
    public long dstIpHigh;
    public long dstIpLow;
}
