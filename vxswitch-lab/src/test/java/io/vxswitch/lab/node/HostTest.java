package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.FrameRecorder;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HostTest {
    static final long VM1_MAC = MacAddress.parseBits("00:50:56:00:01:01");
    static final long VM3_MAC = MacAddress.parseBits("52:54:00:00:00:03");
    static final int VM1_IP = Ipv4Address.parse("10.0.0.1");
    static final int VM3_IP = Ipv4Address.parse("10.0.0.3");
    static final long ARP_OFFSET = Ethernet.HEADER_LENGTH;
    static final long IP_OFFSET = Ethernet.HEADER_LENGTH;
    static final long ICMP_OFFSET = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;

    Simulator sim;
    Host vm3;
    FrameRecorder wire;

    @BeforeEach
    void setUp() {
        sim = new Simulator();
        vm3 = new Host(sim, "vm3", VM3_MAC, VM3_IP, 24);
        Link link = new Link(sim, "vm3", "peer", 50_000);
        vm3.plugInto(link.a());
        wire = new FrameRecorder(sim, link.b());
    }

    @Test
    void answers_an_arp_request_for_its_own_address_and_learns_the_requester() {
        wire.send(arpRequest(VM1_MAC, VM1_IP, VM3_IP));
        sim.run();

        assertThat(wire.frames()).hasSize(1);
        MemorySegment reply = MemorySegment.ofArray(wire.frames().getFirst());
        assertThat(Ethernet.dst(reply, 0)).isEqualTo(VM1_MAC);
        assertThat(Ethernet.src(reply, 0)).isEqualTo(VM3_MAC);
        assertThat(Ethernet.etherType(reply, 0)).isEqualTo(EtherType.ARP);
        assertThat(Arp.oper(reply, ARP_OFFSET)).isEqualTo(Arp.REPLY);
        assertThat(Arp.sha(reply, ARP_OFFSET)).isEqualTo(VM3_MAC);
        assertThat(Arp.spa(reply, ARP_OFFSET)).isEqualTo(VM3_IP);
        assertThat(Arp.tha(reply, ARP_OFFSET)).isEqualTo(VM1_MAC);
        assertThat(Arp.tpa(reply, ARP_OFFSET)).isEqualTo(VM1_IP);
        assertThat(vm3.neighbours()).containsExactly(new Neighbour(VM1_IP, VM1_MAC, NeighbourState.REACHABLE));
    }

    @Test
    void ignores_an_arp_request_for_another_address() {
        wire.send(arpRequest(VM1_MAC, VM1_IP, Ipv4Address.parse("10.0.0.4")));
        sim.run();

        assertThat(wire.frames()).isEmpty();
        assertThat(vm3.neighbours()).isEmpty();
    }

    @Test
    void answers_an_echo_request_with_the_same_id_sequence_and_data() {
        wire.send(arpRequest(VM1_MAC, VM1_IP, VM3_IP));
        wire.send(echoRequest(VM1_MAC, VM3_MAC, VM1_IP, VM3_IP, 77, 5));
        sim.run();

        assertThat(wire.frames()).hasSize(2);
        byte[] frame = wire.frames().get(1);
        MemorySegment r = MemorySegment.ofArray(frame);
        assertThat(Ethernet.dst(r, 0)).as("no ARP needed: learned from the request").isEqualTo(VM1_MAC);
        assertThat(Ipv4.src(r, IP_OFFSET)).isEqualTo(VM3_IP);
        assertThat(Ipv4.dst(r, IP_OFFSET)).isEqualTo(VM1_IP);
        assertThat(Ipv4.ttl(r, IP_OFFSET)).isEqualTo(64);
        assertThat(Icmp.type(r, ICMP_OFFSET)).isEqualTo(Icmp.ECHO_REPLY);
        assertThat(Icmp.identifier(r, ICMP_OFFSET)).isEqualTo(77);
        assertThat(Icmp.sequence(r, ICMP_OFFSET)).isEqualTo(5);
        assertThat(Icmp.checksumValid(r, ICMP_OFFSET, frame.length - (int) ICMP_OFFSET)).isTrue();
        assertThat(frame).hasSize(98);
        assertThat(vm3.counters().echoRepliesSent()).isEqualTo(1);
    }

    @Test
    void resolves_an_unknown_requester_before_replying() {
        wire.send(echoRequest(VM1_MAC, VM3_MAC, VM1_IP, VM3_IP, 1, 1));
        sim.runTo(200_000);

        assertThat(wire.frames()).hasSize(1);
        MemorySegment r = MemorySegment.ofArray(wire.frames().getFirst());
        assertThat(Arp.oper(r, ARP_OFFSET)).isEqualTo(Arp.REQUEST);
        assertThat(Arp.tpa(r, ARP_OFFSET)).isEqualTo(VM1_IP);

        wire.clear();
        wire.send(arpReply(VM1_MAC, VM1_IP, VM3_MAC, VM3_IP));
        sim.run();

        assertThat(wire.frames()).hasSize(1);
        MemorySegment reply = MemorySegment.ofArray(wire.frames().getFirst());
        assertThat(Icmp.type(reply, ICMP_OFFSET)).isEqualTo(Icmp.ECHO_REPLY);
        assertThat(Ethernet.dst(reply, 0)).isEqualTo(VM1_MAC);
    }

    @Test
    void a_nic_ignores_unicast_for_another_mac_and_tagged_frames() {
        wire.send(echoRequest(VM1_MAC, MacAddress.parseBits("52:54:00:00:00:04"), VM1_IP, VM3_IP, 1, 1));
        byte[] tagged = new byte[42 + Dot1q.LENGTH];
        byte[] untagged = arpRequest(VM1_MAC, VM1_IP, VM3_IP);
        FrameBuilder.pushVlanTag(MemorySegment.ofArray(untagged), 0, untagged.length, MemorySegment.ofArray(tagged), 0,
            Dot1q.tci(0, false, 119));
        wire.send(tagged);
        sim.run();

        assertThat(wire.frames()).isEmpty();
        assertThat(vm3.counters().rxNotForUs()).isEqualTo(1);
        assertThat(vm3.counters().rxDropped()).isEqualTo(1);
    }

    @Test
    void an_unanswered_address_gets_three_arp_requests_a_second_apart_then_the_packet_is_unreachable() {
        List<String> errors = new ArrayList<>();
        int id = vm3.openEchoSocket(new EchoListener() {
            @Override
            public void reply(int seq, int fromIp, int ttl, int icmpBytes) {
                errors.add("reply " + seq);
            }

            @Override
            public void error(int seq, int fromIp, String message) {
                errors.add(sim.now() + " seq " + seq + " from " + Ipv4Address.format(fromIp) + ": " + message);
            }
        });

        vm3.sendEcho(VM1_IP, id, 1);
        sim.run();

        assertThat(wire.received()).extracting(FrameRecorder.Received::timeNanos)
            .containsExactly(50_000L, 1_000_050_000L, 2_000_050_000L);
        assertThat(wire.frames()).allSatisfy(f -> assertThat(Arp.oper(MemorySegment.ofArray(f), ARP_OFFSET))
            .isEqualTo(Arp.REQUEST));
        assertThat(errors).containsExactly("3000000000 seq 1 from 10.0.0.3: Destination Host Unreachable");
        assertThat(vm3.neighbours()).containsExactly(new Neighbour(VM1_IP, Neighbour.NO_MAC, NeighbourState.FAILED));

        wire.clear();
        vm3.sendEcho(VM1_IP, id, 2);
        sim.runTo(sim.now() + 1);
        assertThat(wire.frames()).as("a failed entry starts over").isEmpty();
        sim.run();
        assertThat(wire.frames()).hasSize(3);
    }

    @Test
    void only_the_connected_subnet_is_on_link() {
        assertThat(vm3.onLink(Ipv4Address.parse("10.0.0.200"))).isTrue();
        assertThat(vm3.onLink(Ipv4Address.parse("10.0.1.1"))).isFalse();
    }

    static byte[] arpRequest(long srcMac, int srcIp, int targetIp) {
        byte[] f = new byte[42];
        FrameBuilder.arpRequest(MemorySegment.ofArray(f), 0, srcMac, srcIp, targetIp);
        return f;
    }

    static byte[] arpReply(long srcMac, int srcIp, long dstMac, int dstIp) {
        byte[] f = new byte[42];
        FrameBuilder.arpReply(MemorySegment.ofArray(f), 0, srcMac, srcIp, dstMac, dstIp);
        return f;
    }

    static byte[] echoRequest(long srcMac, long dstMac, int srcIp, int dstIp, int id, int seq) {
        byte[] f = new byte[98];
        FrameBuilder.icmpEcho(MemorySegment.ofArray(f), 0, srcMac, dstMac, srcIp, dstIp, true, id, seq);
        return f;
    }
}
