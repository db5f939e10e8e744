package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The claims on one remote MAC: one stored as itself, several in a holder, and back; RFC 7432 §15's order. */
class RemoteClaimsTest {
    private static final long MAC = MacAddress.parseBits("02:00:00:00:00:0a");
    private static final long RT = ExtendedCommunities.routeTarget(65000, 119);

    private final RemoteClaims claims = new RemoteClaims();

    private static ReceivedRoute claim(String vtep, String ip, long sequence, boolean sticky) {
        MacIpRoute r = MacIpRoute.of(RouteDistinguisher.parse(vtep + ":2"), MAC,
                ip == null ? null : InetAddress.ofLiteral(ip), 119);
        return new ReceivedRoute(r, InetAddress.ofLiteral(vtep), List.of(RT), sequence, sticky, null);
    }

    @Test
    void aReadvertisementReplacesTheRoutesClaimInsteadOfAddingOne() {
        claims.put(claim("192.0.2.2", null, 0, false));
        claims.put(claim("192.0.2.2", null, 3, false));
        assertThat(claims.chosen(MAC).sequence()).isEqualTo(3);
        claims.remove((MacIpRoute) claim("192.0.2.2", null, 3, false).route());
        assertThat(claims.chosen(MAC)).isNull();
        assertThat(claims.highestSequence(MAC)).isZero();
    }

    @Test
    void severalClaimsPickStickyThenSequenceThenLowestVtepAndShrinkBackToOne() {
        ReceivedRoute macOnly = claim("192.0.2.3", null, 1, false);
        ReceivedRoute macIp = claim("192.0.2.3", "10.0.0.9", 1, false);
        ReceivedRoute lower = claim("192.0.2.2", null, 1, false);
        ReceivedRoute sticky = claim("192.0.2.9", null, 0, true);
        claims.put(macOnly);
        claims.put(macIp);
        assertThat(claims.chosen(MAC).nextHop()).isEqualTo(InetAddress.ofLiteral("192.0.2.3"));
        claims.put(lower);
        assertThat(claims.chosen(MAC)).isSameAs(lower); // same sequence: the lower VTEP address
        claims.put(claim("192.0.2.4", null, 2, false));
        assertThat(claims.chosen(MAC).nextHop()).isEqualTo(InetAddress.ofLiteral("192.0.2.4"));
        assertThat(claims.highestSequence(MAC)).isEqualTo(2);
        claims.put(sticky);
        assertThat(claims.chosen(MAC)).isSameAs(sticky); // sticky wins over any sequence

        claims.remove((MacIpRoute) sticky.route());
        claims.remove((MacIpRoute) claim("192.0.2.4", null, 2, false).route());
        claims.remove((MacIpRoute) lower.route());
        claims.remove((MacIpRoute) macOnly.route());
        assertThat(claims.chosen(MAC)).isSameAs(macIp); // the one left, stored as itself again
        claims.remove((MacIpRoute) claim("192.0.2.7", null, 0, false).route()); // never claimed: no change
        assertThat(claims.chosen(MAC)).isSameAs(macIp);
        claims.remove((MacIpRoute) macIp.route());
        assertThat(claims.chosen(MAC)).isNull();
    }
}
