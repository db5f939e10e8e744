package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EthernetSegment;
import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.OpaqueEvpnRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * EVPN NLRI (RFC 7432 §7): route type, length, then the type's fields. Errors are "Optional Attribute Error" (RFC
 * 4760 §7: the NLRI sits in MP_REACH / MP_UNREACH, optional attributes) and say which field is wrong.
 */
final class EvpnNlriCodec {
    private EvpnNlriCodec() {
    }

    static List<EvpnRoute> readAll(WireReader r) {
        List<EvpnRoute> routes = new ArrayList<>();
        RouteDistinguisher[] lastRd = new RouteDistinguisher[1]; // the routes of one UPDATE mostly share their RD
        while (r.hasRemaining()) {
            int type = r.u8();
            int length = r.u8();
            WireReader body = r.slice(length, NotificationCodes.UPDATE_MESSAGE, NotificationCodes.OPTIONAL_ATTRIBUTE_ERROR,
                    "EVPN type-" + type + " NLRI");
            routes.add(switch (type) {
                case EvpnRoute.MAC_IP_ADVERTISEMENT -> macIp(body, lastRd);
                case EvpnRoute.INCLUSIVE_MULTICAST -> inclusiveMulticast(body, lastRd);
                default -> new OpaqueEvpnRoute(type, body.bytes(length));
            });
        }
        return routes;
    }

    private static MacIpRoute macIp(WireReader r, RouteDistinguisher[] lastRd) {
        RouteDistinguisher rd = shared(rd(r), lastRd);
        long esiHigh = r.i64();
        int esiLow = r.u16();
        EthernetSegment esi = esiHigh == 0 && esiLow == 0 ? EthernetSegment.SINGLE_HOMED
                : new EthernetSegment(esiHigh, esiLow);
        long tag = r.u32();
        int macBits = r.u8();
        if (macBits != 48) {
            throw r.error("MAC address length " + macBits + " bits, RFC 7432 §7.2 says 48");
        }
        long mac = r.u48();
        InetAddress ip = address(r, r.u8(), true);
        int label1 = r.u24();
        int label2 = -1;
        if (r.remaining() == 3) {
            label2 = r.u24();
        }
        if (r.hasRemaining()) {
            throw r.error(r.remaining() + " bytes after the labels");
        }
        return new MacIpRoute(rd, esi, tag, mac, ip, label1, label2);
    }

    private static InclusiveMulticastRoute inclusiveMulticast(WireReader r, RouteDistinguisher[] lastRd) {
        RouteDistinguisher rd = shared(rd(r), lastRd);
        long tag = r.u32();
        InetAddress originator = address(r, r.u8(), false);
        if (r.hasRemaining()) {
            throw r.error(r.remaining() + " bytes after the originating router's address");
        }
        return new InclusiveMulticastRoute(rd, tag, originator);
    }

    /** The previous route's RD when equal: 100,000 routes held need not hold 100,000 copies of a few RDs. */
    private static RouteDistinguisher shared(RouteDistinguisher rd, RouteDistinguisher[] last) {
        if (rd.equals(last[0])) {
            return last[0];
        }
        last[0] = rd;
        return rd;
    }

    static RouteDistinguisher rd(WireReader r) {
        return new RouteDistinguisher(r.u16(), r.u48());
    }

    private static InetAddress address(WireReader r, int bits, boolean optional) {
        if (bits == 0 && optional) {
            return null;
        }
        if (bits != 32 && bits != 128) {
            throw r.error("IP address length " + bits + " bits (32 or 128" + (optional ? ", or 0" : "") + " expected)");
        }
        try {
            return InetAddress.getByAddress(r.bytes(bits / 8));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a length other than 4 or 16
        }
    }

    static void write(WireWriter w, EvpnRoute route) {
        w.u8(route.routeType());
        int lengthAt = w.position();
        w.u8(0);
        switch (route) {
            case MacIpRoute m -> {
                writeRd(w, m.rd());
                w.i64(m.esi().high()).u16(m.esi().low()).u32(m.ethernetTag()).u8(48).u48(m.mac());
                writeAddress(w, m.ip());
                w.u24(m.label1());
                if (m.label2() >= 0) {
                    w.u24(m.label2());
                }
            }
            case InclusiveMulticastRoute i -> {
                writeRd(w, i.rd());
                w.u32(i.ethernetTag());
                writeAddress(w, i.originator());
            }
            case OpaqueEvpnRoute o -> w.bytes(o.value());
        }
        w.patch8(lengthAt, w.position() - lengthAt - 1);
    }

    static void writeRd(WireWriter w, RouteDistinguisher rd) {
        w.u16(rd.type()).u48(rd.value());
    }

    private static void writeAddress(WireWriter w, InetAddress ip) {
        if (ip == null) {
            w.u8(0);
            return;
        }
        w.u8(ip instanceof Inet4Address ? 32 : 128).bytes(ip.getAddress());
    }

    /** The bytes {@code route} takes in an MP_REACH / MP_UNREACH: what an UPDATE packer sums to stay under 4096. */
    static int length(EvpnRoute route) {
        return 2 + switch (route) {
            case MacIpRoute m -> 33 + (m.ip() == null ? 0 : m.ip().getAddress().length) + (m.label2() >= 0 ? 3 : 0);
            case InclusiveMulticastRoute i -> 13 + i.originator().getAddress().length;
            case OpaqueEvpnRoute o -> o.value().length;
        };
    }
}
