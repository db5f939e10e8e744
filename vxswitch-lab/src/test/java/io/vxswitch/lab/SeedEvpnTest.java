package io.vxswitch.lab;

import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.lab.run.PingReport;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed story with BGP EVPN in place of its two static flood lists (issue 14: "the seed topology with a route
 * reflector"): the VTEP hosts find each other from type-3 routes and the VMs behind each other from type-2 routes,
 * every ping is answered once, and no remote MAC is learned from a frame on the tunnel.
 */
class SeedEvpnTest {
    private static final LabResult RUN = Lab.seedWithEvpn(SeedPolicy.LEARNING, false, RunOptions.PLAIN);

    private static List<String> entries(Switch sw, FdbEntryType type) {
        List<String> out = new ArrayList<>();
        sw.fdb().forEach((vlan, mac, port, t, lastSeen, moves, remote) -> {
            if (t == type) {
                out.add(MacAddress.format(mac) + " behind " + sw.remoteName(remote));
            }
        });
        return out;
    }

    @Test
    void every_ping_is_answered_once() {
        for (PingReport p : RUN.pings()) {
            assertThat(PingOutput.parse(p.output()).received()).as(p.output()).isEqualTo(4);
            assertThat(p.output()).doesNotContain("DUP!");
        }
    }

    @Test
    void the_kvm_host_knows_the_esxi_side_from_routes_not_frames() {
        Switch kvm = RUN.hostSwitch("centos7-kvm");
        assertThat(entries(kvm, FdbEntryType.EVPN)).contains("00:50:56:00:01:01 behind 192.0.2.10",
            "00:1b:21:00:00:0a behind 192.0.2.10");
        assertThat(entries(kvm, FdbEntryType.LEARNED)).as("nothing learned from the tunnel").isEmpty();
    }

    @Test
    void each_vtep_floods_to_the_other_from_its_type_3_route() {
        assertThat(RUN.fdbTables()).contains("VTEP 192.0.2.10 udp/4789: VNI 119 <-> VLAN 119 flood 198.51.100.10")
            .contains("VTEP 198.51.100.10 udp/4789: VNI 119 <-> VLAN 119 flood 192.0.2.10");
    }

    @Test
    void the_run_is_deterministic() {
        assertThat(Lab.seedWithEvpn(SeedPolicy.LEARNING, false, RunOptions.PLAIN).transcript())
            .isEqualTo(RUN.transcript());
    }
}
