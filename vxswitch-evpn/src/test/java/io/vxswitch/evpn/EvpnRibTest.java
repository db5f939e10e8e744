package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The routes of two reflectors: each counted per neighbor, the first neighbor's copy in use, changes told once. */
class EvpnRibTest {
    private static final long RT = ExtendedCommunities.routeTarget(65000, 119);

    private final List<String> changes = new ArrayList<>();
    private final EvpnRib rib = new EvpnRib(2, (id, now, before) -> changes.add(
            (before == null ? "-" : before.nextHop().getHostAddress()) + " -> "
                    + (now == null ? "-" : now.nextHop().getHostAddress())));

    private static ReceivedRoute route(int mac, String vtep) {
        return new ReceivedRoute(MacIpRoute.of(RouteDistinguisher.parse("192.0.2.9:1"), MacAddress.parseBits(
                "02:00:00:00:00:0" + mac), null, 119), InetAddress.ofLiteral(vtep), List.of(RT), -1, false, null);
    }

    @Test
    void aRouteFromBothReflectorsIsOneRouteCountedOncePerNeighbor() {
        rib.announce(0, route(1, "192.0.2.9"));
        rib.announce(1, route(1, "192.0.2.9"));
        rib.announce(1, route(2, "192.0.2.9"));
        assertThat(rib.received(0)).isEqualTo(1);
        assertThat(rib.received(1)).isEqualTo(2);
        assertThat(changes).containsExactly("- -> 192.0.2.9", "- -> 192.0.2.9");
        assertThat(rib.selected()).hasSize(2);
    }

    @Test
    void aWithdrawalOfARouteTheNeighborNeverSentChangesNothing() {
        rib.announce(0, route(1, "192.0.2.9"));
        rib.withdraw(1, route(1, "192.0.2.9").route());
        rib.withdraw(0, route(2, "192.0.2.9").route());
        assertThat(rib.received(0)).isEqualTo(1);
        assertThat(rib.received(1)).isZero();
        assertThat(changes).containsExactly("- -> 192.0.2.9");
    }

    @Test
    void aReflectorThatGoesTakesOnlyTheRoutesTheOtherDoesNotHave() {
        rib.announce(0, route(1, "192.0.2.9"));
        rib.announce(0, route(2, "192.0.2.9"));
        rib.announce(1, route(2, "192.0.2.10"));
        changes.clear();

        assertThat(rib.dropNeighbor(0)).isEqualTo(2);
        assertThat(rib.received(0)).isZero();
        assertThat(rib.received(1)).isEqualTo(1);
        assertThat(changes).containsExactlyInAnyOrder("192.0.2.9 -> -", "192.0.2.9 -> 192.0.2.10");
        assertThat(rib.dropNeighbor(0)).isZero();
        assertThat(rib.selected()).extracting(s -> s.neighbor()).containsExactly(1);
    }

    @Test
    void aWithdrawnRouteIsGoneAndCountedNoMore() {
        rib.announce(0, route(1, "192.0.2.9"));
        rib.withdraw(0, route(1, "192.0.2.9").route());
        assertThat(rib.received(0)).isZero();
        assertThat(rib.selected()).isEmpty();
        assertThat(changes).containsExactly("- -> 192.0.2.9", "192.0.2.9 -> -");
    }

    @Test
    void theSameRouteAgainOrASecondCopyComingAndGoingIsNoChange() {
        rib.announce(1, route(1, "192.0.2.9"));
        rib.announce(1, route(1, "192.0.2.9")); // a route refresh
        rib.announce(0, route(1, "192.0.2.9")); // the first reflector's copy, equal: now the one in use
        rib.withdraw(0, route(1, "192.0.2.9").route());
        assertThat(changes).containsExactly("- -> 192.0.2.9");
        rib.announce(1, route(1, "192.0.2.10")); // the copy in use changes: the MAC moved
        rib.withdraw(1, route(1, "192.0.2.10").route());
        assertThat(changes).containsExactly("- -> 192.0.2.9", "192.0.2.9 -> 192.0.2.10", "192.0.2.10 -> -");
        assertThat(rib.received(0)).isZero();
        assertThat(rib.received(1)).isZero();
        assertThat(rib.selected()).isEmpty();
    }
}
