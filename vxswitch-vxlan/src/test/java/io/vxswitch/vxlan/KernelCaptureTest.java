package io.vxswitch.vxlan;

import static org.assertj.core.api.Assertions.assertThat;

import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Icmp;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Udp;
import io.vxswitch.packet.Vxlan;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames the Linux kernel's vxlan device put on the wire (kernel 6.18, {@code id 119 dstport 4789}, VM MTU
 * 1450), recorded by {@code src/test/resources/capture-kernel-vxlan.sh} on hostA's underlay veth while vm1
 * pinged vm3 once: ARP request, ARP reply, ICMP echo request, echo reply. The script turns veth TX checksum
 * offload off, so the outer UDP checksums are complete, as a physical NIC would send them; with offload on,
 * a capture holds only the pseudo-header sum there (see the script) and checksum verification must be off.
 */
class KernelCaptureTest {
    static final int OUTER_IP = 14;
    static final int OUTER_UDP = 34;
    static final int VXLAN = 42;
    static final int INNER = 50;

    static List<Pcap.Packet> packets;

    final VxlanCounters counters = new VxlanCounters();
    final DecapResult result = new DecapResult();
    /** Strict like Linux itself, checksums verified: the kernel's own frames must pass every check. */
    final VxlanDecapsulator decap = new VxlanDecapsulator(VniMap.of(119, 119), DecapOptions.linuxStrict(), counters);

    @BeforeAll
    static void readCapture() throws IOException {
        try (InputStream in = KernelCaptureTest.class.getResourceAsStream("/kernel-vxlan-ping.pcap")) {
            assertThat(in).as("kernel-vxlan-ping.pcap on the test classpath").isNotNull();
            Pcap.Capture capture = Pcap.read(in);
            assertThat(capture.linkType()).isEqualTo(Pcap.LINKTYPE_ETHERNET);
            packets = capture.packets();
        }
    }

    static MemorySegment segment(Pcap.Packet p) {
        return MemorySegment.ofArray(p.data().clone());
    }

    @Test
    void the_capture_holds_one_ping_across_the_tunnel() {
        assertThat(packets).hasSize(4);
        assertThat(packets).allSatisfy(p -> assertThat(p.data()).hasSize(p.originalLength()));
    }

    @Test
    void every_kernel_frame_decapsulates_to_vni_119_and_the_inner_arp_and_icmp() {
        int[][] expected = { // inner EtherType, ARP operation or ICMP type
            {EtherType.ARP, Arp.REQUEST}, {EtherType.ARP, Arp.REPLY},
            {EtherType.IPV4, Icmp.ECHO_REQUEST}, {EtherType.IPV4, Icmp.ECHO_REPLY}};
        for (int i = 0; i < packets.size(); i++) {
            MemorySegment s = segment(packets.get(i));

            assertThat(decap.decapsulateFrame(s, 0, (int) s.byteSize(), result)).as("packet %d", i)
                .isEqualTo(VxlanDrop.NONE);
            assertThat(result.vni()).isEqualTo(119);
            assertThat(result.vlan()).isEqualTo(119);
            assertThat(Vxlan.flags(s, VXLAN)).isEqualTo(Vxlan.FLAG_I);
            assertThat(Vxlan.reservedBitsClear(s, VXLAN)).isTrue();
            assertThat(result.innerOffset()).isEqualTo(INNER);
            assertThat(result.innerEtherType()).isEqualTo(expected[i][0]);
            long l3 = INNER + Ethernet.HEADER_LENGTH;
            int kind = expected[i][0] == EtherType.ARP ? Arp.oper(s, l3) : Icmp.type(s, l3 + Ipv4.headerLength(s, l3));
            assertThat(kind).as("packet %d", i).isEqualTo(expected[i][1]);
            boolean fromVm1 = i % 2 == 0;
            assertThat(Ethernet.src(s, INNER)).isEqualTo(fromVm1 ? LabAddresses.VM1 : LabAddresses.VM3);
            assertThat(result.outerSource()).isEqualTo(fromVm1 ? LabAddresses.HOST_A : LabAddresses.HOST_B);
        }
        assertThat(counters.totalDrops()).isZero(); // decapsulated is counted once a VTEP accepts the sender
    }

    @Test
    void what_the_kernel_puts_in_the_outer_headers() {
        for (Pcap.Packet p : packets) {
            MemorySegment s = segment(p);
            assertThat(Udp.dstPort(s, OUTER_UDP)).isEqualTo(4789);
            assertThat(Udp.srcPort(s, OUTER_UDP)).as("ephemeral range").isBetween(32768, 60999);
            assertThat(Udp.checksum(s, OUTER_UDP)).as("udpcsum is on in 6.x").isNotZero();
            assertThat(Udp.checksumValid(s, OUTER_UDP, Ipv4.src(s, OUTER_IP), Ipv4.dst(s, OUTER_IP))).isTrue();
            assertThat(Ipv4.ttl(s, OUTER_IP)).isEqualTo(64);
            assertThat(Ipv4.dontFragment(s, OUTER_IP)).as("df unset by default").isFalse();
            assertThat(Ipv4.identification(s, OUTER_IP)).as("counted, since DF is clear").isNotZero();
            assertThat(Ipv4.dscp(s, OUTER_IP)).isZero();
            assertThat(Ipv4.ecn(s, OUTER_IP)).isZero();
        }
        // The kernel's flow hash is symmetric: a request and its reply leave with the same source port.
        MemorySegment arpRequest = segment(packets.get(0));
        MemorySegment arpReply = segment(packets.get(1));
        MemorySegment echoRequest = segment(packets.get(2));
        assertThat(Udp.srcPort(arpReply, OUTER_UDP)).isEqualTo(Udp.srcPort(arpRequest, OUTER_UDP));
        assertThat(Udp.srcPort(echoRequest, OUTER_UDP)).isNotEqualTo(Udp.srcPort(arpRequest, OUTER_UDP));
    }

    /**
     * Our encapsulation of the same inner frame, between the same hosts, with the kernel's port and TTL and
     * UDP checksum on, matches the kernel's outer headers except for fields that legitimately differ:
     * <ul>
     * <li>UDP source port: each VTEP hashes flows its own way (RFC 7348 §5 only recommends a hash);</li>
     * <li>UDP checksum: it covers the source port;</li>
     * <li>IPv4 flags: we set DF by default (never fragment, RFC 7348 §4.3), Linux leaves it clear;</li>
     * <li>IPv4 identification: ours is 0 with DF set (RFC 6864 §4.1), the kernel counts;</li>
     * <li>IPv4 header checksum: it covers the two fields above.</li>
     * </ul>
     * With DF clear like the kernel, and its identification and source port copied in, the frames are equal.
     */
    @Test
    void re_encapsulating_the_inner_frame_matches_the_kernel_except_the_legitimately_different_fields() {
        for (int i = 0; i < packets.size(); i++) {
            MemorySegment kernel = segment(packets.get(i));
            int length = (int) kernel.byteSize();
            VtepAddress local = VtepAddress.ipv4(Ipv4.src(kernel, OUTER_IP));
            EncapOptions options = EncapOptions.defaults().withIpv4UdpChecksum(true);

            MemorySegment ours = reEncapsulate(kernel, local, options);

            // Identical: outer Ethernet, IPv4 version/IHL, DSCP/ECN, total length, TTL, protocol, addresses.
            assertThat(Hex.of(ours, 0, OUTER_IP + 2)).isEqualTo(Hex.of(kernel, 0, OUTER_IP + 2));
            assertThat(Hex.of(ours, OUTER_IP + 2, 2)).isEqualTo(Hex.of(kernel, OUTER_IP + 2, 2));
            assertThat(Hex.of(ours, OUTER_IP + 8, 2)).isEqualTo(Hex.of(kernel, OUTER_IP + 8, 2));
            assertThat(Hex.of(ours, OUTER_IP + 12, 8)).isEqualTo(Hex.of(kernel, OUTER_IP + 12, 8));
            // Identical: UDP destination port and length; the VXLAN header; the inner frame.
            assertThat(Hex.of(ours, OUTER_UDP + 2, 4)).isEqualTo(Hex.of(kernel, OUTER_UDP + 2, 4));
            assertThat(Hex.of(ours, VXLAN, length - VXLAN)).isEqualTo(Hex.of(kernel, VXLAN, length - VXLAN));
            // Different on purpose, and still valid.
            assertThat(Ipv4.dontFragment(ours, OUTER_IP)).isTrue();
            assertThat(Ipv4.identification(ours, OUTER_IP)).isZero();
            assertThat(Ipv4.headerChecksumValid(ours, OUTER_IP)).isTrue();
            assertThat(Udp.srcPort(ours, OUTER_UDP)).isBetween(49152, 65535);
            assertThat(Udp.checksumValid(ours, OUTER_UDP, Ipv4.src(ours, OUTER_IP), Ipv4.dst(ours, OUTER_IP))).isTrue();

            MemorySegment likeKernel = reEncapsulate(kernel, local, options.withDontFragment(false));
            Ipv4.identification(likeKernel, OUTER_IP, Ipv4.identification(kernel, OUTER_IP));
            Ipv4.updateHeaderChecksum(likeKernel, OUTER_IP);
            Udp.srcPort(likeKernel, OUTER_UDP, Udp.srcPort(kernel, OUTER_UDP));
            Udp.updateChecksum(likeKernel, OUTER_UDP, Ipv4.src(kernel, OUTER_IP), Ipv4.dst(kernel, OUTER_IP));
            assertThat(Hex.of(likeKernel, 0, length)).as("packet %d", i).isEqualTo(Hex.of(kernel, 0, length));
        }
    }

    /** Decapsulates the kernel frame, copies the inner frame behind fresh headroom and encapsulates it again. */
    private MemorySegment reEncapsulate(MemorySegment kernel, VtepAddress local, EncapOptions options) {
        assertThat(decap.decapsulateFrame(kernel, 0, (int) kernel.byteSize(), result)).isEqualTo(VxlanDrop.NONE);
        MemorySegment buffer = MemorySegment.ofArray(new byte[VxlanOverhead.IPV4 + result.innerLength()]);
        MemorySegment.copy(kernel, result.innerOffset(), buffer, VxlanOverhead.IPV4, result.innerLength());
        OuterHeaderWriter w = new OuterHeaderWriter(Ethernet.src(kernel, 0), local, options);
        int length = UnderlayFrames.ipv4(w, buffer, VxlanOverhead.IPV4, result.innerLength(), result.vni(),
            Ipv4.dst(kernel, OUTER_IP), Ethernet.dst(kernel, 0));
        assertThat(length).isEqualTo((int) kernel.byteSize());
        return buffer;
    }
}
