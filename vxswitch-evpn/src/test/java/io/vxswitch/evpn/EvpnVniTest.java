package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.Addresses;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One VNI's decisions, in RFC 7432's terms: flood lists from type-3 routes, where a MAC lives, MAC mobility. */
class EvpnVniTest {
    private static final long MAC = MacAddress.parseBits("02:00:00:00:00:0a");
    private static final long RT = ExtendedCommunities.routeTarget(65000, 119);

    private final RecordingDataplane dataplane = new RecordingDataplane();
    private final List<String> originated = new ArrayList<>();
    private final EvpnVni vni = new EvpnVni(VniConfig.defaults(119, 65000, Ipv4Address.parse("192.0.2.1"), 1,
            address("192.0.2.1"), false), dataplane, new EvpnVni.Originator() {
        @Override
        public void advertise(VniConfig v, long mac, InetAddress ip, long sequence, boolean sticky) {
            originated.add("advertise " + MacAddress.of(mac) + (ip == null ? "" : " " + Addresses.format(ip))
                + " seq " + sequence + (sticky ? " sticky" : ""));
        }

        @Override
        public void withdraw(VniConfig v, long mac) {
            originated.add("withdraw " + MacAddress.of(mac));
        }

        @Override
        public void withdrawAddress(VniConfig v, long mac, InetAddress ip) {
            originated.add("withdraw " + MacAddress.of(mac) + " " + Addresses.format(ip));
        }
    });

    private static InetAddress address(String a) {
        try {
            return InetAddress.getByName(a);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static ReceivedRoute macRoute(String vtep, long sequence, boolean sticky) {
        MacIpRoute r = MacIpRoute.of(RouteDistinguisher.parse(vtep + ":2"), MAC, null, 119);
        return new ReceivedRoute(r, address(vtep), List.of(RT), sequence, sticky, null);
    }

    /** The RIB's ids: one per route key. */
    private final java.util.Map<Object, Integer> ids = new java.util.HashMap<>();

    private int id(ReceivedRoute r) {
        return ids.computeIfAbsent(r.route().key(), k -> ids.size());
    }

    private void announce(ReceivedRoute r) {
        vni.macRoute(id(r), r, null);
    }

    private void withdraw(ReceivedRoute r) {
        vni.macRoute(id(r), null, r);
    }

    @Test
    void aRemoteVtepJoinsTheFloodListOnceHoweverManyRdsItUses() {
        vni.floodRoute(address("192.0.2.2"), true);
        vni.floodRoute(address("192.0.2.2"), true);
        vni.floodRoute(address("192.0.2.2"), false);
        assertThat(dataplane.calls).containsExactly("flood+ 119 192.0.2.2");
        vni.floodRoute(address("192.0.2.2"), false);
        assertThat(dataplane.calls).containsExactly("flood+ 119 192.0.2.2", "flood- 119 192.0.2.2");
    }

    @Test
    void ourOwnTypeThreeRouteReflectedBackIsNotAFloodTarget() {
        vni.floodRoute(address("192.0.2.1"), true);
        assertThat(dataplane.calls).isEmpty();
    }

    @Test
    void aRemoteMacIsInstalledBehindItsVtepAndRemovedWithItsRoute() {
        ReceivedRoute r = macRoute("192.0.2.2", -1, false);
        announce(r);
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.2 seq 0");
        withdraw(r);
        assertThat(dataplane.remoteMacs).isEmpty();
    }

    @Test
    void duringAMoveTheHigherSequenceWins() {
        announce(macRoute("192.0.2.2", 0, false));
        announce(macRoute("192.0.2.3", 1, false));
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.3 seq 1");
        withdraw(macRoute("192.0.2.2", 0, false)); // the old host lets go: nothing changes
        assertThat(dataplane.calls).last().isEqualTo("mac+ 119 02:00:00:00:00:0a 192.0.2.3 seq 1");
    }

    @Test
    void withTheSameSequenceTheLowerVtepAddressWins() {
        announce(macRoute("192.0.2.9", 2, false));
        announce(macRoute("192.0.2.3", 2, false));
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.3 seq 2");
    }

    @Test
    void aStickyMacBeatsAHigherSequence() {
        announce(macRoute("192.0.2.9", 0, true));
        announce(macRoute("192.0.2.3", 5, false));
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.9 seq 0");
    }

    @Test
    void aNewLocalMacIsAdvertisedWithSequenceZero() {
        vni.localLearned(MAC, false);
        assertThat(originated).containsExactly("advertise 02:00:00:00:00:0a seq 0");
    }

    @Test
    void aMacThatMovesHereIsAdvertisedWithOneMoreThanTheRemoteSequence() {
        announce(macRoute("192.0.2.2", 3, false));
        vni.localLearned(MAC, false);
        assertThat(originated).containsExactly("advertise 02:00:00:00:00:0a seq 4");
        assertThat(vni.isLocal(MAC)).isTrue();
    }

    @Test
    void aHigherRemoteSequenceMeansTheMacMovedAway() {
        vni.localLearned(MAC, false);
        announce(macRoute("192.0.2.2", 1, false));
        assertThat(originated).containsExactly("advertise 02:00:00:00:00:0a seq 0", "withdraw 02:00:00:00:00:0a");
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.2 seq 1");
        assertThat(vni.isLocal(MAC)).isFalse();
    }

    @Test
    void theOldRouteOfAMacThatMovedHereDoesNotTakeItBack() {
        announce(macRoute("192.0.2.2", 0, false));
        vni.localLearned(MAC, false); // seq 1 now
        announce(macRoute("192.0.2.2", 0, false)); // a late re-advertisement of the old route
        assertThat(vni.isLocal(MAC)).isTrue();
        assertThat(originated).doesNotContain("withdraw 02:00:00:00:00:0a");
    }

    @Test
    void aLocalStickyMacIsNeverMovedAway() {
        vni.localLearned(MAC, true);
        announce(macRoute("192.0.2.2", 9, false));
        assertThat(vni.isLocal(MAC)).isTrue();
        assertThat(originated).containsExactly("advertise 02:00:00:00:00:0a seq 0 sticky");
    }

    @Test
    void aDualStackHostKeepsBothAddressesAdvertisedAndBound() {
        vni.localLearned(MAC, false);
        vni.localAddress(MAC, address("10.0.0.1"));
        vni.localAddress(MAC, address("2001:db8::1"));
        vni.localAddress(MAC, address("10.0.0.1")); // its next ARP: nothing new
        assertThat(originated).containsExactly("advertise 02:00:00:00:00:0a seq 0",
            "advertise 02:00:00:00:00:0a 10.0.0.1 seq 0", "advertise 02:00:00:00:00:0a 2001:db8::1 seq 0");
        assertThat(dataplane.calls).containsExactly("bind 119 10.0.0.1 02:00:00:00:00:0a",
            "bind 119 2001:db8::1 02:00:00:00:00:0a");
    }

    @Test
    void aHostSprayingAddressesCostsAtMostEightRoutes() {
        vni.localLearned(MAC, false);
        for (int i = 1; i <= EvpnVni.MAX_ADDRESSES_PER_MAC + 2; i++) {
            vni.localAddress(MAC, address("2001:db8::" + i));
        }
        assertThat(originated).contains("withdraw 02:00:00:00:00:0a 2001:db8::1",
            "withdraw 02:00:00:00:00:0a 2001:db8::2");
        assertThat(originated).filteredOn(s -> s.startsWith("withdraw")).hasSize(2);
        assertThat(dataplane.calls).contains("unbind 119 2001:db8::1 02:00:00:00:00:0a")
            .doesNotContain("unbind 119 2001:db8::3 02:00:00:00:00:0a");
        vni.localRemoved(MAC);
        assertThat(dataplane.calls).filteredOn(s -> s.startsWith("unbind")).hasSize(EvpnVni.MAX_ADDRESSES_PER_MAC + 2);
    }

    @Test
    void aMacThatAgesOutLocallyFallsBackToARemoteClaim() {
        announce(macRoute("192.0.2.2", 0, false));
        vni.localLearned(MAC, false);
        vni.localRemoved(MAC);
        assertThat(originated).last().isEqualTo("withdraw 02:00:00:00:00:0a");
        assertThat(dataplane.remoteMacs).containsEntry("119 02:00:00:00:00:0a", "192.0.2.2 seq 0");
    }
}
