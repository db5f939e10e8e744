package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VniMapTest {
    final VniMap map = new VniMap();

    @Test
    void one_tunnel_endpoint_carries_several_vnis_each_to_its_own_vlan() {
        map.add(119, 119);
        map.add(10_119, 200);
        map.add(16_777_215, 0);

        assertThat(map.vlanOf(119)).isEqualTo(119);
        assertThat(map.vlanOf(10_119)).isEqualTo(200);
        assertThat(map.vniOf(200)).isEqualTo(10_119);
        assertThat(map.vniOf(0)).isEqualTo(16_777_215);
        assertThat(map.vnis()).containsExactly(119, 10_119, 16_777_215);
        assertThat(map.size()).isEqualTo(3);
        assertThat(map).hasToString("VniMap{119<->119, 10119<->200, 16777215<->0}");
    }

    @Test
    void unmapped_or_out_of_range_values_look_up_as_none() {
        map.add(119, 119);

        assertThat(map.vlanOf(120)).isEqualTo(VniMap.NONE);
        assertThat(map.vlanOf(0)).isEqualTo(VniMap.NONE);
        assertThat(map.vlanOf(-5)).isEqualTo(VniMap.NONE);
        assertThat(map.vlanOf(1 << 24)).isEqualTo(VniMap.NONE);
        assertThat(map.vniOf(4095)).isEqualTo(VniMap.NONE);
        assertThat(map.vniOf(-1)).isEqualTo(VniMap.NONE);
    }

    @Test
    void duplicates_are_refused_naming_the_existing_mapping() {
        map.add(119, 119);

        assertThatThrownBy(() -> map.add(119, 120))
            .hasMessage("duplicate VNI 119: already mapped to VLAN 119 (remove that mapping first; a VNI carries "
                + "exactly one VLAN)");
        assertThatThrownBy(() -> map.add(5000, 119))
            .hasMessage("duplicate VLAN 119: already carried by VNI 119 (remove that mapping first; a VLAN maps "
                + "to exactly one VNI)");
        assertThat(map.size()).isEqualTo(1);
    }

    @Test
    void out_of_range_values_are_refused_with_the_range() {
        assertThatThrownBy(() -> map.add(0, 1)).hasMessage("VNI 0 out of range: a VNI is 1..16777215 (24 bits, RFC 7348 §5)");
        assertThatThrownBy(() -> map.add(1 << 24, 1)).hasMessageStartingWith("VNI 16777216 out of range");
        assertThatThrownBy(() -> map.add(1, 4095)).hasMessage("VLAN 4095 out of range: a VLAN is 0..4094 (4095 is reserved by IEEE 802.1Q)");
        assertThatThrownBy(() -> map.add(1, -1)).hasMessageStartingWith("VLAN -1 out of range");
        assertThatThrownBy(() -> VniMap.of(1, 2, 3)).hasMessageContaining("pairs");
    }

    @Test
    void removing_a_vni_frees_both_its_vni_and_its_vlan() {
        map.add(119, 119);
        map.add(120, 120);

        assertThat(map.removeVni(119)).isEqualTo(119);
        assertThat(map.removeVni(119)).isEqualTo(VniMap.NONE);
        assertThat(map.vlanOf(119)).isEqualTo(VniMap.NONE);
        assertThat(map.vniOf(119)).isEqualTo(VniMap.NONE);
        map.add(7, 119);
        assertThat(map.vniOf(119)).isEqualTo(7);
        assertThat(map.vlanOf(120)).isEqualTo(120);
    }

    @Test
    void thousands_of_mappings_survive_growth_and_removal() {
        for (int vlan = 0; vlan <= 4094; vlan++) {
            map.add(100_000 + vlan * 7, vlan);
        }
        for (int vlan = 0; vlan <= 4094; vlan += 2) {
            map.removeVni(100_000 + vlan * 7);
        }
        for (int vlan = 0; vlan <= 4094; vlan++) {
            int expected = vlan % 2 == 0 ? VniMap.NONE : vlan;
            assertThat(map.vlanOf(100_000 + vlan * 7)).isEqualTo(expected);
        }
        assertThat(map.size()).isEqualTo(2047);
    }
}
