package io.vxswitch.app.daemon;

import io.vxswitch.config.ConfigException;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.lacp.LacpMode;
import io.vxswitch.forwarding.lacp.LacpRate;
import io.vxswitch.forwarding.lacp.LagHashPolicy;
import io.vxswitch.forwarding.lacp.LagOptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LagConfigTest {
    private static final String LAG = """
        switch: {name: esxi-a}
        portGroups:
          - {name: vms}
        ports:
          - {name: vm1, type: tap, portGroup: vms, mac: "02:00:00:00:00:01"}
          - {name: lag0, type: lag, portGroup: vms, members: [eth1, eth2], lacp: active, rate: fast, hash: l3l4}
        """;

    @Test
    void a_lag_is_one_uplink_port_with_its_members_and_lacp_settings() {
        PortConfig p = DaemonConfigParser.parse("s.yaml", LAG).ports().get(1);
        assertThat(p.type()).isEqualTo(PortConfig.Type.LAG);
        assertThat(p.kind()).isEqualTo(PortKind.UPLINK);
        assertThat(p.offload()).isFalse();
        LagOptions l = p.lag();
        assertThat(l.members()).containsExactly("eth1", "eth2");
        assertThat(l.mode()).isEqualTo(LacpMode.ACTIVE);
        assertThat(l.rate()).isEqualTo(LacpRate.FAST);
        assertThat(l.hash()).isEqualTo(LagHashPolicy.L3L4);
        assertThat(l.systemPriority()).isEqualTo(32768);
        assertThat(l.systemId()).isEqualTo(LagOptions.DERIVED);
        assertThat(l.key()).isEqualTo(LagOptions.DERIVED);
    }

    @Test
    void defaults_are_active_slow_l3l4_and_everything_can_be_set() {
        LagOptions d = lag("members: [eth1]");
        assertThat(List.of(d.mode(), d.rate(), d.hash())).containsExactly(LacpMode.ACTIVE, LacpRate.SLOW,
            LagHashPolicy.L3L4);
        LagOptions all = lag("members: [eth1], lacp: passive, hash: l2, systemPriority: 100, systemId: \"02:00:00:00:00:aa\","
            + " key: 9, portPriority: 7");
        assertThat(all.mode()).isEqualTo(LacpMode.PASSIVE);
        assertThat(all.hash()).isEqualTo(LagHashPolicy.L2);
        assertThat(all.systemPriority()).isEqualTo(100);
        assertThat(all.systemId()).isEqualTo(0x0200_0000_00AAL);
        assertThat(all.key()).isEqualTo(9);
        assertThat(all.portPriority()).isEqualTo(7);
    }

    @Test
    void mistakes_are_refused_at_their_line_with_what_to_do() {
        assertError(LAG.replace("lacp: active", "lacp: on"), "s.yaml:6:", "lacp must be active");
        assertError(LAG.replace("rate: fast", "rate: 1s"), "s.yaml:6:", "rate must be fast");
        assertError(LAG.replace("hash: l3l4", "hash: l4"), "s.yaml:6:", "hash must be l2");
        assertError(LAG.replace("members: [eth1, eth2]", "members: []"), "s.yaml:6:", "members must list 1 to 32");
        assertError(LAG.replace("members: [eth1, eth2]", "members: [eth1, eth1]"), "s.yaml:6:",
            "member eth1 is listed twice");
        assertError(LAG.replace(", members: [eth1, eth2]", ""), "s.yaml:6:", "members");
        assertError(LAG.replace("lacp: active", "systemId: \"01:00:00:00:00:01\""), "s.yaml:6:",
            "systemId must be a unicast MAC");
        assertError(LAG.replace("lacp: active", "key: 0"), "s.yaml:6:", "key");
        assertError(LAG.replace("lacp: active", "kind: vnic"), "s.yaml:6:", "a LAG is an uplink");
        assertError(LAG.replace("portGroup: vms, mac: \"02:00:00:00:00:01\"}", "portGroup: vms, mac: \"02:00:00:00:00:01\","
            + " lacp: active}"), "s.yaml:5:", "lacp is for type lag");
        assertError(LAG + "  - {name: up0, type: interface, interface: eth2, portGroup: vms}\n", "s.yaml:7:",
            "interface eth2 already serves port 'lag0'");
    }

    @Test
    void without_a_lag_two_interface_ports_on_one_interface_are_still_accepted_as_before() {
        DaemonConfig c = DaemonConfigParser.parse("s.yaml", LAG.replace(
            "  - {name: lag0, type: lag, portGroup: vms, members: [eth1, eth2], lacp: active, rate: fast, hash: l3l4}\n",
            "  - {name: up0, type: interface, interface: eth1, portGroup: vms}\n"
                + "  - {name: up1, type: interface, interface: eth1, portGroup: vms}\n"));
        assertThat(c.ports()).hasSize(3);
    }

    @Test
    void a_lag_change_needs_no_restart_and_a_rate_change_is_made_in_place() {
        DaemonConfig before = DaemonConfigParser.parse("s.yaml", LAG);
        DaemonConfig slow = DaemonConfigParser.parse("s.yaml", LAG.replace("fast", "slow"));
        assertThat(Reconfigurer.needsRestart(before, before)).isEmpty();
        assertThat(Reconfigurer.needsRestart(before, slow)).isEmpty();
        assertThat(Reconfigurer.lacpOnly(before.ports().get(1), slow.ports().get(1))).isTrue();
    }

    private static LagOptions lag(String settings) {
        return DaemonConfigParser.parse("s.yaml", LAG.replace(
            "members: [eth1, eth2], lacp: active, rate: fast, hash: l3l4", settings)).ports().get(1).lag();
    }

    private static void assertError(String yaml, String where, String expected) {
        assertThatThrownBy(() -> DaemonConfigParser.parse("s.yaml", yaml)).isInstanceOf(ConfigException.class)
            .hasMessageContaining(where).hasMessageContaining(expected);
    }
}
