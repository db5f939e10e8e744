package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.NeighborDiscovery;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ARP suppression (RFC 7432 §10) in the forwarding plane: a request for a bound address is answered on the ingress
 * port and not flooded to the tunnel; unbound addresses, replies and gratuitous ARP go on as before; what local hosts
 * say about themselves is offered to the control plane.
 */
class ArpSuppressionTest {
    static final long VM1 = 0x0200_0000_0001L;
    static final long VM3 = 0x0200_0000_0003L;
    static final int IP1 = Ipv4Address.parse("10.0.0.1");
    static final int IP3 = Ipv4Address.parse("10.0.0.3");

    private final Switch sw = hostSwitch();
    private final ForwardingDecision d = sw.newDecision();
    private final int vm1 = sw.port("vm1").id();

    ArpSuppressionTest() {
        sw.arpSuppression().enable(119);
    }

    /** vm1 (VLAN 119) and tunnel port vx119; ARP suppression off until a test turns it on. */
    static Switch hostSwitch() {
        Switch s = new Switch(SwitchOptions.defaults("host").withMaxPorts(8));
        s.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        s.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.DISABLED));
        s.addVnicPort("vm1", "vlan119", VM1);
        s.addTunnelPort("vx119", "tunnel");
        return s;
    }

    private static MemorySegment request(int target) {
        MemorySegment s = MemorySegment.ofArray(new byte[60]);
        FrameBuilder.arpRequest(s, 0, VM1, IP1, target);
        return s;
    }

    private List<String> egress() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            out.add(sw.port(d.egressPort(i)).name());
        }
        return out;
    }

    private long counter(PortCounter c) {
        return sw.port("vm1").counters().get(c);
    }

    @Test
    void a_request_for_a_bound_address_is_answered_on_the_ingress_port_and_not_flooded() {
        sw.arpSuppression().bind(119, IP3, VM3);
        MemorySegment frame = request(IP3);
        sw.forward(vm1, frame, 0, 60, 0, d);

        assertThat(egress()).containsExactly("vm1");
        long arp = Ethernet.HEADER_LENGTH;
        assertThat(Ethernet.dst(frame, 0)).isEqualTo(VM1);
        assertThat(Ethernet.src(frame, 0)).isEqualTo(VM3);
        assertThat(Arp.oper(frame, arp)).isEqualTo(Arp.REPLY);
        assertThat(Arp.sha(frame, arp)).isEqualTo(VM3);
        assertThat(Arp.spa(frame, arp)).isEqualTo(IP3);
        assertThat(Arp.tha(frame, arp)).isEqualTo(VM1);
        assertThat(Arp.tpa(frame, arp)).isEqualTo(IP1);
        assertThat(counter(PortCounter.ARP_SUPPRESSED)).isEqualTo(1);
    }

    /** Answered on an uplink, a team's one broadcast would be answered once per uplink, the VM's MAC flapping upstream. */
    @Test
    void a_request_from_an_uplink_is_flooded_to_the_ports_pinned_to_it_not_answered() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        int uplink = sw.addUplink("uplink1", "uplinks");
        sw.arpSuppression().bind(119, IP3, VM3);
        MemorySegment frame = MemorySegment.ofArray(new byte[64]);
        int length = FrameBuilder.arpRequest(frame, 0, 0x0000_5e00_0042L, IP1, IP3);
        length = FrameBuilder.pushVlanTag(frame, 0, length, 119);

        sw.forward(uplink, frame, 0, length, 0, d);

        assertThat(egress()).containsExactlyInAnyOrder("vm1", "vx119");
        assertThat(Arp.oper(frame, Ethernet.HEADER_LENGTH + 4)).isEqualTo(Arp.REQUEST);
        assertThat(sw.port("uplink1").counters().get(PortCounter.ARP_SUPPRESSED)).isZero();
    }

    @Test
    void a_request_for_an_unbound_address_is_flooded_and_counted() {
        sw.forward(vm1, request(IP3), 0, 60, 0, d);
        assertThat(egress()).containsExactly("vx119");
        assertThat(counter(PortCounter.ARP_FLOODED)).isEqualTo(1);
        assertThat(counter(PortCounter.ARP_SUPPRESSED)).isZero();
    }

    @Test
    void a_vlan_without_suppression_floods_even_a_bound_address() {
        Switch plain = hostSwitch();
        int p = plain.port("vm1").id();
        plain.arpSuppression().bind(119, IP3, VM3);
        ForwardingDecision pd = plain.newDecision();
        plain.forward(p, request(IP3), 0, 60, 0, pd);
        assertThat(pd.egressCount()).isEqualTo(1);
        assertThat(plain.port(pd.egressPort(0)).name()).isEqualTo("vx119");
    }

    @Test
    void gratuitous_arp_and_replies_are_not_answered_but_offer_the_senders_binding() {
        MemorySegment garp = MemorySegment.ofArray(new byte[60]);
        FrameBuilder.gratuitousArp(garp, 0, VM1, IP1);
        sw.forward(vm1, garp, 0, 60, 0, d);
        assertThat(egress()).containsExactly("vx119");
        assertThat(snooped(sw)).containsExactly("119 10.0.0.1 " + VM1);
    }

    @Test
    void a_sender_already_bound_is_not_offered_again() {
        sw.arpSuppression().bind(119, IP1, VM1);
        sw.forward(vm1, request(IP3), 0, 60, 0, d);
        assertThat(snooped(sw)).isEmpty();
    }

    @Test
    void a_probe_reports_the_answer_without_rewriting_or_counting() {
        sw.arpSuppression().bind(119, IP3, VM3);
        MemorySegment frame = request(IP3);
        Trace trace = Trace.probe();
        sw.forward(vm1, frame, 0, 60, 0, d, trace);
        assertThat(trace.toString()).contains("ARP suppression: 10.0.0.3 is-at 02:00:00:00:00:03: answered on vm1");
        assertThat(Arp.oper(frame, Ethernet.HEADER_LENGTH)).isEqualTo(Arp.REQUEST);
        assertThat(counter(PortCounter.ARP_SUPPRESSED)).isZero();
    }

    @Test
    void a_vlan_that_only_snoops_floods_requests_but_offers_the_senders_binding() {
        Switch snooping = hostSwitch();
        int p = snooping.port("vm1").id();
        snooping.arpSuppression().snoop(119);
        snooping.arpSuppression().bind(119, IP3, VM3);
        ForwardingDecision sd = snooping.newDecision();
        snooping.forward(p, request(IP3), 0, 60, 0, sd);
        assertThat(snooping.port(sd.egressPort(0)).name()).as("not answered: flooded").isEqualTo("vx119");
        assertThat(snooped(snooping)).hasSize(1);
    }

    /** What lane 0 offered the control plane since the last call, as "vlan address mac". */
    private static List<String> snooped(Switch s) {
        List<String> out = new ArrayList<>();
        s.neighborSnoop(0).drain(new NeighborSnoop.Visitor() {
            @Override
            public void binding(int vlan, int ipv4, long mac) {
                out.add(vlan + " " + Ipv4Address.format(ipv4) + " " + mac);
            }

            @Override
            public void binding(int vlan, long high, long low, long mac) {
                out.add(vlan + " " + Ipv6.format(high, low) + " " + mac);
            }
        });
        return out;
    }

    // ---- IPv6: neighbour discovery (RFC 9161)

    static final long DB8 = 0x2001_0db8_0000_0000L;

    private static MemorySegment solicitation(long srcLow, long targetHigh, long targetLow) {
        MemorySegment s = MemorySegment.ofArray(new byte[86]);
        FrameBuilder.neighborSolicitation(s, 0, VM1, srcLow == 0 ? 0 : DB8, srcLow, targetHigh, targetLow);
        return s;
    }

    @Test
    void a_solicitation_for_a_bound_address_is_answered_with_its_advertisement_and_not_flooded() {
        sw.arpSuppression().bind(119, DB8, 3, VM3);
        MemorySegment frame = solicitation(1, DB8, 3);
        sw.forward(vm1, frame, 0, 86, 0, d);

        assertThat(egress()).containsExactly("vm1");
        long ip = Ethernet.HEADER_LENGTH;
        long icmp = NeighborDiscovery.message(frame, ip, 72);
        assertThat(icmp).as("a valid advertisement, checksum included").isPositive();
        assertThat(NeighborDiscovery.type(frame, icmp)).isEqualTo(NeighborDiscovery.ADVERTISEMENT);
        assertThat(Ethernet.dst(frame, 0)).isEqualTo(VM1);
        assertThat(Ethernet.src(frame, 0)).isEqualTo(VM3);
        assertThat(Ipv6.dstLow(frame, ip)).isEqualTo(1);
        assertThat(Ipv6.srcLow(frame, ip)).isEqualTo(3);
        assertThat(NeighborDiscovery.linkLayerOption(frame, icmp, 32, NeighborDiscovery.OPTION_TARGET_LINK_LAYER))
            .isEqualTo(VM3);
        assertThat(counter(PortCounter.ND_SUPPRESSED)).isEqualTo(1);
        assertThat(counter(PortCounter.ARP_SUPPRESSED)).isZero();
    }

    @Test
    void a_solicitation_for_an_unbound_address_is_flooded_counted_and_offers_the_askers_binding() {
        sw.forward(vm1, solicitation(1, DB8, 3), 0, 86, 0, d);
        assertThat(egress()).containsExactly("vx119");
        assertThat(counter(PortCounter.ND_FLOODED)).isEqualTo(1);
        assertThat(snooped(sw)).containsExactly("119 2001:db8::1 " + VM1);
    }

    @Test
    void duplicate_address_detection_is_neither_answered_nor_snooped() {
        sw.arpSuppression().bind(119, DB8, 3, VM3);
        MemorySegment dad = MemorySegment.ofArray(new byte[86]);
        int length = FrameBuilder.neighborSolicitation(dad, 0, VM1, 0, 0, DB8, 3) - 8; // from ::, no option
        Ipv6.payloadLength(dad, 14, 24);
        Wire.putU16(dad, 14 + 40 + 2, 0);
        Wire.putU16(dad, 14 + 40 + 2, InternetChecksum.checksum(dad, 54, 24,
            Ipv6PseudoHeader.sum(dad, 14, Ipv6.NEXT_HEADER_ICMPV6, 24)));
        sw.forward(vm1, dad, 0, length, 0, d);
        assertThat(egress()).as("another host may own it: it must hear the probe").containsExactly("vx119");
        assertThat(snooped(sw)).isEmpty();
    }

    @Test
    void a_host_asking_for_its_own_address_is_not_answered() {
        sw.arpSuppression().bind(119, DB8, 1, VM1);
        sw.forward(vm1, solicitation(1, DB8, 1), 0, 86, 0, d);
        assertThat(egress()).containsExactly("vx119");
    }

    @Test
    void an_advertisement_offers_its_targets_binding_and_goes_on() {
        MemorySegment frame = solicitation(1, DB8, 3);
        NeighborDiscovery.answer(frame, Ethernet.HEADER_LENGTH, VM1); // "2001:db8::3 is at vm1", multicast dst kept
        sw.forward(vm1, frame, 0, 86, 0, d);
        assertThat(snooped(sw)).containsExactly("119 2001:db8::3 " + VM1);
        assertThat(counter(PortCounter.ND_SUPPRESSED) + counter(PortCounter.ND_FLOODED)).isZero();
    }

    @Test
    void a_corrupted_solicitation_is_switched_as_any_frame_and_teaches_nothing() {
        sw.arpSuppression().bind(119, DB8, 3, VM3);
        MemorySegment frame = solicitation(1, DB8, 3);
        frame.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 85, (byte) 9);
        sw.forward(vm1, frame, 0, 86, 0, d);
        assertThat(egress()).containsExactly("vx119");
        assertThat(snooped(sw)).isEmpty();
    }

    @Test
    void a_probe_tells_the_nd_answer() {
        sw.arpSuppression().bind(119, DB8, 3, VM3);
        Trace trace = Trace.probe();
        sw.forward(vm1, solicitation(1, DB8, 3), 0, 86, 0, d, trace);
        assertThat(trace.toString())
            .contains("ND suppression: 2001:db8::3 is-at 02:00:00:00:00:03: advertised on vm1, not flooded");
        assertThat(counter(PortCounter.ND_SUPPRESSED)).isZero();
    }
}
