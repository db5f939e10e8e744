package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EthernetSegment;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The type-2 routes in columns: keys found again after growth and removals, copies read back as they were sent. */
class MacIpRoutesTest {
    private static final RouteAttributes ATTRIBUTES = new RouteAttributes(InetAddress.ofLiteral("198.18.0.1"),
            List.of(ExtendedCommunities.routeTarget(65000, 119)), -1, false, null);

    private final MacIpRoutes routes = new MacIpRoutes(2);

    private static MacIpRoute route(int n) {
        // RD, tag and IP vary too, so that keys differing in one field only are told apart
        InetAddress ip = switch (n % 3) {
            case 0 -> null;
            case 1 -> InetAddress.ofLiteral("10.0." + (n >>> 8 & 0xFF) + "." + (n & 0xFF));
            default -> InetAddress.ofLiteral("2001:db8::" + Integer.toHexString(n));
        };
        return new MacIpRoute(RouteDistinguisher.ipv4(0xC612_0000 | n % 7, n % 5), EthernetSegment.SINGLE_HOMED,
                n % 2, 0x0A00_0000_0000L | n / 4, ip, 119, -1);
    }

    @Test
    void aCopyReadsBackAsTheRouteThatWasSent() {
        List<MacIpRoute> sent = List.of(
                new MacIpRoute(RouteDistinguisher.ipv4(0xC000_0201, 2), EthernetSegment.SINGLE_HOMED, 0,
                        MacAddress.parseBits("02:00:00:00:00:01"), null, 119, -1),
                new MacIpRoute(RouteDistinguisher.asn(65000, 4_000_000_000L), new EthernetSegment(0x0011_2233_4455_6677L,
                        0x8899), 0xFFFF_FFFFL, MacAddress.parseBits("fe:ff:ff:ff:ff:ff"),
                        InetAddress.ofLiteral("255.255.255.254"), 0xFF_FFFF, 0xFF_FFFF),
                new MacIpRoute(RouteDistinguisher.asn(4_200_000_000L, 7), EthernetSegment.SINGLE_HOMED, 100,
                        MacAddress.parseBits("02:00:00:00:00:02"), InetAddress.ofLiteral("fe80::1:ff:fe00:2"), 5000, 0));
        for (MacIpRoute r : sent) {
            int id = routes.add(r);
            routes.set(id, 1, r, ATTRIBUTES);
            assertThat(routes.route(id, 1)).isEqualTo(r);
            assertThat(routes.copy(id, 1)).isEqualTo(new ReceivedRoute(r, ATTRIBUTES));
            assertThat(routes.find(r)).isEqualTo(id);
            assertThat(routes.first(id)).isEqualTo(1);
            assertThat(routes.sameCopy(id, 1, r, ATTRIBUTES)).isTrue();
            assertThat(routes.sameCopy(id, 0, r, ATTRIBUTES)).isFalse();
        }
    }

    @Test
    void keysThatDifferInOneFieldAreDifferentRoutes() {
        MacIpRoute r = route(1);
        int id = routes.add(r);
        assertThat(routes.find(new MacIpRoute(RouteDistinguisher.ipv4(0xC612_0001, 2), r.esi(), r.ethernetTag(),
                r.mac(), r.ip(), 119, -1))).isEqualTo(MacIpRoutes.NONE);
        assertThat(routes.find(new MacIpRoute(r.rd(), r.esi(), 7, r.mac(), r.ip(), 119, -1)))
                .isEqualTo(MacIpRoutes.NONE);
        assertThat(routes.find(new MacIpRoute(r.rd(), r.esi(), r.ethernetTag(), r.mac(), null, 119, -1)))
                .isEqualTo(MacIpRoutes.NONE);
        assertThat(routes.find(new MacIpRoute(r.rd(), r.esi(), r.ethernetTag(), r.mac(),
                InetAddress.ofLiteral("::ffff:0:1"), 119, -1))).isEqualTo(MacIpRoutes.NONE);
        // the labels and the ESI are not part of the key (RFC 7432 §7.2)
        assertThat(routes.find(new MacIpRoute(r.rd(), new EthernetSegment(1, 2), r.ethernetTag(), r.mac(), r.ip(),
                120, 5))).isEqualTo(id);
    }

    /** A model (a HashMap) and the table take the same random adds and removes; every key is found where the model says. */
    @Test
    void findsEveryKeyThroughGrowthAndRemovals() {
        Random random = new Random(42);
        Map<MacIpRoute, Integer> model = new HashMap<>();
        List<MacIpRoute> keys = new ArrayList<>();
        for (int n = 0; n < 20_000; n++) {
            keys.add(route(n));
        }
        for (int step = 0; step < 200_000; step++) {
            MacIpRoute r = keys.get(random.nextInt(step < 60_000 ? 20_000 : 3_000));
            Integer id = model.get(r);
            if (id == null) {
                int added = routes.add(r);
                routes.set(added, 0, r, ATTRIBUTES);
                model.put(r, added);
            } else if (random.nextInt(3) == 0) {
                routes.clear(id, 0);
                routes.remove(id);
                model.remove(r);
            }
            if (step % 10_000 == 0 || step == 199_999) {
                assertThat(routes.size()).isEqualTo(model.size());
                for (MacIpRoute k : keys) {
                    Integer expected = model.get(k);
                    assertThat(routes.find(k)).isEqualTo(expected == null ? MacIpRoutes.NONE : expected);
                }
            }
        }
        for (Map.Entry<MacIpRoute, Integer> e : model.entrySet()) {
            assertThat(routes.live(e.getValue())).isTrue();
            assertThat(routes.route(e.getValue(), 0)).isEqualTo(e.getKey());
        }
    }

    @Test
    void aRouteWithCopiesLeftCannotBeRemoved() {
        int id = routes.add(route(1));
        routes.set(id, 0, route(1), ATTRIBUTES);
        routes.set(id, 1, route(1), ATTRIBUTES);
        routes.clear(id, 0);
        assertThat(routes.copies(id)).isEqualTo(1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> routes.remove(id))
                .isInstanceOf(IllegalStateException.class);
    }
}
