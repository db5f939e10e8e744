package io.vxswitch.lab;

import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.lab.node.NeighbourState;
import io.vxswitch.lab.node.VxlanTunnel;
import io.vxswitch.lab.topology.TopologyParser;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanDrop;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Two VTEP hosts on one underlay subnet (no router, no gateway), VM a on h1 and VM b on h2, VLAN 10 over VNI 5000. */
class VtepHostLabTest {
    static final String TWO_VTEPS = """
        hosts:
          - {name: a, mac: "02:00:00:00:00:0a", ip: 10.9.0.1/24}
          - {name: b, mac: "02:00:00:00:00:0b", ip: 10.9.0.2/24}
        vtepHosts:
          - name: h1
            underlay: {nic: eth9, mac: "02:00:00:00:01:01", ip: 192.168.50.1/24, mtu: 1500}
            vxlan: {udpPort: 4789, vnis: [{vni: 5000, vlan: 10, floodList: [192.168.50.2]}]}
            portGroups:
              - {name: vms, vlan: 10}
              - {name: vx, vlan: 10, macLearning: {enabled: true}}
            ports:
              - {name: a, portGroup: vms}
              - {name: vx0, kind: tunnel, portGroup: vx}
          - name: h2
            underlay: {nic: eth9, mac: "02:00:00:00:01:02", ip: 192.168.50.2/24, mtu: 1500}
            vxlan: {udpPort: 4789, vnis: [{vni: 5000, vlan: 10, floodList: [192.168.50.1]}]}
            portGroups:
              - {name: vms, vlan: 10}
              - {name: vx, vlan: 10, macLearning: {enabled: true}}
            ports:
              - {name: b, portGroup: vms}
              - {name: vx0, kind: tunnel, portGroup: vx}
        links:
          - [a, "h1:a"]
          - ["h1:eth9", "h2:eth9"]
          - [b, "h2:b"]
        pings:
          - {from: a, to: 10.9.0.2, count: 2}
        """;

    private static LabResult run(String yaml) {
        return Lab.run(TopologyParser.parse("t.yaml", yaml));
    }

    @Test
    void a_vlan_crosses_two_vteps_on_one_subnet_and_each_learns_the_other_side() {
        LabResult r = run(TWO_VTEPS);

        assertThat(PingOutput.parse(r.pings().getFirst().output()).received()).isEqualTo(2);
        FdbRow behind = r.hostSwitch("h2").fdbRows(r.endNanos()).stream()
            .filter(row -> row.mac() == MacAddress.parseBits("02:00:00:00:00:0a")).findFirst().orElseThrow();
        assertThat(behind.port()).isEqualTo("vx0");
        assertThat(r.network().vtepHost("h2").tunnel().vtep().remotes().address(behind.remote()))
            .isEqualTo(VtepAddress.parse("192.168.50.1"));
        assertThat(r.network().vtepHost("h1").tunnel().underlay().neighbours())
            .as("on one subnet the next hop is the remote VTEP itself, resolved by ARP")
            .anyMatch(n -> n.ip() == Ipv4Address.parse("192.168.50.2") && n.state() == NeighbourState.REACHABLE);
    }

    @Test
    void the_outer_headers_follow_rfc_7348() {
        List<byte[]> vxlan = new ArrayList<>();
        Lab.run(TopologyParser.parse("t.yaml", TWO_VTEPS), (time, from, frame) -> {
            if (from.name().equals("h1:eth9") && Ethernet.etherType(MemorySegment.ofArray(frame), 0) == EtherType.IPV4) {
                vxlan.add(frame);
            }
        });

        assertThat(vxlan).hasSize(3).allSatisfy(f -> { // ARP request, then two echo requests
            MemorySegment s = MemorySegment.ofArray(f);
            long ip = Ethernet.HEADER_LENGTH;
            long udp = ip + Ipv4.MIN_HEADER_LENGTH;
            assertThat(Ethernet.src(s, 0)).isEqualTo(MacAddress.parseBits("02:00:00:00:01:01"));
            assertThat(Ethernet.dst(s, 0)).isEqualTo(MacAddress.parseBits("02:00:00:00:01:02"));
            assertThat(Ipv4.src(s, ip)).isEqualTo(Ipv4Address.parse("192.168.50.1"));
            assertThat(Ipv4.ttl(s, ip)).isEqualTo(64);
            assertThat(Ipv4.dontFragment(s, ip)).as("never fragmented (RFC 7348 §4.3)").isTrue();
            assertThat(Udp.dstPort(s, udp)).isEqualTo(4789);
            assertThat(Udp.srcPort(s, udp)).as("RFC 7348 §5: from the inner flow, 49152-65535").isBetween(49152, 65535);
            assertThat(Udp.checksum(s, udp)).as("zero over IPv4 (RFC 7348 §5)").isZero();
            assertThat(Vxlan.hasIFlag(s, udp + Udp.LENGTH)).isTrue();
            assertThat(Vxlan.vni(s, udp + Udp.LENGTH)).isEqualTo(5000);
        });
    }

    @Test
    void an_inner_frame_too_big_for_the_underlay_mtu_is_dropped_and_explained_never_fragmented() {
        // MTU 100: an ARP frame (42 bytes + 36) fits, a ping (98 + 36) does not.
        LabResult r = run(TWO_VTEPS.replace("ip: 192.168.50.1/24, mtu: 1500", "ip: 192.168.50.1/24, mtu: 100"));
        VxlanTunnel h1 = r.network().vtepHost("h1").tunnel();

        assertThat(PingOutput.parse(r.pings().getFirst().output()).loss()).isEqualTo("100");
        assertThat(h1.counters().drops(VxlanDrop.MTU_EXCEEDED)).isEqualTo(2);
        assertThat(h1.log()).singleElement().asString().contains("dropped a 98-byte inner frame on VNI 5000")
            .contains("Lower the VM's MTU to 50");
        assertThat(r.fdbTables()).contains("VTEP 192.168.50.1 udp/4789: VNI 5000 <-> VLAN 10 flood 192.168.50.2;")
            .contains("mtu_exceeded=2");
    }

    @Test
    void both_ends_must_use_the_same_udp_port() {
        // h1 sends to 8472 (the Linux vxlan device's default), h2 listens on 4789: h2 ignores every datagram.
        LabResult mismatch = run(TWO_VTEPS.replaceFirst("udpPort: 4789", "udpPort: 8472"));
        assertThat(PingOutput.parse(mismatch.pings().getFirst().output()).loss()).isEqualTo("100");
        assertThat(mismatch.network().vtepHost("h2").tunnel().ignored()).isPositive();
        assertThat(mismatch.network().vtepHost("h2").tunnel().counters().decapsulated()).isZero();

        LabResult both = run(TWO_VTEPS.replace("udpPort: 4789", "udpPort: 8472"));
        assertThat(PingOutput.parse(both.pings().getFirst().output()).received()).isEqualTo(2);
        assertThat(both.fdbTables()).contains("VTEP 192.168.50.2 udp/8472:");
    }
}
