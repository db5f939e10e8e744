package io.vxswitch.packet;

/** EtherType values the switch and the lab look at (IEEE registry). */
public final class EtherType {
    public static final int IPV4 = 0x0800;
    public static final int ARP = 0x0806;
    /** IEEE 802.1Q customer VLAN tag (C-tag). */
    public static final int VLAN = 0x8100;
    /** IEEE 802.1ad service VLAN tag (S-tag, QinQ). */
    public static final int QINQ = 0x88A8;
    /** Pre-standard QinQ TPID still sent by some gear. */
    public static final int QINQ_LEGACY = 0x9100;
    public static final int IPV6 = 0x86DD;
    /** Values below this are an IEEE 802.3 length, not an EtherType. */
    public static final int MIN_ETHERTYPE = 0x0600;

    private EtherType() {
    }

    public static boolean isServiceTag(int tpid) {
        return tpid == QINQ || tpid == QINQ_LEGACY;
    }

    public static String name(int type) {
        return switch (type) {
            case IPV4 -> "IPv4";
            case ARP -> "ARP";
            case VLAN -> "802.1Q";
            case QINQ -> "802.1ad";
            case QINQ_LEGACY -> "QinQ(0x9100)";
            case IPV6 -> "IPv6";
            default -> type < MIN_ETHERTYPE ? "802.3 length " + type : String.format("0x%04x", type);
        };
    }
}
