package io.vxswitch.ipfix;

import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.ipfix.InformationElement.*;

/**
 * The templates vxswitch exports with: layer 2 only, IPv4 and IPv6 flows, each without and with a VXLAN segment
 * (layer2SegmentId), so a record never carries a field that means nothing for it. Ids from 256 (RFC 7011 §3.4.1:
 * 0-255 are set ids). Fixed-length fields only, so a template's records all have one length.
 */
public enum IpfixTemplate {
    L2(256, FlowRecord.Kind.L2, false),
    L2_VXLAN(257, FlowRecord.Kind.L2, true),
    IPV4(258, FlowRecord.Kind.IPV4, false),
    IPV4_VXLAN(259, FlowRecord.Kind.IPV4, true),
    IPV6(260, FlowRecord.Kind.IPV6, false),
    IPV6_VXLAN(261, FlowRecord.Kind.IPV6, true);

    private final int id;
    private final List<InformationElement> fields;
    private final int recordLength;

    IpfixTemplate(int id, FlowRecord.Kind kind, boolean vxlan) {
        this.id = id;
        List<InformationElement> f = new ArrayList<>(List.of(SOURCE_MAC_ADDRESS, DESTINATION_MAC_ADDRESS, VLAN_ID));
        if (vxlan) {
            f.add(LAYER2_SEGMENT_ID);
        }
        switch (kind) {
            case IPV4 -> f.addAll(List.of(SOURCE_IPV4_ADDRESS, DESTINATION_IPV4_ADDRESS));
            case IPV6 -> f.addAll(List.of(SOURCE_IPV6_ADDRESS, DESTINATION_IPV6_ADDRESS));
            case L2 -> {
            }
        }
        if (kind != FlowRecord.Kind.L2) {
            f.addAll(List.of(PROTOCOL_IDENTIFIER, SOURCE_TRANSPORT_PORT, DESTINATION_TRANSPORT_PORT));
        }
        f.addAll(List.of(INGRESS_INTERFACE, EGRESS_INTERFACE, PACKET_DELTA_COUNT, LAYER2_OCTET_DELTA_COUNT));
        if (kind != FlowRecord.Kind.L2) {
            f.add(OCTET_DELTA_COUNT);
        }
        f.addAll(List.of(FLOW_START_MILLISECONDS, FLOW_END_MILLISECONDS, FLOW_END_REASON));
        this.fields = List.copyOf(f);
        this.recordLength = fields.stream().mapToInt(InformationElement::length).sum();
    }

    public int id() {
        return id;
    }

    public List<InformationElement> fields() {
        return fields;
    }

    /** Bytes of one data record. */
    public int recordLength() {
        return recordLength;
    }

    /** Bytes of this template's record in a template set: id, field count, then id and length per field. */
    public int templateLength() {
        return 4 + 4 * fields.size();
    }

    public static IpfixTemplate of(FlowRecord r) {
        boolean vxlan = r.vni != FlowRecord.NO_VNI;
        return switch (r.kind) {
            case L2 -> vxlan ? L2_VXLAN : L2;
            case IPV4 -> vxlan ? IPV4_VXLAN : IPV4;
            case IPV6 -> vxlan ? IPV6_VXLAN : IPV6;
        };
    }
}
