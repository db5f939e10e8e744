package io.vxswitch.bgp.message;

/** An AFI / SAFI pair (RFC 4760). vxswitch speaks L2VPN EVPN; IPv4 unicast is BGP-4's implicit default. */
public record AddressFamily(int afi, int safi) {
    public static final AddressFamily IPV4_UNICAST = new AddressFamily(1, 1);
    /** RFC 7432 §7: AFI 25 (L2VPN), SAFI 70 (EVPN). */
    public static final AddressFamily L2VPN_EVPN = new AddressFamily(25, 70);

    @Override
    public String toString() {
        if (equals(L2VPN_EVPN)) {
            return "l2vpn evpn";
        }
        if (equals(IPV4_UNICAST)) {
            return "ipv4 unicast";
        }
        return "afi " + afi + " safi " + safi;
    }
}
