package io.vxswitch.vxlan;

import static io.vxswitch.vxlan.LabAddresses.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The send side of a VTEP without devices: a host switch with vm1 in VLAN 119 (VNI 119, flooded to VTEPs B and C by
 * head-end replication) and vm2 in VLAN 120, which the tunnel port carries but no VNI maps; two forwarding lanes.
 */
class TunnelEgressTest {
    static final long VM2 = MacAddress.parseBits("02:00:00:00:00:02");
    static final VtepAddress HOST_C = VtepAddress.parse("192.0.2.3");
    static final long INNER = 64;

    final Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8).withLanes(2));
    final ForwardingDecision d = sw.newDecision();
    final VxlanCounters counters = new VxlanCounters();
    final RemoteVteps remotes = new RemoteVteps(16, 2);
    final FloodList flood = new FloodList(remotes);
    final List<String> log = new ArrayList<>();
    final int vm1;
    final int vm2;
    final int tunnel;
    final int b;
    final int c;
    final Vtep vtep;
    final TunnelEgress egress;
    final MemorySegment in = MemorySegment.ofArray(new byte[2048]);
    final MemorySegment buf = MemorySegment.ofArray(new byte[4096]);

    TunnelEgressTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119-120"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        vm1 = sw.addVnicPort("vm1", "vlan119", VM1);
        vm2 = sw.addVnicPort("vm2", "vlan120", VM2);
        tunnel = sw.addTunnelPort("vx", "vxlan");
        b = flood.add(VNI, HOST_B);
        c = flood.add(VNI, HOST_C);
        VniMap vnis = VniMap.of(VNI, VLAN);
        vtep = new Vtep(sw, "vx", vnis, remotes, flood, new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters),
            counters);
        egress = new TunnelEgress(vtep, new MtuCheck(1500, counters, log::add), SourcePortHash.rfc7348(), false);
    }

    /** Forwards the frame in {@code in} from {@code port}; the decision's only copy is for the tunnel. */
    private void forward(int port, int length) {
        sw.forward(port, in, 0, length, 0, d);
        assertThat(d.egressCount()).as("copies (%s)", d.dropReason()).isEqualTo(1);
        assertThat(d.egressPort(0)).isEqualTo(tunnel);
    }

    /** vm3's MAC learned in {@code vlan} behind {@code remote}, as a frame from the tunnel teaches it. */
    private void learnVm3Behind(int remote, int vlan) {
        int length = FrameBuilder.arpReply(in, 0, VM3, IP3, VM1, IP1);
        sw.forwardFromTunnel(tunnel, remote, vlan, in, 0, length, 0, d, null);
    }

    /** A UDP datagram from {@code from} (IP1) to vm3 (IP3) from {@code srcPort}, {@code length} bytes in all. */
    private int udp(long from, int srcPort, int length) {
        MemorySegment payload = MemorySegment.ofArray(new byte[length - 42]);
        return FrameBuilder.udp(in, 0, from, VM3, IP1, IP3, srcPort, 5201, payload);
    }

    /** Copy 0 of the decision, written at {@link #INNER} in {@code buf}; returns its length. */
    private int writeCopy() {
        return d.writeEgress(0, buf, INNER);
    }

    @Test
    void a_flooded_copy_goes_to_every_peer_of_the_vnis_flood_list_in_the_order_added() {
        forward(vm1, FrameBuilder.arpRequest(in, 0, VM1, IP1, IP3));

        assertThat(egress.targets(d, 0)).isEqualTo(2);
        assertThat(egress.target(0)).isEqualTo(b);
        assertThat(egress.target(1)).isEqualTo(c);
        assertThat(egress.vni()).isEqualTo(VNI);
    }

    @Test
    void a_copy_to_a_mac_learned_behind_a_vtep_goes_to_that_vtep_only() {
        learnVm3Behind(c, VLAN);
        forward(vm1, udp(VM1, 40000, 100));

        assertThat(egress.targets(d, 0)).isOne();
        assertThat(egress.target(0)).isEqualTo(c);
        assertThatThrownBy(() -> egress.target(1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void a_copy_for_another_port_is_not_the_tunnels() {
        sw.addVnicPort("vm4", "vlan119", 0x02_00_00_00_00_04L);
        sw.forward(vm1, in, 0, FrameBuilder.arpRequest(in, 0, VM1, IP1, IP3), 0, d);
        int local = d.egressPort(0) == tunnel ? 1 : 0;

        assertThat(egress.targets(d, local)).isZero();
        assertThat(egress.targets(d, 1 - local)).isEqualTo(2);
        assertThat(counters.totalDrops()).isZero();
    }

    @Test
    void a_frame_of_a_vlan_without_a_vni_is_dropped_and_counted_never_sent_as_vni_0xffffff() {
        learnVm3Behind(b, 120);
        forward(vm2, udp(VM2, 40000, 100));
        assertThat(d.egressRemote(0)).as("learned behind B").isEqualTo(b);

        assertThat(egress.targets(d, 0)).isZero();
        assertThat(egress.vni()).isEqualTo(VniMap.NONE);
        assertThatThrownBy(() -> egress.encapsulate(buf, INNER, writeCopy(), 0, 0))
            .isInstanceOf(IndexOutOfBoundsException.class);

        forward(vm2, FrameBuilder.arpRequest(in, 0, VM2, IP1, IP3)); // flooded
        assertThat(egress.targets(d, 0)).isZero();

        assertThat(counters.drops(VxlanDrop.VLAN_WITHOUT_VNI)).isEqualTo(2);
        assertThat(counters.encapsulated()).isZero();
        assertThat(remotes.txPackets(b)).isZero();
        assertThat(counters.toString()).contains("vlan_without_vni=2");
    }

    @Test
    void a_vni_that_floods_to_a_multicast_group_is_left_to_the_driver() {
        flood.remove(VNI, HOST_B);
        flood.remove(VNI, HOST_C);
        flood.useMulticastGroup(VNI, VtepAddress.parse("239.1.1.119"));
        forward(vm1, FrameBuilder.arpRequest(in, 0, VM1, IP1, IP3));

        assertThat(egress.targets(d, 0)).isEqualTo(TunnelEgress.MULTICAST);
        assertThatThrownBy(() -> egress.target(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void the_vxlan_header_goes_right_before_the_inner_frame_with_the_i_flag_the_vni_and_reserved_bits_zero() {
        buf.fill((byte) 0xEE);
        int length = udp(VM1, 40000, 100);
        forward(vm1, length);
        egress.targets(d, 0);
        writeCopy();

        assertThat(egress.encapsulate(buf, INNER, length, 0, 0)).isNotEqualTo(TunnelEgress.DROPPED);

        assertThat(Hex.of(buf, INNER - TunnelEgress.HEADER, TunnelEgress.HEADER)).isEqualTo("0800000000007700");
        assertThat(Hex.of(buf, INNER, length)).as("the inner frame untouched").isEqualTo(Hex.of(in, 0, length));
        assertThat(Hex.of(buf, 0, (int) INNER - TunnelEgress.HEADER)).as("nothing written before the header")
            .matches("(ee)+");
    }

    @Test
    void the_source_port_is_a_hash_of_the_inner_flow_so_one_flow_keeps_one_port() {
        Set<Integer> ports = new HashSet<>();
        for (int flow = 0; flow < 16; flow++) {
            int length = udp(VM1, 40000 + flow, 100 + flow);
            forward(vm1, length);
            egress.targets(d, 0);
            int port = egress.encapsulate(buf, INNER, writeCopy(), 0, 0);
            assertThat(port).isBetween(SourcePortHash.RFC7348_MIN, SourcePortHash.RFC7348_MAX)
                .isEqualTo(SourcePortHash.rfc7348().port(buf, INNER, length))
                .as("to each peer the same").isEqualTo(egress.encapsulate(buf, INNER, length, 1, 0));

            forward(vm1, udp(VM1, 40000 + flow, 900)); // the same flow, another size
            egress.targets(d, 0);
            assertThat(egress.encapsulate(buf, INNER, writeCopy(), 0, 0)).as("flow %d", flow).isEqualTo(port);
            ports.add(port);
        }
        assertThat(ports).as("16 flows spread over the range (RFC 7348 §5)").hasSizeGreaterThan(8);
    }

    @Test
    void a_frame_too_big_for_the_underlay_is_dropped_and_counted_never_fragmented() {
        assertThat(egress.fits(1464)).isTrue();
        assertThat(egress.fits(1465)).as("1465 + 36 > 1500").isFalse();
        forward(vm1, udp(VM1, 40000, 1465));
        egress.targets(d, 0);

        assertThat(egress.encapsulate(buf, INNER, writeCopy(), 0, 0)).isEqualTo(TunnelEgress.DROPPED);

        assertThat(counters.drops(VxlanDrop.MTU_EXCEEDED)).isOne();
        assertThat(counters.encapsulated()).isZero();
        assertThat(remotes.txPackets(b)).isZero();
        assertThat(log).singleElement().asString().contains("VTEPs never fragment (RFC 7348 §4.3)");

        TunnelEgress overIpv6 = new TunnelEgress(vtep, new MtuCheck(1500, counters, log::add), SourcePortHash.rfc7348(),
            true);
        assertThat(overIpv6.fits(1444)).isTrue();
        assertThat(overIpv6.fits(1445)).as("IPv6 is 20 bytes longer").isFalse();
    }

    @Test
    void each_datagram_is_counted_once_encapsulated_and_once_for_its_remote_vtep_in_its_lanes_counters() {
        forward(vm1, FrameBuilder.arpRequest(in, 0, VM1, IP1, IP3));
        int length = writeCopy();
        for (int k = 0; k < egress.targets(d, 0); k++) {
            egress.encapsulate(buf, INNER, length, k, 0);
        }
        Vtep second = vtep.forLane(1);
        TunnelEgress secondLoop = new TunnelEgress(second, new MtuCheck(1500, second.counters(), log::add),
            SourcePortHash.rfc7348(), false);
        secondLoop.targets(d, 0);
        secondLoop.encapsulate(buf, INNER, length, 0, 0);

        assertThat(counters.encapsulated()).isEqualTo(2);
        assertThat(second.counters().encapsulated()).as("the second loop counts on its own").isOne();
        assertThat(remotes.txPackets(b)).as("both lanes").isEqualTo(2);
        assertThat(remotes.txPackets(c)).isOne();
    }

    @Test
    void a_gso_train_gets_a_header_per_segment_one_source_port_and_a_count_per_datagram() {
        forward(vm1, FrameBuilder.arpRequest(in, 0, VM1, IP1, IP3));
        egress.targets(d, 0);
        int[] lengths = {100, 100, 60}; // equal segments but the last, as UDP GSO sends them
        long inner = INNER;
        for (int length : lengths) {
            FrameBuilder.udp(buf, inner, VM1, VM3, IP1, IP3, 40000, 5201, MemorySegment.ofArray(new byte[length - 42]));
            inner += TunnelEgress.HEADER + length;
        }

        int port = egress.encapsulateTrain(buf, INNER, 100, 3, 1);

        assertThat(port).isEqualTo(SourcePortHash.rfc7348().port(buf, INNER, 100));
        for (long header = INNER - TunnelEgress.HEADER; header < inner - 60; header += TunnelEgress.HEADER + 100) {
            assertThat(Hex.of(buf, header, TunnelEgress.HEADER)).isEqualTo("0800000000007700");
        }
        assertThat(counters.encapsulated()).isEqualTo(3);
        assertThat(remotes.txPackets(c)).isEqualTo(3);
        assertThatThrownBy(() -> egress.encapsulateTrain(buf, INNER, 1465, 2, 0))
            .hasMessageContaining("1465-byte segments do not fit the underlay MTU 1500");
    }
}
