package io.vxswitch.bgp.evpn;

import io.vxswitch.packet.MacAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * Type 2, MAC/IP Advertisement (RFC 7432 §7.2): a MAC (and optionally its IP) behind the VTEP in the next hop.
 * For VXLAN (RFC 8365 §5.1.3) {@code label1} is the VNI, all 24 bits of the label field; {@code label2} (the
 * L3 VNI of symmetric IRB) is -1 when absent. {@code ip} is null for a MAC-only route.
 */
public record MacIpRoute(RouteDistinguisher rd, EthernetSegment esi, long ethernetTag, long mac, InetAddress ip,
                         int label1, int label2) implements EvpnRoute {
    public MacIpRoute {
        if ((mac & ~MacAddress.MASK) != 0 || (label1 & ~0xFF_FFFF) != 0 || label2 < -1 || label2 > 0xFF_FFFF
                || (ethernetTag & ~0xFFFF_FFFFL) != 0) {
            throw new IllegalArgumentException("MAC/IP route mac " + mac + " labels " + label1 + "/" + label2);
        }
    }

    /** The route vxswitch originates for a local MAC: single-homed, Ethernet tag 0 (VLAN-based service), label = VNI. */
    public static MacIpRoute of(RouteDistinguisher rd, long mac, InetAddress ip, int vni) {
        return new MacIpRoute(rd, EthernetSegment.SINGLE_HOMED, 0, mac, ip, vni, -1);
    }

    /** The VNI the route's MAC lives in (label 1, RFC 8365 §5.1.3). */
    public int vni() {
        return label1;
    }

    @Override
    public int routeType() {
        return MAC_IP_ADVERTISEMENT;
    }

    @Override
    public Object key() {
        return new Key(rd, ethernetTag, mac, ip);
    }

    /**
     * The same route as {@code o}: the fields {@link #key()} holds (RD, Ethernet tag, MAC, IP), whatever the labels and
     * the ESI, compared without making a key.
     */
    public boolean sameRoute(MacIpRoute o) {
        return mac == o.mac && ethernetTag == o.ethernetTag && rd.equals(o.rd) && Objects.equals(ip, o.ip);
    }

    private record Key(RouteDistinguisher rd, long ethernetTag, long mac, InetAddress ip) {
    }

    /** FRR's notation: {@code [2]:[0]:[48]:[02:00:00:00:00:01]:[32]:[10.0.0.1]}. */
    @Override
    public String toString() {
        String ipPart = ip == null ? "" : ":[" + (ip instanceof Inet4Address ? 32 : 128) + "]:[" + Addresses.format(ip) + "]";
        return "[2]:[" + ethernetTag + "]:[48]:[" + MacAddress.of(mac) + "]" + ipPart + " rd " + rd + " label " + label1
                + (label2 >= 0 ? "/" + label2 : "") + (esi.singleHomed() ? "" : " esi " + esi);
    }
}
