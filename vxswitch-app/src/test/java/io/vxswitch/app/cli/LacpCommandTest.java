package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.forwarding.lacp.LacpPortInfo;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.mgmt.view.LacpView;
import io.vxswitch.mgmt.view.Views;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code vxswitch lacp show} and the LAG part of {@code vxswitch ports}: both ends read as lacp/show reads. */
class LacpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LacpPortInfo OVS = new LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 65535, 1, 0x3f);
    private static final LagStatus LAG = new LagStatus("lag0", "active", "fast", "l3l4", 32768, "6e:0e:42:48:fb:13",
        2, new LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 0, 0, 0), 1, List.of(
            new LagStatus.Member("ul1", true, "current", "collecting/distributing", true, false, true,
                new LacpPortInfo(32768, 0x6e0e_4248_fb13L, 2, 32768, 1, 0x3f), OVS, 40, 41, 0, 0, 0, 0, 0, 3, 1,
                2, 1000, 150_000, 900, 120_000),
            new LagStatus.Member("ul2", false, "port disabled", "detached", false, false, false,
                new LacpPortInfo(32768, 0x6e0e_4248_fb13L, 2, 32768, 2, 0x47), LacpPortInfo.NONE, 30, 35, 0, 0, 0,
                0, 1, 0, 0, 0, 500, 60_000, 450, 50_000)));

    @Test
    void show_prints_a_lag_as_ovs_appctl_lacp_show_prints_a_bond() {
        String out = LacpCommand.Show.render(JSON.valueToTree(LacpView.of(List.of(LAG))));
        assertThat(out).startsWith("""
            ---- lag0 ----
              status: active negotiated
              sys_id: 6e:0e:42:48:fb:13
              sys_priority: 32768
              aggregation key: 2
              lacp_time: fast
              hash: l3l4
              partner: ae:b0:f8:18:b9:43 priority 65534, key 1
              distributing: 1 of 2 members

            member: ul1: current distributing
              link: up, receive: current, mux: collecting/distributing

              actor sys_id: 6e:0e:42:48:fb:13
              actor sys_priority: 32768
              actor port_id: 1
              actor port_priority: 32768
              actor key: 2
              actor state: activity timeout aggregation synchronized collecting distributing

              partner sys_id: ae:b0:f8:18:b9:43
              partner sys_priority: 65534
              partner port_id: 1
              partner port_priority: 65535
              partner key: 1
              partner state: activity timeout aggregation synchronized collecting distributing

              lacpdus: rx 40, tx 41, malformed 0, partner expired 0, link downs 0
              markers: answered 3, malformed 1, over the rate 2
              frames: rx 1000, tx 900

            member: ul2: link down detached
            """);
        assertThat(LacpCommand.Show.render(JSON.createArrayNode())).startsWith("no LAGs");
    }

    @Test
    void ports_lists_a_lags_members_with_both_ends_under_the_ports() {
        Views.PortView lag = new Views.PortView("lag0", "uplink", "uplinks", "trunk 1-4094", null, true, null, false,
            null).withLacp(List.of(LAG));
        Views.PortView vm = new Views.PortView("vm1", "vnic", "vms", "access 119", "02:00:00:00:01:01", true, null,
            false, null).withLacp(List.of(LAG));
        JsonNode ports = JSON.valueToTree(List.of(vm, lag));
        assertThat(PortsCommand.table(ports)).endsWith("\n\nLAG lag0 (lacp active, fast, hash l3l4): system"
            + " 6e:0e:42:48:fb:13, key 2; 1 of 2 members distributing\n"
            + "member  link  state                 actor state                                                        partner"
            + "                         partner state\n"
            + "ul1     up    current distributing  activity timeout aggregation synchronized collecting distributing  "
            + "ae:b0:f8:18:b9:43 key 1 port 1  activity timeout aggregation synchronized collecting distributing\n"
            + "ul2     down  link down detached    activity timeout aggregation defaulted                             -"
            + "                               -\n");
        assertThat(PortsCommand.table(JSON.valueToTree(List.of(vm)))).doesNotContain("LAG");
    }
}
