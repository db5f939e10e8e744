package io.vxswitch.lab.node;

import io.vxswitch.lab.engine.FrameRecorder;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Arp;
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
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A router between two subnets, 10.1.0.0/24 (host A) and 10.2.0.0/24 (host B), driven frame by frame. */
class RouterTest {
    static final long R0 = MacAddress.parseBits("02:00:00:00:0f:00");
    static final long R1 = MacAddress.parseBits("02:00:00:00:0f:01");
    static final long A = MacAddress.parseBits("02:00:00:00:00:0a");
    static final long B = MacAddress.parseBits("02:00:00:00:00:0b");
    static final int R0_IP = Ipv4Address.parse("10.1.0.1");
    static final int A_IP = Ipv4Address.parse("10.1.0.10");
    static final int B_IP = Ipv4Address.parse("10.2.0.20");
    static final int IP = Ethernet.HEADER_LENGTH;

    Simulator sim;
    Router router;
    FrameRecorder a;
    FrameRecorder b;

    @BeforeEach
    void setUp() {
        sim = new Simulator();
        router = new Router(sim, "r");
        router.addInterface("if0", R0, R0_IP, 24);
        router.addInterface("if1", R1, Ipv4Address.parse("10.2.0.1"), 24);
        Link l0 = new Link(sim, "r:if0", "a", 50_000);
        Link l1 = new Link(sim, "r:if1", "b", 50_000);
        router.plugInto("if0", l0.a());
        router.plugInto("if1", l1.a());
        a = new FrameRecorder(sim, l0.b());
        b = new FrameRecorder(sim, l1.b());
    }

    @Test
    void answers_arp_for_its_own_address_only() {
        a.send(arpRequest(A, A_IP, R0_IP));
        a.send(arpRequest(A, A_IP, Ipv4Address.parse("10.1.0.99")));
        settle();

        assertThat(a.frames()).singleElement().satisfies(f -> {
            MemorySegment s = MemorySegment.ofArray(f);
            assertThat(Arp.oper(s, IP)).isEqualTo(Arp.REPLY);
            assertThat(Arp.sha(s, IP)).isEqualTo(R0);
            assertThat(Ethernet.dst(s, 0)).isEqualTo(A);
        });
    }

    @Test
    void forwards_between_subnets_with_the_ttl_decremented_and_the_checksum_recomputed() {
        byte[] sent = echo(A, R0, A_IP, B_IP, 64);
        a.send(sent);
        settle();
        // The packet waits while the router resolves B.
        assertThat(b.frames()).singleElement().satisfies(f -> assertThat(isArpRequestFor(f, B_IP, R1)).isTrue());

        b.clear();
        b.send(arpReply(B, B_IP, R1, Ipv4Address.parse("10.2.0.1")));
        settle();

        byte[] out = b.frames().getFirst();
        MemorySegment s = MemorySegment.ofArray(out);
        assertThat(Ethernet.src(s, 0)).isEqualTo(R1);
        assertThat(Ethernet.dst(s, 0)).isEqualTo(B);
        assertThat(Ipv4.ttl(s, IP)).isEqualTo(63);
        assertThat(Ipv4.headerChecksumValid(s, IP)).isTrue();
        assertThat(Arrays.copyOfRange(out, IP + Ipv4.MIN_HEADER_LENGTH, out.length))
            .as("the payload is untouched").isEqualTo(Arrays.copyOfRange(sent, IP + Ipv4.MIN_HEADER_LENGTH, sent.length));
        assertThat(router.counters().forwarded()).isEqualTo(1);
    }

    @Test
    void a_static_route_sends_to_its_next_hop_and_the_longest_prefix_wins() {
        router.addRoute(Ipv4Address.parse("172.16.0.0"), 12, Ipv4Address.parse("10.2.0.254"));
        router.addRoute(Ipv4Address.parse("10.0.0.0"), 8, Ipv4Address.parse("10.1.0.254"));

        a.send(echo(A, R0, A_IP, Ipv4Address.parse("172.20.1.1"), 64));
        a.send(echo(A, R0, A_IP, B_IP, 64));
        settle();

        assertThat(b.frames()).hasSize(2).allSatisfy(f -> assertThat(Arp.tpa(MemorySegment.ofArray(f), IP))
            .isIn(Ipv4Address.parse("10.2.0.254"), B_IP));
        assertThat(router.routes()).extracting(Route::toString).containsExactly(
            "C 10.1.0.0/24 is directly connected, if0", "C 10.2.0.0/24 is directly connected, if1",
            "S 172.16.0.0/12 via 10.2.0.254, if1", "S 10.0.0.0/8 via 10.1.0.254, if0");
    }

    @Test
    void a_packet_arriving_with_ttl_1_is_dropped_and_answered_with_time_exceeded() {
        byte[] dying = echo(A, R0, A_IP, B_IP, 1);
        a.send(dying);
        settle();
        a.send(arpReply(A, A_IP, R0, R0_IP)); // the router asks who A is, to send the error
        settle();

        assertThat(b.frames()).isEmpty();
        byte[] error = a.frames().getLast();
        MemorySegment s = MemorySegment.ofArray(error);
        long icmp = IP + Ipv4.MIN_HEADER_LENGTH;
        assertThat(Ipv4.src(s, IP)).isEqualTo(R0_IP);
        assertThat(Ipv4.dst(s, IP)).isEqualTo(A_IP);
        assertThat(Icmp.type(s, icmp)).isEqualTo(Icmp.TIME_EXCEEDED);
        assertThat(Icmp.checksumValid(s, icmp, error.length - (int) icmp)).isTrue();
        assertThat(Arrays.copyOfRange(error, (int) icmp + 8, error.length)).as("quotes the header and 8 bytes")
            .isEqualTo(Arrays.copyOfRange(dying, IP, IP + Ipv4.MIN_HEADER_LENGTH + 8));
        assertThat(router.counters().ttlExceeded()).isEqualTo(1);
    }

    @Test
    void no_route_and_no_neighbour_are_counted_drops() {
        a.send(echo(A, R0, A_IP, Ipv4Address.parse("192.0.2.1"), 64));
        a.send(echo(A, R0, A_IP, B_IP, 64));
        sim.run(); // B never answers: three ARP requests a second apart, then the packet is dropped

        assertThat(router.counters().noRoute()).isEqualTo(1);
        assertThat(router.counters().unresolved()).isEqualTo(1);
        assertThat(b.frames()).hasSize(NeighbourTable.MCAST_SOLICIT);
    }

    @Test
    void an_echo_request_to_the_router_is_answered() {
        a.send(arpRequest(A, A_IP, R0_IP)); // the router learns A as the target of a request
        a.send(echo(A, R0, A_IP, R0_IP, 64));
        settle();

        byte[] reply = a.frames().getLast();
        MemorySegment s = MemorySegment.ofArray(reply);
        assertThat(Icmp.type(s, IP + Ipv4.MIN_HEADER_LENGTH)).isEqualTo(Icmp.ECHO_REPLY);
        assertThat(Ipv4.src(s, IP)).isEqualTo(R0_IP);
        assertThat(router.counters().echoReplies()).isEqualTo(1);
    }

    @Test
    void routes_must_be_reachable_and_well_formed() {
        assertThatThrownBy(() -> router.addRoute(Ipv4Address.parse("172.16.0.0"), 12, Ipv4Address.parse("192.0.2.1")))
            .hasMessage("router 'r': next hop 192.0.2.1 of the route to 172.16.0.0/12 is in none of its subnets "
                + "(10.1.0.1/24, 10.2.0.1/24)");
        assertThatThrownBy(() -> router.addRoute(Ipv4Address.parse("172.16.0.1"), 12, Ipv4Address.parse("10.1.0.2")))
            .hasMessage("router 'r': route to 172.16.0.1/12 has host bits set; did you mean 172.16.0.0/12?");
        assertThatThrownBy(() -> router.addInterface("if2", R1, Ipv4Address.parse("10.2.0.7"), 16))
            .hasMessageContaining("overlaps interface if1");
    }

    /** Delivers what is in flight, well before an unanswered ARP request is retried. */
    private void settle() {
        sim.runUntil(() -> false, sim.now() + 1_000_000);
    }

    static byte[] echo(long srcMac, long dstMac, int src, int dst, int ttl) {
        byte[] f = new byte[Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH + Icmp.HEADER_LENGTH + 56];
        FrameBuilder.icmpEcho(MemorySegment.ofArray(f), 0, srcMac, dstMac, src, dst, true, 7, 1, ttl, 56);
        return f;
    }

    static byte[] arpRequest(long mac, int ip, int target) {
        byte[] f = new byte[Ethernet.HEADER_LENGTH + Arp.LENGTH];
        FrameBuilder.arpRequest(MemorySegment.ofArray(f), 0, mac, ip, target);
        return f;
    }

    static byte[] arpReply(long mac, int ip, long toMac, int toIp) {
        byte[] f = new byte[Ethernet.HEADER_LENGTH + Arp.LENGTH];
        FrameBuilder.arpReply(MemorySegment.ofArray(f), 0, mac, ip, toMac, toIp);
        return f;
    }

    static boolean isArpRequestFor(byte[] f, int target, long from) {
        MemorySegment s = MemorySegment.ofArray(f);
        return Ethernet.etherType(s, 0) == EtherType.ARP && Arp.oper(s, IP) == Arp.REQUEST
            && Arp.tpa(s, IP) == target && Arp.sha(s, IP) == from && MacAddress.isBroadcast(Ethernet.dst(s, 0));
    }
}
