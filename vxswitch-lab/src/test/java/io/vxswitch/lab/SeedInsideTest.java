package io.vxswitch.lab;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.lab.node.Frames;
import io.vxswitch.lab.node.NeighbourState;
import io.vxswitch.lab.node.TracedFrame;
import io.vxswitch.lab.node.VxlanTunnel;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.vxlan.VtepAddress;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/** The seed article from the inside: the host switches' MAC tables, the VTEPs, the routers, counters and traces. */
class SeedInsideTest {
    static final long VM1 = MacAddress.parseBits("00:50:56:00:01:01");
    static final long VM3 = MacAddress.parseBits("52:54:00:00:00:03");
    static final long VM4 = MacAddress.parseBits("52:54:00:00:00:04");

    @Test
    void the_seed_pins_vm1_and_the_centos_vms_eth0_to_different_uplinks() {
        Switch esxi = Lab.seed(SeedPolicy.LEARNING, false).vds("esxi");

        assertThat(esxi.pinnedUplink(esxi.port("vm1").id()).name()).isEqualTo("uplink1");
        assertThat(esxi.pinnedUplink(esxi.port("centos-eth0").id()).name()).isEqualTo("uplink2");
    }

    @Test
    void with_learning_the_vds_learns_vm3_and_vm4_on_the_centos_vms_eth0_port() {
        LabResult r = Lab.seed(SeedPolicy.LEARNING, false);

        assertThat(r.vds("esxi").fdbRows(r.endNanos()))
            .filteredOn(row -> row.type() == FdbEntryType.LEARNED)
            .extracting(FdbRow::port, FdbRow::vlan, FdbRow::mac)
            .containsExactlyInAnyOrder(Tuple.tuple("centos-eth0", 119, VM3), Tuple.tuple("centos-eth0", 119, VM4));
        assertThat(r.fdbTables()).containsPattern("centos-eth0 +119 +52:54:00:00:00:03 +\\d+ +learned");
    }

    @Test
    void the_kvm_host_learns_vm1_behind_the_centos_vms_vtep() {
        LabResult r = Lab.seed(SeedPolicy.LEARNING, false);

        assertThat(remoteOf(r, "centos7-kvm", VM1)).isEqualTo(VtepAddress.parse("192.0.2.10"));
        assertThat(remoteOf(r, "centos7-vm", VM3)).isEqualTo(VtepAddress.parse("198.51.100.10"));
        assertThat(r.fdbTables()).containsPattern("vxlan0 +119 +00:50:56:00:01:01 +\\d+ +learned +0 +192\\.0\\.2\\.10");
        assertThat(r.hostSwitch("centos7-vm").fdbRows(r.endNanos()))
            .filteredOn(row -> row.mac() == VM1).extracting(FdbRow::port).as("bridged eth0 learns the ESXi side")
            .containsExactly("eth0");
    }

    @Test
    void the_underlay_loses_nothing_and_each_router_takes_one_off_the_outer_ttl() {
        LabResult r = Lab.seed(SeedPolicy.LEARNING, false);
        VxlanTunnel left = r.network().vtepHost("centos7-vm").tunnel();
        VxlanTunnel right = r.network().vtepHost("centos7-kvm").tunnel();

        assertThat(left.counters().encapsulated()).isPositive().isEqualTo(right.counters().decapsulated());
        assertThat(right.counters().encapsulated()).isPositive().isEqualTo(left.counters().decapsulated());
        assertThat(left.counters().totalDrops() + right.counters().totalDrops()).isZero();
        assertThat(r.network().router("nexus5548").counters().forwarded()).isPositive();
        assertThat(r.network().router("router").counters().ttlExceeded()).isZero();
        assertThat(outerTtls(SeedPolicy.LEARNING, "router:gi0/1")).containsOnly(62);
        assertThat(left.underlay().neighbours()).anyMatch(n -> n.ip() == Ipv4Address.parse("192.0.2.1")
            && n.state() == NeighbourState.REACHABLE);
    }

    @Test
    void with_learning_the_echo_request_is_known_unicast_to_the_centos_vms_port() {
        TracedFrame t = Lab.seed(SeedPolicy.LEARNING, false).firstEchoTrace().orElseThrow();

        assertThat(t.switchName()).isEqualTo("esxi");
        assertThat(t.inPort()).isEqualTo("vm1");
        assertThat(t.frame()).contains("10.0.0.1 > 10.0.0.3: ICMP echo request");
        assertThat(t.trace().render()).contains("52:54:00:00:00:03 VLAN 119 is on port centos-eth0")
            .contains("forward to centos-eth0 (untagged)");
    }

    @Test
    void with_defaults_vm3s_arp_reply_is_dropped_as_a_forged_transmit_on_the_centos_vms_port() {
        LabResult r = Lab.seed(SeedPolicy.DEFAULT, false);
        Switch esxi = r.vds("esxi");

        assertThat(esxi.port("centos-eth0").counters().get(DropReason.FORGED_TRANSMIT)).isPositive();
        assertThat(esxi.fdbRows(r.endNanos())).noneMatch(row -> row.type() == FdbEntryType.LEARNED);
        assertThat(r.firstEchoTrace()).as("ARP never resolved, so no echo request reached a switch").isEmpty();
        TracedFrame drop = r.firstVnicDropTrace().orElseThrow();
        assertThat(drop.switchName()).isEqualTo("esxi");
        assertThat(drop.inPort()).isEqualTo("centos-eth0");
        assertThat(drop.frame()).contains("ARP, Reply 10.0.0.3 is-at 52:54:00:00:00:03");
        assertThat(drop.trace().render()).contains("drop (forged_transmit)");
        assertThat(remoteOf(r, "centos7-kvm", VM1)).as("the tunnel itself works").isNotNull();
    }

    @Test
    void with_promiscuous_the_echo_goes_out_vm1s_uplink_and_to_the_promiscuous_centos_port() {
        TracedFrame t = Lab.seed(SeedPolicy.PROMISCUOUS, false).firstEchoTrace().orElseThrow();

        assertThat(t.inPort()).isEqualTo("vm1");
        assertThat(t.trace().render()).contains("is unknown: unknown unicast")
            .contains("promiscuous copy to centos-eth0")
            .contains("forward to uplink1 (tag 119), centos-eth0 (untagged)");
    }

    @Test
    void with_promiscuous_each_echo_request_crosses_the_tunnel_twice_unless_reverse_path_checked() {
        // VM1's 4 requests: copy 1 straight to the promiscuous port, copy 2 after the Nexus 5K flooded it back in on
        // uplink2, the port's uplink. Both are bridged into the tunnel and VM3 answers both: (DUP!).
        assertThat(count(SeedPolicy.PROMISCUOUS, false, "centos7-kvm:vm3", Frames::isIcmpEchoRequest)).isEqualTo(8);
        assertThat(count(SeedPolicy.PROMISCUOUS, true, "centos7-kvm:vm3", Frames::isIcmpEchoRequest)).isEqualTo(4);
        assertThat(count(SeedPolicy.LEARNING, false, "centos7-kvm:vm3", Frames::isIcmpEchoRequest)).isEqualTo(4);
        // On the WAN: VM1's requests (twice each with promiscuous) and the workstation's 4 to VM4 (once each).
        Predicate<byte[]> vxlanEcho = f -> Frames.describe(f).matches(".*VXLAN, vni 119: .*ICMP echo request.*");
        assertThat(count(SeedPolicy.PROMISCUOUS, false, "nexus5548:eth1/1", vxlanEcho)).isEqualTo(4 * 2 + 4);
        assertThat(count(SeedPolicy.LEARNING, false, "nexus5548:eth1/1", vxlanEcho)).isEqualTo(4 + 4);
    }

    @Test
    void with_reverse_path_check_promisc_the_reflected_copy_goes_nowhere() {
        LabResult plain = Lab.seed(SeedPolicy.PROMISCUOUS, false);
        LabResult checked = Lab.seed(SeedPolicy.PROMISCUOUS, true);

        assertThat(plain.vds("esxi").port("uplink2").counters().get(DropReason.UNKNOWN_UNICAST)).isZero();
        assertThat(checked.vds("esxi").port("uplink2").counters().get(DropReason.UNKNOWN_UNICAST)).isEqualTo(4);
    }

    private static VtepAddress remoteOf(LabResult r, String host, long mac) {
        Switch sw = r.hostSwitch(host);
        FdbRow row = sw.fdbRows(r.endNanos()).stream().filter(x -> x.mac() == mac).findFirst().orElse(null);
        return row == null ? null : r.network().vtepHost(host).tunnel().vtep().remotes().address(row.remote());
    }

    /** Frames matching {@code what} that the lab saw leaving through link end {@code end}. */
    private static long count(SeedPolicy policy, boolean rpc, String end, Predicate<byte[]> what) {
        long[] n = {0};
        Lab.run(Lab.seedTopology(policy, rpc), (time, from, frame) -> {
            if (from.name().equals(end) && what.test(frame)) {
                n[0]++;
            }
        });
        return n[0];
    }

    /** The outer IPv4 TTL of every UDP packet leaving through link end {@code end}. */
    private static List<Integer> outerTtls(SeedPolicy policy, String end) {
        List<Integer> ttls = new ArrayList<>();
        Lab.run(Lab.seedTopology(policy, false), (time, from, frame) -> {
            MemorySegment s = MemorySegment.ofArray(frame);
            if (from.name().equals(end) && Ethernet.etherType(s, 0) == EtherType.IPV4
                && Ipv4.protocol(s, Ethernet.HEADER_LENGTH) == Ipv4.PROTOCOL_UDP) {
                ttls.add(Ipv4.ttl(s, Ethernet.HEADER_LENGTH));
            }
        });
        return ttls;
    }
}
