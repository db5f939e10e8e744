package io.vxswitch.packet;

/**
 * Why a frame could not be parsed. Parsers return one of these instead of throwing: the forwarding
 * path counts the frame as dropped with this reason and moves on.
 */
public enum Malformation {
    NONE("ok"),
    RUNT("shorter than an Ethernet header (14 bytes)"),
    TRUNCATED_VLAN_TAG("802.1Q tag cut short"),
    TRUNCATED_SERVICE_TAG("802.1ad tag cut short"),
    RESERVED_VID("802.1Q VID 4095 is reserved"),
    TRUNCATED_ARP("ARP shorter than 28 bytes"),
    BAD_ARP("ARP not Ethernet/IPv4"),
    TRUNCATED_IPV4("IPv4 header cut short"),
    BAD_IPV4_VERSION("IPv4 version field is not 4"),
    BAD_IPV4_IHL("IPv4 header length below 20 bytes"),
    BAD_IPV4_LENGTH("IPv4 total length disagrees with the frame"),
    TRUNCATED_IPV6("IPv6 header cut short"),
    BAD_IPV6_VERSION("IPv6 version field is not 6"),
    BAD_IPV6_LENGTH("IPv6 payload length exceeds the frame"),
    TRUNCATED_ICMP("ICMP header cut short"),
    TRUNCATED_UDP("UDP header cut short"),
    BAD_UDP_LENGTH("UDP length disagrees with the packet");

    private final String description;

    Malformation(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }

    /** Lower-case name used in counters and metrics, e.g. {@code truncated_vlan_tag}. */
    public String counterName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
