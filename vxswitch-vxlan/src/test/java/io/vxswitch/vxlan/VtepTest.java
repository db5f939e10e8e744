package io.vxswitch.vxlan;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterReading;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two host switches joined by VTEPs through real encapsulation and decapsulation, VLAN 119 over VNI 119. */
class VtepTest {
    static final long VM1 = 0x005056000001L;
    static final long VM3 = 0x525400000003L;
    static final long UNDERLAY_A = 0x02000000a001L;
    static final long UNDERLAY_B = 0x02000000b001L;

    /** One side: a switch with one VM and a tunnel port, its VTEP, the VTEP's egress and outer headers as the lab's. */
    static final class Side {
        final Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8));
        final ForwardingDecision d = sw.newDecision();
        final Vtep vtep;
        final TunnelIngress ingress;
        final TunnelEgress egress;
        final OuterHeaderWriter outer;
        final VxlanCounters counters = new VxlanCounters();
        final MemorySegment buf = MemorySegment.ofArray(new byte[2048]);
        final List<String> log = new ArrayList<>();

        Side(String vm, long mac, String local, String remote, long underlayMac) {
            this(vm, mac, local, remote, underlayMac, AcceptFrom.KNOWN);
        }

        Side(String vm, long mac, String local, String remote, long underlayMac, AcceptFrom acceptFrom) {
            sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
            sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
                SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
            sw.addVnicPort(vm, "vlan119", mac);
            sw.addTunnelPort("vx119", "vxlan");
            VniMap vnis = VniMap.of(119, 119);
            RemoteVteps remotes = new RemoteVteps(16);
            FloodList flood = new FloodList(remotes);
            flood.add(119, VtepAddress.parse(remote));
            vtep = new Vtep(sw, "vx119", vnis, remotes, flood,
                new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters, acceptFrom, log::add);
            remotes.serve(sw);
            ingress = new TunnelIngress(vtep, sw.lane(0));
            egress = new TunnelEgress(vtep, new MtuCheck(1500, counters, line -> { }), SourcePortHash.rfc7348(), false);
            outer = new OuterHeaderWriter(underlayMac, VtepAddress.parse(local), EncapOptions.defaults());
        }

        /** Forwards a frame from the VM; returns the underlay frames it produced, encapsulated in buf. */
        int sendFromVm(String vm, MemorySegment frame, int length, long nextHop, Side peer) {
            sw.forward(sw.port(vm).id(), frame, 0, length, 0, d);
            int sent = 0;
            for (int i = 0; i < d.egressCount(); i++) {
                int n = egress.targets(d, i);
                for (int k = 0; k < n; k++) {
                    long inner = VxlanOverhead.IPV4;
                    int innerLength = d.writeEgress(i, buf, inner);
                    int srcPort = egress.encapsulate(buf, inner, innerLength, k, 0);
                    assertThat(srcPort).isNotEqualTo(TunnelEgress.DROPPED);
                    int outerLength = outer.write(buf, inner - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength,
                        srcPort, vtep.remotes(), egress.target(k), nextHop);
                    assertThat(peer.ingress.receiveFrame(buf, inner - VxlanOverhead.IPV4, outerLength, 0, peer.d, null))
                        .isEqualTo(VxlanDrop.NONE);
                    sent++;
                }
            }
            return sent;
        }
    }

    private final Side a = new Side("vm1", VM1, "192.0.2.1", "192.0.2.2", UNDERLAY_A);
    private final Side b = new Side("vm3", VM3, "192.0.2.2", "192.0.2.1", UNDERLAY_B);

    @Test
    void an_arp_broadcast_crosses_the_tunnel_and_the_reply_comes_back_to_the_vtep_it_was_learned_behind() {
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.3"));
        assertThat(a.sendFromVm("vm1", f, len, UNDERLAY_B, b)).isEqualTo(1);
        assertThat(b.d.egressCount()).isEqualTo(1);
        assertThat(b.sw.port(b.d.egressPort(0)).name()).isEqualTo("vm3");
        int behind = b.sw.fdb().entryId(119, VM1);
        assertThat(b.vtep.remotes().address(b.sw.fdb().entryRemote(behind))).isEqualTo(VtepAddress.parse("192.0.2.1"));

        len = FrameBuilder.arpReply(f, 0, VM3, Ipv4Address.parse("10.0.0.3"), VM1, Ipv4Address.parse("10.0.0.1"));
        assertThat(b.sendFromVm("vm3", f, len, UNDERLAY_A, a)).isEqualTo(1);
        assertThat(a.sw.port(a.d.egressPort(0)).name()).isEqualTo("vm1");
        assertThat(a.sw.showFdb(0)).contains(MacAddress.format(VM3)).contains("vx119").contains("192.0.2.2");
    }

    @Test
    void a_vtep_for_a_second_lane_shares_the_remote_vteps_and_counts_on_its_own() {
        Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8).withLanes(2));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        sw.addVnicPort("vm3", "vlan119", VM3);
        sw.addTunnelPort("vx119", "vxlan");
        VniMap vnis = VniMap.of(119, 119);
        RemoteVteps remotes = new RemoteVteps(16, 2);
        VxlanCounters counters = new VxlanCounters();
        Vtep first = new Vtep(sw, "vx119", vnis, remotes, new FloodList(remotes),
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters, AcceptFrom.ANY, line -> { });
        Vtep second = first.forLane(1);

        // vm1's ARP broadcast, encapsulated by side a, arrives on the second lane's socket
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.3"));
        a.sw.forward(a.sw.port("vm1").id(), f, 0, len, 0, a.d);
        long inner = VxlanOverhead.IPV4;
        int innerLength = a.d.writeEgress(0, a.buf, inner);
        int outer = UnderlayFrames.ipv4(a.outer, a.buf, inner, innerLength, 119, a.vtep.remotes().ipv4(0), UNDERLAY_B);
        ForwardingDecision d = sw.newDecision();
        assertThat(new TunnelIngress(second, sw.lane(1)).receiveFrame(a.buf, 0, outer, 0, d, null)).isEqualTo(VxlanDrop.NONE);

        assertThat(sw.port(d.egressPort(0)).name()).isEqualTo("vm3");
        assertThat(second.lane()).isOne();
        assertThat(second.counters().decapsulated()).isOne();
        assertThat(first.counters().decapsulated()).as("the first lane's counters are its own").isZero();
        int remote = remotes.idOf(VtepAddress.parse("192.0.2.1"));
        assertThat(remote).as("registered by the second lane, seen by every lane").isNotNegative();
        assertThat(remotes.rxPackets(remote)).isOne();
        assertThat(sw.fdb().portOf(119, VM1)).isEqualTo(sw.port("vx119").id());
        assertThat(sw.port("vx119").counters().get(PortCounter.RX_FRAMES)).as("the port's counters add the lanes up")
            .isOne();
        CounterReading read = sw.counters().read();
        assertThat(read.of(CounterScope.TUNNEL, "vx119").get(TunnelCounter.DECAPSULATED))
            .as("the registry adds the loops' VTEP counters up").isOne();
        assertThat(read.of(CounterScope.REMOTE_VTEP, "vx119 192.0.2.1").get(PeerCounter.RX_PACKETS)).isOne();
        assertThatThrownBy(() -> first.forLane(2)).hasMessage("lane 2 is not one of the switch's lanes 1-1");
    }

    @Test
    void a_frame_from_the_tunnel_is_never_flooded_back_into_it() {
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.9"));
        a.sendFromVm("vm1", f, len, UNDERLAY_B, b);
        for (int i = 0; i < b.d.egressCount(); i++) {
            assertThat(b.d.egressPort(i)).isNotEqualTo(b.vtep.tunnelPort());
        }
    }

    @Test
    void a_vni_this_vtep_does_not_carry_is_dropped_and_counted() {
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.3"));
        MemorySegment buf = MemorySegment.ofArray(new byte[512]);
        MemorySegment.copy(f, 0, buf, 70, len);
        RemoteVteps r = new RemoteVteps(4);
        int id = r.register(VtepAddress.parse("192.0.2.2"));
        int outer = UnderlayFrames.ipv4(a.outer, buf, 70, len, 120, r.ipv4(id), UNDERLAY_B);
        assertThat(b.ingress.receiveFrame(buf, 20, outer, 0, b.d, null)).isEqualTo(VxlanDrop.UNKNOWN_VNI);
        assertThat(b.counters.drops(VxlanDrop.UNKNOWN_VNI)).isEqualTo(1);
    }

    @Test
    void removing_a_remote_vtep_forgets_the_macs_behind_it() {
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.3"));
        a.sendFromVm("vm1", f, len, UNDERLAY_B, b);
        assertThat(b.sw.fdb().portOf(119, VM1)).isNotEqualTo(-1);
        b.vtep.remotes().remove(VtepAddress.parse("192.0.2.1"));
        assertThat(b.sw.fdb().portOf(119, VM1)).isEqualTo(-1);
    }

    /** A VXLAN payload (header + inner frame) for VNI 119 whose inner frame is an ARP request from {@code src}. */
    private static int payloadFrom(MemorySegment payload, long src) {
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        int len = FrameBuilder.arpRequest(f, 0, src, Ipv4Address.parse("10.0.0.1"), Ipv4Address.parse("10.0.0.3"));
        io.vxswitch.packet.Vxlan.write(payload, 0, 119);
        MemorySegment.copy(f, 0, payload, 8, len);
        return 8 + len;
    }

    @Test
    void a_packet_from_a_non_unicast_source_or_one_vtep_too_many_is_dropped_and_counted_never_thrown() {
        Side any = new Side("vm3", VM3, "192.0.2.2", "192.0.2.1", UNDERLAY_B, AcceptFrom.ANY);
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        int len = payloadFrom(payload, VM1);
        VtepAddress group = VtepAddress.parse("224.0.0.5");
        assertThat(any.ingress.receivePayload(payload, 0, len, group.high(), group.low(), 0, any.d, null))
            .isEqualTo(VxlanDrop.BAD_SOURCE_VTEP);
        VtepAddress zero = VtepAddress.parse("0.0.0.0");
        assertThat(any.ingress.receivePayload(payload, 0, len, zero.high(), zero.low(), 0, any.d, null))
            .isEqualTo(VxlanDrop.BAD_SOURCE_VTEP);
        for (int i = 0; any.vtep.remotes().size() < any.vtep.remotes().capacity(); i++) {
            any.vtep.remotes().register(VtepAddress.parse("203.0.113." + (i + 1)));
        }
        VtepAddress extra = VtepAddress.parse("198.51.100.77");
        assertThat(any.ingress.receivePayload(payload, 0, len, extra.high(), extra.low(), 0, any.d, null))
            .isEqualTo(VxlanDrop.TOO_MANY_VTEPS);
        assertThat(any.counters.drops(VxlanDrop.BAD_SOURCE_VTEP)).isEqualTo(2);
        assertThat(any.counters.drops(VxlanDrop.TOO_MANY_VTEPS)).isEqualTo(1);
        assertThat(any.counters.decapsulated()).as("refused packets never reach the switch: dropped, not decapsulated")
            .isZero();
    }

    @Test
    void vxlan_from_an_address_outside_the_flood_list_is_dropped_counted_and_logged_at_most_once_per_interval() {
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        int len = payloadFrom(payload, VM1);
        VtepAddress spoofer = VtepAddress.parse("192.0.2.66");
        long t0 = 1_000_000_000L;
        for (int i = 0; i < 3; i++) {
            assertThat(b.ingress.receivePayload(payload, 0, len, spoofer.high(), spoofer.low(), t0 + i, b.d, null))
                .isEqualTo(VxlanDrop.UNKNOWN_VTEP);
        }
        assertThat(b.counters.drops(VxlanDrop.UNKNOWN_VTEP)).isEqualTo(3);
        assertThat(b.sw.port("vx119").counters().get(PortCounter.RX_FRAMES)).as("none reached the switch").isZero();
        assertThat(b.sw.fdb().portOf(119, VM1)).as("nothing learned behind it").isEqualTo(-1);
        assertThat(b.vtep.remotes().idOf(spoofer)).as("traffic never makes a VTEP known")
            .isEqualTo(RemoteVteps.NONE);
        assertThat(b.log).containsExactly("dropped VXLAN from 192.0.2.66: not a VTEP this tunnel knows (its flood "
            + "list, or the control plane's routes), and it accepts only those (counted as unknown_vtep). If it is a "
            + "VTEP, add it to the tunnel's remotes; to take VXLAN from any sender, set acceptFrom: any.");

        VtepAddress other = VtepAddress.parse("198.51.100.9");
        b.ingress.receivePayload(payload, 0, len, other.high(), other.low(), t0 + Vtep.UNKNOWN_VTEP_LOG_NANOS, b.d,
            null);
        assertThat(b.log).hasSize(2);
        assertThat(b.log.get(1)).startsWith("dropped VXLAN from 198.51.100.9: ")
            .endsWith(" [2 more such drops since the last message, not logged]");
        CounterReading read = b.sw.counters().read();
        assertThat(read.of(CounterScope.TUNNEL, "vx119").get(VxlanDrop.UNKNOWN_VTEP)).as("in the switch's registry")
            .isEqualTo(4);
    }

    @Test
    void a_vtep_the_control_plane_registered_is_known_without_being_in_the_flood_list() {
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        int len = payloadFrom(payload, VM1);
        VtepAddress evpnVtep = VtepAddress.parse("192.0.2.7");
        b.vtep.remotes().register(evpnVtep); // as EVPN's SwitchProgrammer does for a type-2 route's VTEP
        assertThat(b.ingress.receivePayload(payload, 0, len, evpnVtep.high(), evpnVtep.low(), 0, b.d, null))
            .isEqualTo(VxlanDrop.NONE);
        assertThat(b.sw.port(b.d.egressPort(0)).name()).isEqualTo("vm3");
        b.vtep.remotes().remove(evpnVtep); // its routes withdrawn
        assertThat(b.ingress.receivePayload(payload, 0, len, evpnVtep.high(), evpnVtep.low(), 0, b.d, null))
            .isEqualTo(VxlanDrop.UNKNOWN_VTEP);
    }

    @Test
    void accepting_any_sender_registers_a_new_vtep_on_its_first_packet_and_learns_behind_it() {
        Side any = new Side("vm3", VM3, "192.0.2.2", "192.0.2.1", UNDERLAY_B, AcceptFrom.ANY);
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        int len = payloadFrom(payload, VM1);
        VtepAddress stranger = VtepAddress.parse("192.0.2.66");
        assertThat(any.ingress.receivePayload(payload, 0, len, stranger.high(), stranger.low(), 0, any.d, null))
            .isEqualTo(VxlanDrop.NONE);
        int id = any.vtep.remotes().idOf(stranger);
        assertThat(id).isNotEqualTo(RemoteVteps.NONE);
        assertThat(any.sw.fdb().entryRemote(any.sw.fdb().entryId(119, VM1))).isEqualTo(id);
        assertThat(any.log).isEmpty();
    }

    @Test
    void a_frame_from_a_known_vtep_claiming_a_vnics_or_a_static_mac_moves_neither() {
        long nested = 0x005056000099L;
        b.sw.addStaticMac(119, nested, "vm3");
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        VtepAddress known = VtepAddress.parse("192.0.2.1");
        for (long claimed : new long[] {VM3, nested}) {
            int len = payloadFrom(payload, claimed);
            assertThat(b.ingress.receivePayload(payload, 0, len, known.high(), known.low(), 0, b.d, null))
                .isEqualTo(VxlanDrop.NONE);
        }
        assertThat(b.sw.fdb().portOf(119, nested)).isEqualTo(b.sw.port("vm3").id());
        assertThat(b.sw.fdb().size()).as("only the static entry: nothing learned behind the tunnel").isOne();
        // a frame for either MAC from the tunnel still goes to vm3
        MemorySegment f = MemorySegment.ofArray(new byte[128]);
        for (long dst : new long[] {VM3, nested}) {
            int len = FrameBuilder.arpReply(f, 0, VM1, Ipv4Address.parse("10.0.0.1"), dst,
                Ipv4Address.parse("10.0.0.3"));
            io.vxswitch.packet.Vxlan.write(payload, 0, 119);
            MemorySegment.copy(f, 0, payload, 8, len);
            b.ingress.receivePayload(payload, 0, 8 + len, known.high(), known.low(), 0, b.d, null);
            assertThat(b.d.egressCount()).isOne();
            assertThat(b.sw.port(b.d.egressPort(0)).name()).isEqualTo("vm3");
        }
    }

    @Test
    void an_inner_checksum_left_unfinished_by_the_sender_is_counted_forwarded_and_explained_once() {
        MemorySegment payload = MemorySegment.ofArray(new byte[256]);
        MemorySegment data = MemorySegment.ofArray(new byte[] {1, 2, 3, 4});
        int ip1 = Ipv4Address.parse("10.0.0.1");
        int ip3 = Ipv4Address.parse("10.0.0.3");
        int len = FrameBuilder.udp(payload, 8, VM1, VM3, ip1, ip3, 40000, 5201, data);
        io.vxswitch.packet.Vxlan.write(payload, 0, 119);
        VtepAddress known = VtepAddress.parse("192.0.2.1");
        b.ingress.receivePayload(payload, 0, 8 + len, known.high(), known.low(), 0, b.d, null);
        assertThat(b.counters.innerChecksumUnfinished()).as("a finished checksum").isZero();

        // as a Linux sender leaves it for the NIC (CHECKSUM_PARTIAL): the pseudo-header sum, folded
        io.vxswitch.packet.Wire.putU16(payload, 8 + 34 + 6, io.vxswitch.packet.InternetChecksum.fold(
            io.vxswitch.packet.Ipv4.pseudoHeaderSum(ip1, ip3, io.vxswitch.packet.Ipv4.PROTOCOL_UDP, 8 + 4)));
        for (int i = 0; i < 3; i++) {
            assertThat(b.ingress.receivePayload(payload, 0, 8 + len, known.high(), known.low(), 0, b.d, null))
                .isEqualTo(VxlanDrop.NONE);
            assertThat(b.sw.port(b.d.egressPort(0)).name()).as("forwarded all the same").isEqualTo("vm3");
        }
        assertThat(b.counters.innerChecksumUnfinished()).isEqualTo(3);
        assertThat(b.sw.counters().read().of(CounterScope.TUNNEL, "vx119").get(TunnelCounter.INNER_CSUM_UNFINISHED))
            .isEqualTo(3);
        assertThat(b.log).as("said once").hasSize(1);
        assertThat(b.log.getFirst()).startsWith("VXLAN from 192.0.2.1 carries TCP/UDP whose checksum its sender left")
            .contains("ethtool -K ul0 tx off").contains("docs/config.md");

        VtepAddress stranger = VtepAddress.parse("192.0.2.66");
        b.ingress.receivePayload(payload, 0, 8 + len, stranger.high(), stranger.low(), 0, b.d, null);
        assertThat(b.counters.innerChecksumUnfinished()).as("only what a known VTEP sent is looked at").isEqualTo(3);
    }
}
