package io.vxswitch.ipfix;

/**
 * The IANA IPFIX Information Elements vxswitch exports (RFC 7012's registry; the layer-2 ones from RFC 7133), each
 * with its id and the length it is sent with. All are IANA's own (enterprise bit clear), all fixed length.
 */
public enum InformationElement {
    OCTET_DELTA_COUNT(1, 8),
    PACKET_DELTA_COUNT(2, 8),
    PROTOCOL_IDENTIFIER(4, 1),
    SOURCE_TRANSPORT_PORT(7, 2),
    SOURCE_IPV4_ADDRESS(8, 4),
    INGRESS_INTERFACE(10, 4),
    DESTINATION_TRANSPORT_PORT(11, 2),
    DESTINATION_IPV4_ADDRESS(12, 4),
    EGRESS_INTERFACE(14, 4),
    SOURCE_IPV6_ADDRESS(27, 16),
    DESTINATION_IPV6_ADDRESS(28, 16),
    SOURCE_MAC_ADDRESS(56, 6),
    VLAN_ID(58, 2),
    DESTINATION_MAC_ADDRESS(80, 6),
    FLOW_END_REASON(136, 1),
    FLOW_START_MILLISECONDS(152, 8),
    FLOW_END_MILLISECONDS(153, 8),
    LAYER2_SEGMENT_ID(351, 8),
    LAYER2_OCTET_DELTA_COUNT(352, 8);

    private final int id;
    private final int length;

    InformationElement(int id, int length) {
        this.id = id;
        this.length = length;
    }

    public int id() {
        return id;
    }

    public int length() {
        return length;
    }
}
