package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The claims on one remote MAC: one kept without a holder, several in a holder, and back; RFC 7432 §15's order. */
class RemoteClaimsTest {
    private static final long MAC = MacAddress.parseBits("02:00:00:00:00:0a");
    private static final long RT = ExtendedCommunities.routeTarget(65000, 119);

    private final RemoteClaims claims = new RemoteClaims();

    private static RouteAttributes claim(String vtep, long sequence, boolean sticky) {
        return new RouteAttributes(InetAddress.ofLiteral(vtep), List.of(RT), sequence, sticky, null);
    }

    @Test
    void aReadvertisementReplacesTheRoutesClaimInsteadOfAddingOne() {
        claims.put(MAC, 7, claim("192.0.2.2", 0, false));
        claims.put(MAC, 7, claim("192.0.2.2", 3, false));
        assertThat(claims.chosen(MAC).sequence()).isEqualTo(3);
        claims.remove(MAC, 7);
        assertThat(claims.chosen(MAC)).isNull();
        assertThat(claims.highestSequence(MAC)).isZero();
    }

    @Test
    void severalClaimsPickStickyThenSequenceThenLowestVtepAndShrinkBackToOne() {
        RouteAttributes macOnly = claim("192.0.2.3", 1, false);
        RouteAttributes macIp = claim("192.0.2.3", 1, false);
        RouteAttributes lower = claim("192.0.2.2", 1, false);
        RouteAttributes sticky = claim("192.0.2.9", 0, true);
        claims.put(MAC, 1, macOnly);
        claims.put(MAC, 2, macIp);
        assertThat(claims.chosen(MAC).nextHop()).isEqualTo(InetAddress.ofLiteral("192.0.2.3"));
        claims.put(MAC, 3, lower);
        assertThat(claims.chosen(MAC)).isSameAs(lower); // same sequence: the lower VTEP address
        claims.put(MAC, 4, claim("192.0.2.4", 2, false));
        assertThat(claims.chosen(MAC).nextHop()).isEqualTo(InetAddress.ofLiteral("192.0.2.4"));
        assertThat(claims.highestSequence(MAC)).isEqualTo(2);
        claims.put(MAC, 5, sticky);
        assertThat(claims.chosen(MAC)).isSameAs(sticky); // sticky wins over any sequence
        claims.put(MAC, 4, claim("192.0.2.4", 1, false)); // route 4 again, with a lower sequence: replaced
        assertThat(claims.highestSequence(MAC)).isEqualTo(1);

        claims.remove(MAC, 5);
        claims.remove(MAC, 4);
        claims.remove(MAC, 3);
        claims.remove(MAC, 1);
        assertThat(claims.chosen(MAC)).isSameAs(macIp); // the one left, kept without a holder again
        claims.remove(MAC, 9); // never claimed: no change
        assertThat(claims.chosen(MAC)).isSameAs(macIp);
        claims.put(MAC, 2, macOnly); // the one claim's route again: replaced, still one claim
        assertThat(claims.chosen(MAC)).isSameAs(macOnly);
        claims.remove(MAC, 2);
        assertThat(claims.chosen(MAC)).isNull();
    }

    @Test
    void anotherMacsRouteIdsAreItsOwn() {
        long other = MacAddress.parseBits("02:00:00:00:00:0b");
        claims.put(MAC, 1, claim("192.0.2.2", 0, false));
        claims.put(other, 2, claim("192.0.2.3", 0, false));
        claims.remove(MAC, 2);
        assertThat(claims.chosen(MAC)).isNotNull();
        claims.remove(other, 2);
        assertThat(claims.chosen(other)).isNull();
    }
}
