package io.vxswitch.lab;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --explain}: the article's ARP story told from the run's traces. VM1 asks for 10.0.0.3; the broadcast
 * crosses the tunnel; VM3 answers; and, with learning, the VDS learns VM3's MAC on the CentOS VM's eth0 port.
 */
class SeedExplainTest {
    private static final RunOptions EXPLAIN = RunOptions.PLAIN.withExplain(true);

    private static String story(SeedPolicy policy) {
        return Lab.seed(policy, false, EXPLAIN).explanation().orElseThrow();
    }

    @Test
    void the_request_crosses_the_tunnel_and_the_reply_comes_back_in_every_mode() {
        for (SeedPolicy policy : SeedPolicy.values()) {
            assertThat(story(policy)).as(policy.label())
                .startsWith("The ARP story: vm1 asks who has 10.0.0.3 (from the traces of this run)\n")
                .contains(" 1. vm1 broadcasts an ARP request for 10.0.0.3 on VLAN 119 (esxi port vm1: forward to "
                    + "centos-eth0 (untagged), vm2 (untagged), uplink1 (tag 119))\n")
                .contains(". centos7-vm's vxswitch floods it into the tunnel: VXLAN VNI 119 to 198.51.100.10, its "
                    + "flood list (centos7-vm port eth0: 00:50:56:00:01:01 VLAN 119 learned on port eth0; forward to "
                    + "vxlan0 (flood list))\n")
                .contains(". The underlay routes the VXLAN packet 192.0.2.10 > 198.51.100.10: nexus5548 (vlan20 -> "
                    + "eth1/1), router (gi0/0 -> gi0/1), TTL 64 -> 62\n")
                .contains(". centos7-kvm decapsulates it: VXLAN VNI 119 from 192.0.2.10 -> VLAN 119 (00:50:56:00:01:01 "
                    + "VLAN 119 learned on port vxlan0 behind VTEP 192.0.2.10; forward to vm3 (untagged), vm4 "
                    + "(untagged))\n")
                .contains(". vm3 replies 10.0.0.3 is-at 52:54:00:00:00:03, unicast to vm1; centos7-kvm's vxswitch "
                    + "sends it into the tunnel: VXLAN VNI 119 to 192.0.2.10 only")
                .contains(". centos7-vm decapsulates it: VXLAN VNI 119 from 198.51.100.10 -> VLAN 119 "
                    + "(52:54:00:00:00:03 VLAN 119 learned on port vxlan0 behind VTEP 198.51.100.10; ");
        }
    }

    @Test
    void with_learning_the_story_ends_with_the_vds_learning_vm3_on_the_centos_vms_port() {
        String story = story(SeedPolicy.LEARNING);

        assertThat(story).contains(". esxi takes it in on port centos-eth0: source 52:54:00:00:00:03 is not the vNIC's "
                + "MAC 00:50:56:00:01:07: forged transmits accept; 00:50:56:00:01:01 VLAN 119 is on port vm1; forward to "
                + "vm1 (untagged)\n")
            .contains(". esxi learns 52:54:00:00:00:03 on port centos-eth0 (VLAN 119): frames to that MAC now go to "
                + "centos-eth0 only\n")
            .endsWith("    vm1 now has 10.0.0.3 in its ARP cache, and its ping can send.\n");
        assertThat(story).contains(". esxi drops it on port uplink2 (reverse_path)");
        assertInOrder(story, "vm1 broadcasts", "floods it into the tunnel", "centos7-kvm decapsulates", "vm3 replies",
            "centos7-vm decapsulates", "esxi learns 52:54:00:00:00:03");
    }

    @Test
    void with_defaults_the_story_says_where_the_reply_is_dropped_and_why() {
        String story = story(SeedPolicy.DEFAULT);

        assertThat(story).contains(". esxi drops it on port centos-eth0 (forged_transmit): source 52:54:00:00:00:03 is "
                + "not the vNIC's effective MAC 00:50:56:00:01:07 and forged transmits is reject\n")
            .doesNotContain("learns 52:54:00:00:00:03")
            .endsWith("    The reply goes no further: vm1 never learns 10.0.0.3's MAC; each retry ends the same way, "
                + "and ping reports Destination Host Unreachable.\n");
    }

    @Test
    void with_promiscuous_the_reply_passes_but_nothing_is_learned_and_the_reflection_is_copied() {
        String story = story(SeedPolicy.PROMISCUOUS);

        assertThat(story).contains("forged transmits accept; learning off in port group vlan119-vtep; "
                + "00:50:56:00:01:01 VLAN 119 is on port vm1; forward to vm1 (untagged)\n")
            .contains(". esxi takes it in on port uplink2: not learned: frame is a reflection; reverse-path filter: "
                + "source is local, our own frame coming back: not flooded; promiscuous copy to centos-eth0; forward to "
                + "centos-eth0 (untagged)\n")
            .doesNotContain("learns 52:54:00:00:00:03")
            .endsWith("    vm1 now has 10.0.0.3 in its ARP cache, and its ping can send.\n");
    }

    @Test
    void the_story_is_only_told_when_asked_and_is_the_same_every_time() {
        assertThat(Lab.seed(SeedPolicy.LEARNING, false).explanation()).isEmpty();
        assertThat(story(SeedPolicy.PROMISCUOUS)).isEqualTo(story(SeedPolicy.PROMISCUOUS));
    }

    @Test
    void the_nested_example_tells_the_same_story_without_a_tunnel() {
        String story = Lab.run(LabExample.NESTED.topology(SeedPolicy.DEFAULT, false), EXPLAIN, null).explanation()
            .orElseThrow();

        assertThat(story).contains(" 1. vm1 broadcasts an ARP request for 10.0.0.3 on VLAN 119 (esxi port vm1: ")
            .contains(". vm3 replies 10.0.0.3 is-at 52:54:00:00:00:03, unicast to vm1; esxi drops it on port nested "
                + "(forged_transmit)")
            .doesNotContain("VXLAN");
    }

    @Test
    void a_topology_without_pings_has_nothing_to_explain() {
        String story = Lab.run(LabExample.SEED.topology().withPings(List.of()), EXPLAIN, null).explanation()
            .orElseThrow();

        assertThat(story).isEqualTo("No ping in seed.yaml: nothing to explain.\n");
    }

    private static void assertInOrder(String text, String... parts) {
        int at = -1;
        for (String p : parts) {
            int next = text.indexOf(p, at + 1);
            assertThat(next).as("'" + p + "' after position " + at + " in:\n" + text).isGreaterThan(at);
            at = next;
        }
    }
}
