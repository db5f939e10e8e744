package io.vxswitch.lab;

import io.vxswitch.config.ConfigException;
import io.vxswitch.lab.topology.TopologyParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabRunTest {
    static final String TWO_VMS = """
        hosts:
          - {name: a, mac: "00:50:56:00:00:01", ip: 192.168.0.1/24}
          - {name: b, mac: "00:50:56:00:00:02", ip: 192.168.0.2/24}
        vdsHosts:
          - name: esx
            portGroups: [{name: pg, vlan: 10}]
            ports: [{name: a, portGroup: pg}, {name: b, portGroup: pg}]
        links:
          - [a, "esx:a"]
          - {ends: [b, "esx:b"], latency: 100us}
        pings:
          - {from: a, to: 192.168.0.2, count: 2}
        """;

    @Test
    void a_users_topology_file_runs_its_pings(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("two-vms.yaml");
        Files.writeString(file, TWO_VMS);

        LabResult r = Lab.run(file);

        assertThat(r.transcript()).isEqualTo("""
            a$ ping -c 2 192.168.0.2
            PING 192.168.0.2 (192.168.0.2) 56(84) bytes of data.
            64 bytes from 192.168.0.2: icmp_seq=1 ttl=64 time=0.600 ms
            64 bytes from 192.168.0.2: icmp_seq=2 ttl=64 time=0.300 ms

            --- 192.168.0.2 ping statistics ---
            2 packets transmitted, 2 received, 0% packet loss, time 1000ms
            rtt min/avg/max/mdev = 0.300/0.450/0.600/0.150 ms
            """);
        assertThat(r.switches()).extracting(s -> s.name()).containsExactly("esx");
        assertThat(r.network().host("a").neighbours()).hasSize(1);
    }

    @Test
    void errors_the_forwarding_plane_finds_point_at_the_file() {
        String yaml = TWO_VMS.replace("{name: b, portGroup: pg}", "{name: b, portGroup: pg, mac: \"00:50:56:00:00:01\"}");

        assertThatThrownBy(() -> Lab.run(TopologyParser.parse("t.yaml", yaml)))
            .isInstanceOf(ConfigException.class)
            .hasMessage("t.yaml:7:39: host switch 'esx': vNIC 'b': MAC 00:50:56:00:00:01 is already used by vNIC 'a'");
    }

    @Test
    void the_same_topology_gives_the_same_run_frame_for_frame() {
        assertThat(frameLog(SeedPolicy.PROMISCUOUS)).isEqualTo(frameLog(SeedPolicy.PROMISCUOUS));
        assertThat(Lab.seed(SeedPolicy.LEARNING, false).transcript())
            .isEqualTo(Lab.seed(SeedPolicy.LEARNING, false).transcript());
    }

    @Test
    void a_tap_sees_frames_on_inner_links_of_the_nested_hypervisor_too() {
        List<String> seen = new ArrayList<>();
        Lab.run(LabExample.NESTED.topology(SeedPolicy.LEARNING, false), (time, from, frame) -> seen.add(from.name()));

        assertThat(seen).contains("vm1", "esxi:nested", "centos7-kvm-br0:vm3", "vm3", "nexus5k:eth1/10");
    }

    @Test
    void the_seed_policy_has_a_cli_spelling() {
        assertThat(SeedPolicy.parse("Promiscuous")).isEqualTo(SeedPolicy.PROMISCUOUS);
        assertThat(SeedPolicy.LEARNING.label()).isEqualTo("learning");
        assertThatThrownBy(() -> SeedPolicy.parse("learn")).hasMessageContaining("default, promiscuous or learning");
    }

    private static List<String> frameLog(SeedPolicy policy) {
        List<String> log = new ArrayList<>();
        Lab.run(Lab.seedTopology(policy, false), (time, from, frame) ->
            log.add(time + " " + from.name() + " " + io.vxswitch.lab.node.Frames.describe(frame)));
        return log;
    }
}
