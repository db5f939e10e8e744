package io.vxswitch.lab;

import io.vxswitch.lab.run.PingReport;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nested example from the outside, read off the ping output as the article's author read it: VM1 pings VM3
 * and the workstation pings VM4, both inner VMs behind the nested hypervisor's one vNIC.
 */
class NestedScenarioTest {
    /** The nested example with its nested hypervisor's port group set by {@code policy}. */
    static LabResult nested(SeedPolicy policy, boolean reversePathCheckPromisc) {
        return Lab.run(LabExample.NESTED.topology(policy, reversePathCheckPromisc));
    }

    private static List<PingOutput> outputs(SeedPolicy policy, boolean reversePathCheckPromisc) {
        LabResult r = nested(policy, reversePathCheckPromisc);
        assertThat(r.pings()).extracting(PingReport::command).containsExactly("ping -c 4 10.0.0.3", "ping -c 4 10.0.0.4");
        return r.pings().stream().map(p -> PingOutput.parse(p.output())).toList();
    }

    @Test
    void with_vds_defaults_the_inner_vms_cannot_be_reached() {
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
        // The workstation's requests come in on the nested port's own uplink (the Nexus learned VM4 there
        // from its ARP reply), so they are not reflected: one answer each.
        PingOutput workstationToVm4 = out.get(1);
        assertThat(workstationToVm4.received()).isEqualTo(4);
        assertThat(workstationToVm4.loss()).isEqualTo("0");
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
                assertThat(p.replyLines()).isEqualTo(4);
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
    void the_promiscuous_transcript_reads_like_the_article() {
        LabResult r = nested(SeedPolicy.PROMISCUOUS, false);

        assertThat(r.pings().getFirst().transcript()).isEqualTo("""
            vm1$ ping -c 4 10.0.0.3
            PING 10.0.0.3 (10.0.0.3) 56(84) bytes of data.
            64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=0.600 ms
            64 bytes from 10.0.0.3: icmp_seq=1 ttl=64 time=0.700 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=2 ttl=64 time=0.300 ms
            64 bytes from 10.0.0.3: icmp_seq=2 ttl=64 time=0.400 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=3 ttl=64 time=0.300 ms
            64 bytes from 10.0.0.3: icmp_seq=3 ttl=64 time=0.400 ms (DUP!)
            64 bytes from 10.0.0.3: icmp_seq=4 ttl=64 time=0.300 ms

            --- 10.0.0.3 ping statistics ---
            4 packets transmitted, 4 received, +3 duplicates, 0% packet loss, time 3000ms
            rtt min/avg/max/mdev = 0.300/0.428/0.700/0.148 ms
            """);
    }
}
