package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Where BUM traffic of each VNI goes: head-end replication to a static list, or a multicast group. */
class FloodListTest {
    final RemoteVteps vteps = new RemoteVteps(16);
    final FloodList floods = new FloodList(vteps);
    static final VtepAddress B = VtepAddress.parse("192.0.2.2");
    static final VtepAddress C = VtepAddress.parse("192.0.2.3");
    static final VtepAddress D6 = VtepAddress.parse("2001:db8::4");
    static final VtepAddress GROUP = VtepAddress.parse("239.1.1.119");

    @Test
    void head_end_replication_lists_ipv4_and_ipv6_peers_by_vtep_id_in_the_order_added() {
        int b = floods.add(119, B);
        int d6 = floods.add(119, D6);
        floods.add(119, B); // once only
        int c = floods.add(200, C);

        FloodTargets t = floods.targets(119);
        assertThat(t.mode()).isEqualTo(FloodMode.HEAD_END_REPLICATION);
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.vtepId(0)).isEqualTo(b);
        assertThat(t.vtepId(1)).isEqualTo(d6);
        assertThat(vteps.address(t.vtepId(1))).isEqualTo(D6);
        assertThat(t.group()).isNull();
        assertThat(floods.targets(200).vtepId(0)).isEqualTo(c);
        assertThat(floods.vnis()).containsExactly(119, 200);
        assertThat(t).hasToString("VNI 119: head-end replication to VTEP ids [0, 1]");
    }

    @Test
    void removing_a_peer_keeps_the_others_in_order_and_the_vtep_registered() {
        floods.add(119, B);
        floods.add(119, C);
        floods.add(119, D6);

        assertThat(floods.remove(119, C)).isTrue();
        assertThat(floods.remove(119, C)).isFalse();
        assertThat(floods.remove(7, B)).isFalse();
        FloodTargets t = floods.targets(119);
        assertThat(t.size()).isEqualTo(2);
        assertThat(vteps.address(t.vtepId(0))).isEqualTo(B);
        assertThat(vteps.address(t.vtepId(1))).isEqualTo(D6);
        assertThat(vteps.idOf(C)).isNotEqualTo(RemoteVteps.NONE);
    }

    @Test
    void a_static_tunnels_list_forgets_a_vtep_once_no_vni_lists_it_so_it_is_no_longer_known() {
        RemoteVteps known = new RemoteVteps(16);
        FloodList staticList = FloodList.ofStaticTunnel(known);
        staticList.add(119, B);
        staticList.add(200, B);
        staticList.add(119, C);

        assertThat(staticList.remove(119, B)).isTrue();
        assertThat(known.idOf(B)).as("VNI 200 still lists it").isNotEqualTo(RemoteVteps.NONE);
        assertThat(staticList.remove(200, B)).isTrue();
        assertThat(known.idOf(B)).as("listed nowhere: forgotten").isEqualTo(RemoteVteps.NONE);
        assertThat(known.idOf(C)).isNotEqualTo(RemoteVteps.NONE);
        assertThat(staticList.lists(known.idOf(C))).isTrue();
    }

    @Test
    void a_vtep_removed_from_the_registry_leaves_every_flood_list() {
        floods.add(119, B);
        floods.add(200, B);
        floods.add(200, C);

        vteps.remove(B);

        assertThat(floods.targets(119).mode()).isEqualTo(FloodMode.NONE);
        assertThat(floods.targets(200).size()).isEqualTo(1);
        assertThat(vteps.address(floods.targets(200).vtepId(0))).isEqualTo(C);
    }

    @Test
    void a_vni_can_flood_to_a_multicast_group_instead_and_says_which() {
        floods.useMulticastGroup(119, GROUP);

        FloodTargets t = floods.targets(119);
        assertThat(t.mode()).isEqualTo(FloodMode.MULTICAST);
        assertThat(t.group()).isEqualTo(GROUP);
        assertThat(t.groupLow()).isEqualTo(GROUP.low());
        assertThat(t.size()).isZero();
        assertThat(t).hasToString("VNI 119: multicast group 239.1.1.119");
        assertThatThrownBy(() -> floods.add(119, B))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("VNI 119 floods to multicast group 239.1.1.119; clear the group before adding head-end "
                + "replication peer 192.0.2.2");

        floods.clearMulticastGroup(119);
        floods.add(119, B);
        assertThat(floods.targets(119).mode()).isEqualTo(FloodMode.HEAD_END_REPLICATION);
        assertThatThrownBy(() -> floods.useMulticastGroup(119, VtepAddress.parse("ff05::1")))
            .hasMessageContaining("has 1 head-end replication peer(s)");
    }

    @Test
    void groups_must_be_multicast_and_vnis_in_range() {
        assertThatThrownBy(() -> floods.useMulticastGroup(119, B)).hasMessageContaining("not a multicast address");
        assertThatThrownBy(() -> floods.add(0, B)).hasMessageContaining("VNI 0 out of range");
        assertThatThrownBy(() -> floods.add(119, GROUP)).hasMessageContaining("not a unicast address");
        assertThat(floods.vnis()).as("a refused peer leaves no empty list behind").isEmpty();
    }

    @Test
    void an_unknown_vni_floods_nowhere_and_a_removed_vni_is_forgotten() {
        assertThat(floods.targets(4242).mode()).isEqualTo(FloodMode.NONE);
        assertThat(floods.targets(4242).size()).isZero();
        floods.add(119, B);

        floods.removeVni(119);

        assertThat(floods.targets(119).mode()).isEqualTo(FloodMode.NONE);
        assertThat(floods.vnis()).isEmpty();
        for (int vni = 1; vni <= 40; vni++) { // slots are reused and grow
            floods.add(vni, C);
        }
        assertThat(floods.vnis()).hasSize(40);
    }
}
