package io.vxswitch.linux.dataplane;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.linux.poll.Epoll;
import io.vxswitch.linux.udp.IpAddress;
import io.vxswitch.linux.udp.UdpBatch;
import io.vxswitch.linux.udp.UdpSocket;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.packet.Wire;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.VirtioNetHeader;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;
import io.vxswitch.vxlan.VxlanDrop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tunnel port sending a TCP super-frame over loopback to a UDP socket standing in for the peer VTEP: as UDP GSO
 * trains, and datagram by datagram once the kernel has refused a GSO send; and what it must not send at all.
 */
class TunnelPortTest {
    static final VtepAddress LOOPBACK = VtepAddress.parse("127.0.0.1");
    /** The same address as the sockets take it. */
    static final IpAddress LOOPBACK_IP = new IpAddress(LOOPBACK.high(), LOOPBACK.low());
    static final long VM1 = 0x02_00_00_00_00_01L;
    static final int MSS = 1398;
    static final int SEGMENTS = 11;
    static final int HEADERS = 14 + 20 + 20;

    Switch sw;
    int vm1;
    UdpSocket peer;
    TunnelPort port;
    final ForwardingDecision[] decision = new ForwardingDecision[1];
    final MemorySegment frame = MemorySegment.ofArray(new byte[70_000]);
    int frameLength;
    final Offload tso = new Offload();

    @BeforeEach
    void build() {
        sw = new Switch(SwitchOptions.defaults("t"));
        sw.addPortGroup(new PortGroupPolicy("lan", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        sw.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.none(), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        vm1 = sw.addVnicPort("vm1", "lan", VM1);
        sw.addTunnelPort("vx", "tunnel");
        peer = UdpSocket.bind(LOOPBACK_IP, 0);
        VniMap vnis = VniMap.of(119, 0);
        RemoteVteps remotes = new RemoteVteps(4);
        FloodList flood = new FloodList(remotes);
        flood.add(119, LOOPBACK);
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(sw, "vx", vnis, remotes, flood,
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters);
        UdpSocketPool pool = UdpSocketPool.open(LOOPBACK_IP, 0, 1, 0, 0);
        port = new TunnelPort(vtep, pool, peer.localPort(), new MtuCheck(1500, counters, line -> { }), false, 9100,
            false);
        port.attach(new Backpressure(null));
        frameLength = superFrame(frame, SEGMENTS * MSS - 100);
        tso.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, HEADERS, MSS, 34, 16);
        decision[0] = sw.newDecision();
    }

    @AfterEach
    void close() {
        port.close();
        peer.close();
    }

    /** TCP/IPv4 from vm1 to an unknown MAC (so flooded to the tunnel) with {@code payload} bytes, checksum partial. */
    static int superFrame(MemorySegment s, int payload) {
        FrameBuilder.ethernet(s, 0, 0x02_00_00_00_00_03L, VM1, EtherType.IPV4);
        Ipv4.writeHeader(s, 14, Ipv4.PROTOCOL_TCP, 0x0A000001, 0x0A000003, 20 + payload, 64);
        Wire.putU32(s, 34, (40000L << 16) | 5201);
        Wire.putU8(s, 46, 5 << 4);
        Wire.putU8(s, 47, 0x10);
        Wire.putU16(s, 50, InternetChecksum.fold(Ipv4.pseudoHeaderSum(0x0A000001, 0x0A000003, Ipv4.PROTOCOL_TCP,
            20 + payload)));
        return HEADERS + payload;
    }

    private void sendSuperFrame() {
        ForwardingDecision d = decision[0];
        sw.forward(vm1, frame, 0, frameLength, 1, d);
        assertThat(d.egressCount()).as("flooded to the tunnel (%s)", d.dropReason()).isEqualTo(1);
        port.send(d, 0, tso, 1);
        port.flush();
        port.transmit();
    }

    /** Receives on the peer until {@code expected} datagrams (counting a joined message as its parts) or 3 s. */
    private List<Integer> receive(UdpBatch rx, int expected) {
        List<Integer> lengths = new ArrayList<>();
        try (Epoll epoll = new Epoll(1)) {
            epoll.add(peer.fd(), Epoll.IN);
            int[] ready = new int[1];
            long deadline = System.nanoTime() + 3_000_000_000L;
            int datagrams = 0;
            while (datagrams < expected && System.nanoTime() < deadline) {
                epoll.wait(ready, 100);
                int n = peer.receive(rx);
                for (int i = 0; i < n; i++) {
                    int each = rx.segmentSize(i) > 0 ? rx.segmentSize(i) : rx.length(i);
                    for (int at = 0; at < rx.length(i); at += each) {
                        assertThat(Vxlan.vni(rx.buffer(), rx.slotOffset(i) + at)).isEqualTo(119);
                        datagrams++;
                    }
                    lengths.add(rx.length(i));
                }
            }
            assertThat(datagrams).as("VXLAN datagrams at the peer").isEqualTo(expected);
        }
        return lengths;
    }

    @Test
    void a_super_frame_leaves_as_one_gso_train_of_its_segments() {
        assertThat(port.describe()).contains("UDP GSO");
        assertThat(peer.receiveCoalesced()).isTrue();
        try (UdpBatch rx = new UdpBatch(4, 65_536)) {
            sendSuperFrame();
            List<Integer> messages = receive(rx, SEGMENTS);
            assertThat(messages).as("one message: the train, joined again by the peer's UDP_GRO").hasSize(1);
            assertThat(rx.segmentSize(0)).isEqualTo(Vxlan.LENGTH + HEADERS + MSS);
        }
        assertThat(port.superFramesCut()).isEqualTo(1);
        assertThat(port.segmentsFromCuts()).isEqualTo(SEGMENTS);
        assertThat(port.txRefused()).isZero();
        assertThat(port.takeNotice()).isNull();
    }

    @Test
    void a_refused_gso_send_is_said_once_and_later_super_frames_go_datagram_by_datagram() {
        // Linux refuses UDP GSO on a socket that sends without UDP checksums (EINVAL)
        UdpSocketPool pool = poolOf(port);
        for (int i = 0; i < pool.senderCount(); i++) {
            pool.sender(i).zeroChecksum(true);
        }
        sendSuperFrame();
        assertThat(port.txRefused()).as("the train's datagrams, counted as lost").isEqualTo(SEGMENTS);
        assertThat(port.takeNotice()).contains("refused a UDP GSO send (EINVAL")
            .contains(SEGMENTS + " datagrams lost, one datagram per segment from now on");
        assertThat(port.takeNotice()).as("said once").isNull();
        assertThat(port.describe()).doesNotContain("UDP GSO");

        try (UdpBatch rx = new UdpBatch(16, 2048)) {
            sendSuperFrame();
            assertThat(receive(rx, SEGMENTS)).hasSize(SEGMENTS).startsWith(Vxlan.LENGTH + HEADERS + MSS);
        }
        assertThat(port.txRefused()).isEqualTo(SEGMENTS);
    }

    @Test
    void a_frame_of_a_vlan_without_a_vni_is_dropped_and_counted_not_sent_as_vni_0xffffff() {
        // The tunnel carries VLANs 119 and 120, but only 119 has a VNI (say 120's was unmapped at a reload).
        Switch s = new Switch(SwitchOptions.defaults("t2"));
        s.addPortGroup(new PortGroupPolicy("vlan120", VlanPolicy.access(120), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        s.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(VlanRange.parseList("119-120"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        int vm2 = s.addVnicPort("vm2", "vlan120", 0x02_00_00_00_00_02L);
        int vx = s.addTunnelPort("vx", "tunnel");
        VniMap vnis = VniMap.of(119, 119);
        RemoteVteps remotes = new RemoteVteps(4);
        FloodList flood = new FloodList(remotes);
        int remote = flood.add(119, LOOPBACK);
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(s, "vx", vnis, remotes, flood,
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters);
        ForwardingDecision d = s.newDecision();
        try (TunnelPort p = new TunnelPort(vtep, UdpSocketPool.open(LOOPBACK_IP, 0, 1, 0, 0), peer.localPort(),
                 new MtuCheck(1500, counters, line -> { }), false, 9100, false);
             UdpBatch rx = new UdpBatch(4, 2048); Epoll epoll = new Epoll(1)) {
            p.attach(new Backpressure(null));
            long vm3 = 0x02_00_00_00_00_03L;
            int reply = FrameBuilder.arpReply(frame, 0, vm3, 0x0A000003, 0x02_00_00_00_00_02L, 0x0A000002);
            s.forwardFromTunnel(vx, remote, 120, frame, 0, reply, 0, d, null); // vm3 learned behind the peer

            s.forward(vm2, frame, 0, FrameBuilder.icmpEcho(frame, 0, 0x02_00_00_00_00_02L, vm3, 0x0A000002,
                0x0A000003, true, 1, 1), 1, d);
            assertThat(d.egressPort(0)).isEqualTo(vx);
            assertThat(d.egressRemote(0)).as("to the VTEP vm3 was learned behind").isEqualTo(remote);
            p.send(d, 0, new Offload(), 1);
            s.forward(vm2, frame, 0, FrameBuilder.arpRequest(frame, 0, 0x02_00_00_00_00_02L, 0x0A000002, 0x0A000009),
                1, d);
            p.send(d, 0, new Offload(), 1); // flooded
            p.flush();
            p.transmit();

            epoll.add(peer.fd(), Epoll.IN);
            epoll.wait(new int[1], 300);
            int n = peer.receive(rx);
            assertThat(n > 0 ? Integer.toHexString(Vxlan.vni(rx.buffer(), rx.slotOffset(0))) : "nothing")
                .as("what reached the peer VTEP").isEqualTo("nothing");
            assertThat(counters.drops(VxlanDrop.VLAN_WITHOUT_VNI)).isEqualTo(2);
            assertThat(counters.encapsulated()).isZero();
        }
    }

    @Test
    void inner_flows_leave_from_several_source_ports_and_each_flow_from_one() {
        ForwardingDecision d = decision[0];
        Map<Integer, Integer> portOfFlow = new HashMap<>();
        try (TunnelPort p = new TunnelPort(port.vtep(), UdpSocketPool.open(LOOPBACK_IP, 0, 8, 0, 0), peer.localPort(),
                 new MtuCheck(1500, port.vtep().counters(), line -> { }), false, 9100, false);
             UdpBatch rx = new UdpBatch(64, 2048); Epoll epoll = new Epoll(1)) {
            p.attach(new Backpressure(null));
            for (int i = 0; i < 64; i++) { // 32 UDP flows from vm1, two datagrams each, flooded to the peer
                int flow = 40000 + i % 32;
                int length = FrameBuilder.udp(frame, 0, VM1, 0x02_00_00_00_00_03L, 0x0A000001, 0x0A000003, flow, 5201,
                    MemorySegment.ofArray(new byte[4]));
                Wire.putU16(frame, 14 + 20 + 8, flow); // payload: the flow, to tell them apart at the peer
                sw.forward(vm1, frame, 0, length, 1, d);
                p.send(d, 0, new Offload(), 1);
            }
            p.flush();
            p.transmit();

            epoll.add(peer.fd(), Epoll.IN);
            long deadline = System.nanoTime() + 3_000_000_000L;
            for (int got = 0; got < 64 && System.nanoTime() < deadline; ) {
                epoll.wait(new int[1], 100);
                int n = peer.receive(rx);
                for (int i = 0; i < n; i++, got++) {
                    int flow = Wire.u16(rx.buffer(), rx.slotOffset(i) + Vxlan.LENGTH + 14 + 20 + 8);
                    assertThat(portOfFlow.merge(flow, rx.sourcePort(i), (a, b) -> a)).as("flow %d", flow)
                        .isEqualTo(rx.sourcePort(i));
                }
            }
        }
        assertThat(portOfFlow).hasSize(32);
        assertThat(new HashSet<>(portOfFlow.values())).as("source ports of 32 flows over 8 sockets (RFC 7348 §5)")
            .hasSizeGreaterThan(4);
    }

    /** Forwards a UDP datagram of {@code flow} from vm1 with a 4-byte payload {@code seq} (+ {@code pad} bytes). */
    private void sendSmall(TunnelPort p, int flow, int seq, int pad) {
        ForwardingDecision d = decision[0];
        int length = FrameBuilder.udp(frame, 0, VM1, 0x02_00_00_00_00_03L, 0x0A000001, 0x0A000003, flow, 5201,
            MemorySegment.ofArray(new byte[4 + pad]));
        Wire.putU32(frame, 14 + 20 + 8, seq);
        sw.forward(vm1, frame, 0, length, 1, d);
        p.send(d, 0, new Offload(), 1);
    }

    /**
     * Receives until {@code expected} datagrams or 3 s: each message's datagram count (the peer's UDP_GRO joins what
     * left as one GSO message, so a message count is a count of trains) and the sequence numbers in arrival order.
     */
    private List<Integer> receiveSmall(UdpBatch rx, int expected, List<Integer> seqs) {
        List<Integer> trains = new ArrayList<>();
        try (Epoll epoll = new Epoll(1)) {
            epoll.add(peer.fd(), Epoll.IN);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (seqs.size() < expected && System.nanoTime() < deadline) {
                epoll.wait(new int[1], 100);
                int n = peer.receive(rx);
                for (int i = 0; i < n; i++) {
                    int each = rx.segmentSize(i) > 0 ? rx.segmentSize(i) : rx.length(i);
                    int datagrams = 0;
                    for (int at = 0; at < rx.length(i); at += each, datagrams++) {
                        long vxlan = rx.slotOffset(i) + at;
                        assertThat(Vxlan.vni(rx.buffer(), vxlan)).isEqualTo(119);
                        seqs.add((int) Wire.u32(rx.buffer(), vxlan + Vxlan.LENGTH + 14 + 20 + 8));
                    }
                    trains.add(datagrams);
                }
            }
        }
        return trains;
    }

    @Test
    void small_frames_of_one_flow_to_one_vtep_leave_as_gso_trains_in_order() {
        assertThat(peer.receiveCoalesced()).isTrue();
        List<Integer> seqs = new ArrayList<>();
        try (UdpBatch rx = new UdpBatch(64, 65_536)) {
            for (int seq = 0; seq < 20; seq++) { // one flow, 20 equal datagrams: one train
                sendSmall(port, 40000, seq, 0);
            }
            sendSmall(port, 40000, 20, 0);
            sendSmall(port, 40000, 21, 8); // longer than the train's segments: a message of its own
            sendSmall(port, 40001, 22, 8); // another flow (another source port): another message
            sendSmall(port, 40001, 23, 8);
            sendSmall(port, 40001, 24, 4); // shorter: joins as the last segment and ends the train
            sendSmall(port, 40001, 25, 4);
            port.flush();
            port.transmit();
            List<Integer> trains = receiveSmall(rx, 26, seqs);
            assertThat(seqs).as("every datagram, in the order sent").isEqualTo(
                java.util.stream.IntStream.range(0, 26).boxed().toList());
            assertThat(trains).as("datagrams per message at the peer").containsExactly(21, 1, 3, 1);
        }
        assertThat(port.txRefused()).isZero();
        assertThat(port.vtep().counters().encapsulated()).as("counted per datagram").isEqualTo(26);
    }

    @Test
    void without_gso_small_frames_leave_one_datagram_each() {
        UdpSocketPool pool = poolOf(port);
        for (int i = 0; i < pool.senderCount(); i++) {
            pool.sender(i).zeroChecksum(true); // Linux refuses UDP GSO on it: the port turns GSO off, once
        }
        sendSuperFrame(); // its train is refused and lost
        assertThat(port.takeNotice()).contains("refused a UDP GSO send");
        List<Integer> seqs = new ArrayList<>();
        try (UdpBatch rx = new UdpBatch(64, 65_536)) {
            for (int seq = 0; seq < 10; seq++) {
                sendSmall(port, 40000, seq, 0);
            }
            port.flush();
            port.transmit();
            assertThat(receiveSmall(rx, 10, seqs)).as("datagrams per message at the peer").hasSize(10).containsOnly(1);
        }
        assertThat(seqs).isEqualTo(java.util.stream.IntStream.range(0, 10).boxed().toList());
    }

    @Test
    void segments_from_a_sender_outside_the_flood_list_are_refused_one_by_one_before_any_coalescing() {
        // A TCP super-frame's 11 VXLAN datagrams, as the peer received them, replayed to a receiving tunnel port:
        // first from 127.0.0.2 (no VTEP of this tunnel), then from 127.0.0.1 (its flood list).
        List<byte[]> datagrams = new ArrayList<>();
        try (UdpBatch rx = new UdpBatch(16, 65_536); Epoll epoll = new Epoll(1)) {
            sendSuperFrame();
            epoll.add(peer.fd(), Epoll.IN);
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (datagrams.size() < SEGMENTS && System.nanoTime() < deadline) {
                epoll.wait(new int[1], 100);
                int n = peer.receive(rx);
                for (int i = 0; i < n; i++) { // a message the peer's UDP_GRO joined is split again
                    int each = rx.segmentSize(i) > 0 ? rx.segmentSize(i) : rx.length(i);
                    for (int at = 0; at < rx.length(i); at += each) {
                        datagrams.add(rx.buffer().asSlice(rx.slotOffset(i) + at, Math.min(each, rx.length(i) - at))
                            .toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                    }
                }
            }
        }
        assertThat(datagrams).hasSize(SEGMENTS);
        Vtep vtep = port.vtep();
        try (TunnelPort receiving = new TunnelPort(vtep, UdpSocketPool.open(LOOPBACK_IP, 0, 1, 0, 0),
                 peer.localPort(), new MtuCheck(1500, vtep.counters(), line -> { }), false, 9100, true);
             UdpSocket stranger = UdpSocket.bind("127.0.0.2", 0); Epoll epoll = new Epoll(1);
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            int to = receiving.sockets().receiver().localPort();
            MemorySegment out = arena.allocate(2048);
            for (UdpSocket from : List.of(stranger, peer)) {
                for (byte[] d : datagrams) {
                    MemorySegment.copy(MemorySegment.ofArray(d), 0, out, 0, d.length);
                    from.sendTo(out, 0, d.length, LOOPBACK_IP.high(), LOOPBACK_IP.low(), to);
                }
            }
            epoll.add(receiving.fd(), Epoll.IN);
            RxFrame f = new RxFrame();
            List<Integer> lengths = new ArrayList<>();
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (vtep.counters().decapsulated() < 2L * SEGMENTS && System.nanoTime() < deadline) {
                epoll.wait(new int[1], 100);
                while (receiving.receive(f, 1) == PortDevice.FRAME) {
                    assertThat(f.remote).isEqualTo(vtep.remotes().idOf(LOOPBACK));
                    lengths.add(f.length);
                }
            }
            assertThat(vtep.counters().drops(VxlanDrop.UNKNOWN_VTEP)).as("each of the stranger's datagrams")
                .isEqualTo(SEGMENTS);
            assertThat(lengths).as("the flood list's VTEP: its segments joined into one super-frame")
                .containsExactly(HEADERS + SEGMENTS * MSS - 100);
            assertThat(vtep.remotes().rxPackets(vtep.remotes().idOf(LOOPBACK))).isEqualTo(SEGMENTS);
            assertThat(vtep.remotes().size()).as("the stranger never became a VTEP").isOne();
        }
    }

    private static UdpSocketPool poolOf(TunnelPort port) {
        return port.sockets();
    }
}
