package io.vxswitch.ipfix;

/**
 * The IANA IPFIX Information Elements vxswitch exports (RFC 7012's registry; the layer-2 ones from RFC 7133, the
 * selector's from PSAMP, RFC 5477), each with its id and the length it is sent with. All are IANA's own (enterprise
 * bit clear), all fixed length. The flow records use those up to layer2OctetDeltaCount; the sampling report's options
 * records ({@link IpfixOptionsTemplate}) the rest.
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
    LAYER2_OCTET_DELTA_COUNT(352, 8),
    /** unsigned32; NetFlow v9's sampling interval (IANA marks it deprecated for 305/306, collectors still read it). */
    SAMPLING_INTERVAL(34, 4),
    /** unsigned32, the scope of a record about the whole observation domain (RFC 7011 §4). */
    OBSERVATION_DOMAIN_ID(149, 4),
    /** unsigned64, the scope of a Selector Report Interpretation (RFC 5476 §6.5.2.1). */
    SELECTOR_ID(302, 8),
    /** unsigned16, IANA's PSAMP selector algorithm: 1 is systematic count-based sampling. */
    SELECTOR_ALGORITHM(304, 2),
    /** unsigned32, packets selected in a row (systematic count-based sampling, RFC 5475 §5.1). */
    SAMPLING_PACKET_INTERVAL(305, 4),
    /** unsigned32, packets not selected between two intervals. */
    SAMPLING_PACKET_SPACE(306, 4);

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
