package io.vxswitch.bgp.evpn;

import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.MpReach;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Route keys are what a RIB of 100,000 routes hashes on; decoded routes share what they can. */
class MacIpRouteKeyTest {
    @Test
    void theSameRouteHasTheSameKeyAndAnotherMacAnotherKey() throws Exception {
        RouteDistinguisher rd = RouteDistinguisher.parse("198.18.0.1:1");
        MacIpRoute a = MacIpRoute.of(rd, 0x0A00_0000_0001L, null, 119);
        MacIpRoute same = MacIpRoute.of(RouteDistinguisher.parse("198.18.0.1:1"), 0x0A00_0000_0001L, null, 119);
        assertThat(same.key()).isEqualTo(a.key()).hasSameHashCodeAs(a.key());
        assertThat(MacIpRoute.of(rd, 0x0A00_0000_0002L, null, 119).key()).isNotEqualTo(a.key());
        assertThat(MacIpRoute.of(rd, 0x0A00_0000_0001L, InetAddress.getByName("10.0.0.1"), 119).key())
            .as("MAC/IP and MAC-only routes of one MAC are two routes").isNotEqualTo(a.key());
    }

    @Test
    void theMacsOfVtepsNumberedInOrderSpreadOverAHashMapsBuckets() {
        // 1,000 VTEPs 198.18.0.1.. (RD VTEP:1) with MACs 0a:00:00:vv:00:mm, as bench/evpn-scale.sh's generator. (A
        // MAC's own Long.hashCode puts these MACs in 4,096 buckets: maps keyed by MAC alone use Agrona's mixing hash)
        int buckets = 1 << 18;
        Set<Integer> used = new HashSet<>();
        int first = Ipv4Address.parse("198.18.0.1");
        for (int v = 0; v < 1000; v++) {
            RouteDistinguisher rd = RouteDistinguisher.ipv4(first + v, 1);
            for (int m = 0; m < 100; m++) {
                int h = MacIpRoute.of(rd, 0x0A00_0000_0000L | (long) v << 16 | m, null, 119).key().hashCode();
                used.add((h ^ h >>> 16) & (buckets - 1)); // java.util.HashMap's bucket
            }
        }
        // 100,000 keys thrown at random into 262,144 buckets fill about 84,000 of them; these fill 77,000 (the MACs'
        // Long.hashCode alone: 4,096, and HashMap's tree bins)
        assertThat(used.size()).isGreaterThan(60_000);
    }

    @Test
    void theRoutesOfOneUpdateShareTheirRouteDistinguisherOnceDecoded() {
        RouteDistinguisher rd = RouteDistinguisher.parse("198.18.0.1:1");
        List<EvpnRoute> routes = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            routes.add(MacIpRoute.of(rd, 0x0A00_0000_0000L | m, null, 119));
        }
        InetAddress vtep = InetAddress.ofLiteral("198.18.0.1");
        Update u = Update.of(PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(List.of()).localPref(100)
            .mpReach(MpReach.evpn(vtep, routes)).build());
        byte[] wire = MessageCodec.FOUR_OCTET_AS.encode(u);
        Update back = (Update) MessageCodec.FOUR_OCTET_AS.decode(wire, 0, wire.length);
        List<EvpnRoute> decoded = back.attributes().mpReach().routes();
        assertThat(decoded).isEqualTo(routes);
        MacIpRoute r0 = (MacIpRoute) decoded.get(0);
        for (EvpnRoute r : decoded) {
            assertThat(((MacIpRoute) r).rd()).isSameAs(r0.rd());
            assertThat(((MacIpRoute) r).esi()).isSameAs(EthernetSegment.SINGLE_HOMED);
        }
    }
}
