package io.vxswitch.lab;

import io.vxswitch.lab.run.PingReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed article from the outside, read off the ping output as its author read it: VM1 pings VM3 and the
 * workstation pings VM4, across a VXLAN tunnel from the CentOS VM on the ESXi host to the KVM host, over a routed
 * underlay. Only port group vlan119-vtep (the CentOS VM's eth0) changes between policies.
 */
class SeedScenarioTest {
    private static List<PingOutput> outputs(SeedPolicy policy, boolean reversePathCheckPromisc) {
        LabResult r = Lab.seed(policy, reversePathCheckPromisc);
        assertThat(r.pings()).extracting(PingReport::command).containsExactly("ping -c 4 10.0.0.3", "ping -c 4 10.0.0.4");
        return r.pings().stream().map(p -> PingOutput.parse(p.output())).toList();
    }

    @Test
    void with_vds_defaults_the_vms_across_the_tunnel_cannot_be_reached() {
        for (PingOutput p : outputs(SeedPolicy.DEFAULT, false)) {
            assertThat(p.transmitted()).isEqualTo(4);
            assertThat(p.received()).isZero();
            assertThat(p.loss()).isEqualTo("100");
            assertThat(p.errors()).as("ARP never resolves: Destination Host Unreachable").isEqualTo(4);
        }
    }

    @Test
    void the_promiscuous_workaround_answers_every_ping_but_vm1_sees_duplicates() {
        List<PingOutput> out = outputs(SeedPolicy.PROMISCUOUS, false);

        PingOutput vm1ToVm3 = out.get(0);
        assertThat(vm1ToVm3.received()).isEqualTo(4);
        assertThat(vm1ToVm3.loss()).isEqualTo("0");
        assertThat(vm1ToVm3.duplicates()).isPositive();
        assertThat(vm1ToVm3.dupLines()).isEqualTo(vm1ToVm3.duplicates());
        // The workstation's requests come in on the uplink eth0's port is pinned to, and only once: no duplicates.
        PingOutput workstationToVm4 = out.get(1);
        assertThat(workstationToVm4.received()).isEqualTo(4);
        assertThat(workstationToVm4.duplicates()).isZero();
    }

    @Test
    void reverse_path_check_on_promiscuous_ports_removes_the_duplicates() {
        for (PingOutput p : outputs(SeedPolicy.PROMISCUOUS, true)) {
            assertThat(p.received()).isEqualTo(4);
            assertThat(p.loss()).isEqualTo("0");
            assertThat(p.duplicates()).isZero();
            assertThat(p.dupLines()).isZero();
        }
    }

    @Test
    void mac_learning_answers_every_ping_exactly_once() {
        for (boolean rpc : new boolean[] {false, true}) {
            for (PingOutput p : outputs(SeedPolicy.LEARNING, rpc)) {
                assertThat(p.received()).isEqualTo(4);
                assertThat(p.replyLines()).as("ttl=64: VXLAN carries the frames, the routers never see the inner TTL")
                    .isEqualTo(4);
                assertThat(p.loss()).isEqualTo("0");
                assertThat(p.duplicates()).isZero();
                assertThat(p.errors()).isZero();
            }
        }
    }

    @Test
    void the_reverse_path_option_does_not_rescue_the_default_policy() {
        for (PingOutput p : outputs(SeedPolicy.DEFAULT, true)) {
            assertThat(p.loss()).isEqualTo("100");
        }
    }

    @Test
    void the_promiscuous_transcript_reads_like_the_article_with_a_wan_in_the_middle() {
        LabResult r = Lab.seed(SeedPolicy.PROMISCUOUS, false);

        // 8 links of 50 us and the 5 ms WAN each way: 10.7 ms; the first also waits for ARP on both sides of
        // the WAN; each duplicate took the detour through the Nexus 5K (two more links: +0.1 ms).
        assertThat(r.pings().getFirst().transcript()).isEqualTo("""
            vm1$ ping -c 4 10.0.0.3
            PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.
            64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=31.8 ms
            64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=31.9 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=2 ttl=64 time=10.7 ms
            64 bytes from 10.0.0.3: icmp_seq=2 ttl=64 time=10.8 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=3 ttl=64 time=10.7 ms
            64 bytes from 10.0.0.3: icmp_seq=3 ttl=64 time=10.8 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=4 ttl=64 time=10.7 ms

            --- 10.0.0.3 ping statistics ---
            4 packets transmitted, 4 received, +3 duplicates, 0% packet loss, time 3000ms
            rtt min/avg/max/mdev = 10.700/16.771/31.900/9.536 ms
            """);
    }

    @Test
    void the_seed_is_deterministic() {
        assertThat(Lab.seed(SeedPolicy.PROMISCUOUS, false).transcript())
            .isEqualTo(Lab.seed(SeedPolicy.PROMISCUOUS, false).transcript());
        assertThat(Lab.seed(SeedPolicy.LEARNING, false).fdbTables())
            .isEqualTo(Lab.seed(SeedPolicy.LEARNING, false).fdbTables());
    }
}
