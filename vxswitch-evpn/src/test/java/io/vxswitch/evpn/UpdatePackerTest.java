package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.Update;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Routes go out in as few UPDATEs as fit BGP's 4096 bytes, however many route targets they carry. */
class UpdatePackerTest {
    private static List<LocalRoute> macRoutes(int n, int targets) throws Exception {
        InetAddress vtep = InetAddress.getByName("192.0.2.1");
        List<Long> communities = new ArrayList<>();
        communities.add(ExtendedCommunities.encapsulation(8));
        for (int i = 0; i < targets; i++) {
            communities.add(ExtendedCommunities.routeTarget(65000, 1000 + i));
        }
        List<LocalRoute> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            MacIpRoute r = MacIpRoute.of(RouteDistinguisher.parse("192.0.2.1:1"), 0x0200_0000_0000L + i,
                    InetAddress.getByName("10.0." + (i >> 8 & 0xFF) + "." + (i & 0xFF)), 119);
            out.add(new LocalRoute(119, r, vtep, communities, null));
        }
        return out;
    }

    @Test
    void tenThousandMacRoutesTakeAboutAHundredUpdatesEachUnder4096Bytes() throws Exception {
        List<Update> updates = UpdatePacker.advertisements(macRoutes(10_000, 1), 65000, true);
        assertThat(updates.size()).as("about 100 routes of 39 bytes per UPDATE").isBetween(95, 110);
        int routes = 0;
        for (Update u : updates) {
            byte[] bytes = MessageCodec.FOUR_OCTET_AS.encode(u);
            assertThat(bytes.length).isLessThanOrEqualTo(4096);
            routes += ((Update) MessageCodec.FOUR_OCTET_AS.decode(bytes)).attributes().mpReach().routes().size();
        }
        assertThat(routes).isEqualTo(10_000);
    }

    @Test
    void manyRouteTargetsLeaveLessRoomButNeverTooLittle() throws Exception {
        List<Update> updates = UpdatePacker.advertisements(macRoutes(1_000, 100), 65000, true);
        for (Update u : updates) {
            assertThat(MessageCodec.FOUR_OCTET_AS.encode(u).length).isLessThanOrEqualTo(4096);
        }
    }

    @Test
    void withdrawalsArePackedToo() throws Exception {
        List<EvpnRoute> routes = macRoutes(10_000, 1).stream().map(LocalRoute::route).toList();
        List<Update> updates = UpdatePacker.withdrawals(routes);
        assertThat(updates.size()).isLessThan(120);
        for (Update u : updates) {
            assertThat(MessageCodec.FOUR_OCTET_AS.encode(u).length).isLessThanOrEqualTo(4096);
        }
    }

    @Test
    void toAnExternalPeerOurAsIsPrependedAndLocalPrefLeftOut() throws Exception {
        Update u = UpdatePacker.advertisements(macRoutes(1, 1), 65000, false).getFirst();
        assertThat(u.attributes().asPath()).singleElement().hasToString("65000");
        assertThat(u.attributes().localPref()).isEqualTo(-1);
        Update internal = UpdatePacker.advertisements(macRoutes(1, 1), 65000, true).getFirst();
        assertThat(internal.attributes().asPath()).isEmpty();
        assertThat(internal.attributes().localPref()).isEqualTo(100);
    }
}
