package io.vxswitch.packet.offload;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.Ipv6PseudoHeader;
import io.vxswitch.packet.Wire;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SegmenterTest {
    static final long MAC_A = 0x02_00_00_00_00_01L;
    static final long MAC_B = 0x02_00_00_00_00_03L;
    static final int IP_A = 0x0A000001;
    static final int IP_B = 0x0A000003;
    static final int TCP = 20 + 12; // with timestamps, as Linux sends
    static final long SEQ = 0xFFFF_F000L; // wraps inside the super-frame

    final Segmenter segmenter = new Segmenter();
    final Offload offload = new Offload();

    /**
     * A TCP super-frame as a tap with TSO hands it over: total length and checksum fields as the kernel leaves them
     * (checksum field = pseudo-header sum over the whole segment, CHECKSUM_PARTIAL), flags PSH|ACK|FIN.
     */
    static int superFrame(MemorySegment s, boolean v6, int tags, byte[] payload) {
        int at = FrameBuilder.ethernet(s, 0, MAC_B, MAC_A, 0) - 2;
        for (int t = 0; t < tags; t++) {
            Dot1q.write(s, at, EtherType.VLAN, Dot1q.tci(0, false, 119 + t));
            at += Dot1q.LENGTH;
        }
        Wire.putU16(s, at, v6 ? EtherType.IPV6 : EtherType.IPV4);
        at += 2;
        int l3 = at;
        int l4;
        int tcpLength = TCP + payload.length;
        if (v6) {
            Ipv6.versionClassFlow(s, l3, 0, 0x12345);
            Ipv6.payloadLength(s, l3, tcpLength);
            Ipv6.nextHeader(s, l3, Ipv6.NEXT_HEADER_TCP);
            Ipv6.hopLimit(s, l3, 64);
            Ipv6.src(s, l3, 0x20010db8_00000000L, 1);
            Ipv6.dst(s, l3, 0x20010db8_00000000L, 3);
            l4 = l3 + Ipv6.LENGTH;
        } else {
            Ipv4.writeHeader(s, l3, Ipv4.PROTOCOL_TCP, IP_A, IP_B, tcpLength, 64);
            Ipv4.identification(s, l3, 0xFFFE);
            Ipv4.flagsFragment(s, l3, Ipv4.FLAG_DONT_FRAGMENT);
            Ipv4.updateHeaderChecksum(s, l3);
            l4 = l3 + Ipv4.MIN_HEADER_LENGTH;
        }
        Wire.putU16(s, l4, 40000);
        Wire.putU16(s, l4 + 2, 5201);
        Wire.putU32(s, l4 + 4, SEQ);
        Wire.putU32(s, l4 + 8, 77);
        Wire.putU8(s, l4 + 12, (TCP / 4) << 4);
        Wire.putU8(s, l4 + 13, 0x80 | 0x18 | 0x01); // CWR PSH ACK FIN
        Wire.putU16(s, l4 + 14, 502);
        for (int k = 20; k < TCP; k++) {
            Wire.putU8(s, l4 + k, k); // options
        }
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, s, l4 + TCP, payload.length);
        long pseudo = v6 ? Ipv6PseudoHeader.sum(s, l3, Ipv6.NEXT_HEADER_TCP, tcpLength)
            : Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_TCP, tcpLength);
        Wire.putU16(s, l4 + 16, InternetChecksum.fold(pseudo));
        return l4 + tcpLength;
    }

    static byte[] payload(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void a_tcpv4_super_frame_becomes_wire_segments_that_reassemble_to_the_payload() {
        checkSegments(false, 0, payload(10_000, 1), 1448);
    }

    @Test
    void tcpv6_and_tagged_frames_are_cut_the_same_way() {
        checkSegments(true, 0, payload(6_000, 2), 1428);
        checkSegments(false, 1, payload(2_897, 3), 1448);
        checkSegments(true, 2, payload(65_000, 4), 1400);
    }

    @Test
    void a_payload_that_fits_one_segment_or_none_gives_one_segment() {
        checkSegments(false, 0, payload(100, 5), 1448);
        checkSegments(false, 0, new byte[0], 1448);
    }

    void checkSegments(boolean v6, int tags, byte[] payload, int mss) {
        MemorySegment frame = MemorySegment.ofArray(new byte[70_000]);
        int length = superFrame(frame, v6, tags, payload);
        int l3 = Ethernet.HEADER_LENGTH + tags * Dot1q.LENGTH;
        int l4 = l3 + (v6 ? Ipv6.LENGTH : Ipv4.MIN_HEADER_LENGTH);
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, v6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4,
            l4 + TCP, mss, l4, 16);
        int n = segmenter.prepare(frame, 0, length, offload, 0);
        assertThat(segmenter.failure()).isNull();
        assertThat(n).isEqualTo(Math.max(1, (payload.length + mss - 1) / mss));

        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        MemorySegment out = MemorySegment.ofArray(new byte[2048]);
        for (int k = 0; k < n; k++) {
            int len = segmenter.write(k, out, 7);
            assertThat(len).isEqualTo(segmenter.length(k));
            int seg = len - l4 - TCP;
            assertThat(seg).isEqualTo(k < n - 1 ? mss : payload.length - k * mss);
            long ip = 7 + l3;
            long tcp = 7 + l4;
            long pseudo;
            if (v6) {
                assertThat(Ipv6.payloadLength(out, ip)).isEqualTo(TCP + seg);
                pseudo = Ipv6PseudoHeader.sum(out, ip, Ipv6.NEXT_HEADER_TCP, TCP + seg);
            } else {
                assertThat(Ipv4.totalLength(out, ip)).isEqualTo(20 + TCP + seg);
                assertThat(Ipv4.identification(out, ip)).isEqualTo((0xFFFE + k) & 0xFFFF);
                assertThat(Ipv4.headerChecksumValid(out, ip)).isTrue();
                assertThat(Ipv4.dontFragment(out, ip)).isTrue();
                pseudo = Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_TCP, TCP + seg);
            }
            assertThat(InternetChecksum.fold(InternetChecksum.add(out, tcp, TCP + seg, pseudo)))
                .as("TCP checksum of segment %d", k).isEqualTo(0xFFFF);
            assertThat(Wire.u32(out, tcp + 4)).isEqualTo((SEQ + (long) k * mss) & 0xFFFF_FFFFL);
            int flags = Wire.u8(out, tcp + 13);
            assertThat((flags & 0x80) != 0).as("CWR only on the first").isEqualTo(k == 0);
            assertThat((flags & 0x09) != 0).as("FIN and PSH only on the last").isEqualTo(k == n - 1);
            assertThat(flags & 0x10).as("ACK on all").isNotZero();
            assertThat(Wire.u8(out, tcp + 20)).as("options copied").isEqualTo(20);
            assertThat(Ethernet.src(out, 7)).isEqualTo(MAC_A);
            byte[] chunk = out.asSlice(tcp + TCP, seg).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            joined.writeBytes(chunk);
        }
        assertThat(joined.toByteArray()).isEqualTo(payload);
    }

    /** A UDP super-frame (USO) as a tap hands it over: UDP length and checksum for the whole, checksum partial. */
    static int udpSuperFrame(MemorySegment s, boolean v6, byte[] payload) {
        int at = FrameBuilder.ethernet(s, 0, MAC_B, MAC_A, v6 ? EtherType.IPV6 : EtherType.IPV4);
        int udpLength = 8 + payload.length;
        int l4;
        if (v6) {
            Ipv6.versionClassFlow(s, at, 0, 0);
            Ipv6.payloadLength(s, at, udpLength);
            Ipv6.nextHeader(s, at, Ipv6.NEXT_HEADER_UDP);
            Ipv6.hopLimit(s, at, 64);
            Ipv6.src(s, at, 0x20010db8_00000000L, 1);
            Ipv6.dst(s, at, 0x20010db8_00000000L, 3);
            l4 = at + Ipv6.LENGTH;
        } else {
            Ipv4.writeHeader(s, at, Ipv4.PROTOCOL_UDP, IP_A, IP_B, udpLength, 64);
            l4 = at + Ipv4.MIN_HEADER_LENGTH;
        }
        Wire.putU16(s, l4, 5000);
        Wire.putU16(s, l4 + 2, 6000);
        Wire.putU16(s, l4 + 4, udpLength);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, s, l4 + 8, payload.length);
        long pseudo = v6 ? Ipv6PseudoHeader.sum(s, at, Ipv6.NEXT_HEADER_UDP, udpLength)
            : Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_UDP, udpLength);
        Wire.putU16(s, l4 + 6, InternetChecksum.fold(pseudo));
        return l4 + udpLength;
    }

    @Test
    void a_udp_super_frame_becomes_datagrams_of_gso_size_each_with_its_length_and_checksum() {
        for (boolean v6 : new boolean[] {false, true}) {
            byte[] payload = payload(5_000, 12);
            MemorySegment frame = MemorySegment.ofArray(new byte[8_000]);
            int length = udpSuperFrame(frame, v6, payload);
            int l3 = Ethernet.HEADER_LENGTH;
            int l4 = l3 + (v6 ? Ipv6.LENGTH : Ipv4.MIN_HEADER_LENGTH);
            offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, l4 + 8, 1400, l4, 6);
            assertThat(segmenter.prepare(frame, 0, length, offload, 0)).as(segmenter.failure()).isEqualTo(4);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            MemorySegment out = MemorySegment.ofArray(new byte[2048]);
            for (int k = 0; k < 4; k++) {
                int len = segmenter.write(k, out, 0);
                int seg = k < 3 ? 1400 : 800;
                assertThat(len).isEqualTo(l4 + 8 + seg);
                assertThat(Wire.u16(out, l4 + 4)).as("UDP length").isEqualTo(8 + seg);
                long pseudo = v6 ? Ipv6PseudoHeader.sum(out, l3, Ipv6.NEXT_HEADER_UDP, 8 + seg)
                    : Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_UDP, 8 + seg);
                assertThat(InternetChecksum.fold(InternetChecksum.add(out, l4, 8 + seg, pseudo)))
                    .as("UDP checksum of datagram %d (IPv6 %s)", k, v6).isEqualTo(0xFFFF);
                if (!v6) {
                    assertThat(Ipv4.headerChecksumValid(out, l3)).isTrue();
                    assertThat(Ipv4.totalLength(out, l3)).isEqualTo(20 + 8 + seg);
                }
                joined.writeBytes(out.asSlice(l4 + 8, seg).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
            }
            assertThat(joined.toByteArray()).isEqualTo(payload);
        }
    }

    @Test
    void a_frame_that_only_needs_its_checksum_gets_it_filled_in_where_a_pushed_tag_moved_it() {
        MemorySegment frame = MemorySegment.ofArray(new byte[2048]);
        int udpLength = 8 + 300;
        int length = FrameBuilder.udp(frame, 0, MAC_A, MAC_B, IP_A, IP_B, 5000, 6000,
            MemorySegment.ofArray(new byte[300]));
        long udp = Ethernet.HEADER_LENGTH + Ipv4.MIN_HEADER_LENGTH;
        Wire.putU16(frame, udp + 6, InternetChecksum.fold(Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_UDP,
            udpLength)));
        MemorySegment tagged = MemorySegment.ofArray(new byte[2048]);
        int taggedLength = FrameBuilder.pushVlanTag(frame, 0, length, tagged, 0, Dot1q.tci(0, false, 119));
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, (int) udp, 6);
        assertThat(segmenter.prepare(tagged, 0, taggedLength, offload, Dot1q.LENGTH)).isEqualTo(1);
        MemorySegment out = MemorySegment.ofArray(new byte[2048]);
        assertThat(segmenter.write(0, out, 0)).isEqualTo(taggedLength);
        long ip = Ethernet.HEADER_LENGTH + Dot1q.LENGTH;
        assertThat(InternetChecksum.fold(InternetChecksum.add(out, ip + 20, udpLength,
            Ipv4.pseudoHeaderSum(IP_A, IP_B, Ipv4.PROTOCOL_UDP, udpLength)))).isEqualTo(0xFFFF);
    }

    @Test
    void frames_that_cannot_be_finished_are_refused_with_a_reason() {
        MemorySegment frame = MemorySegment.ofArray(new byte[4096]);
        int length = superFrame(frame, false, 0, payload(3000, 6));
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP, 0, 1400, 34, 6);
        assertThat(segmenter.prepare(frame, 0, length, offload, 0)).isZero();
        assertThat(segmenter.failure()).contains("not TCP or UDP");
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_UDP_L4, 0, 1400, 34, 6);
        assertThat(segmenter.prepare(frame, 0, length, offload, 0)).as("a TCP packet called UDP").isZero();
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV6, 0, 1400, 34, 16);
        assertThat(segmenter.prepare(frame, 0, length, offload, 0)).isZero();
        assertThat(segmenter.failure()).contains("without an IPv6 header");
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, 0, 1, 34, 16);
        assertThat(segmenter.prepare(frame, 0, length, offload, 0)).isZero();
        assertThat(segmenter.failure()).contains("more than " + Segmenter.MAX_SEGMENTS);
        offload.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_NONE, 0, 0, 4000, 16);
        assertThat(segmenter.prepare(frame, 0, length, offload, 0)).isZero();
        assertThat(segmenter.failure()).contains("outside the frame");
    }

    /** Whatever a tap says about whatever bytes: refused or cut into segments that stay inside their bounds. */
    @Property(tries = 3000)
    void any_header_on_any_bytes_is_refused_or_cut_without_throwing(@ForAll @Size(max = 300) byte[] bytes,
            @ForAll @IntRange(max = 255) int flags, @ForAll @IntRange(max = 255) int type,
            @ForAll @IntRange(max = 2000) int gsoSize, @ForAll @IntRange(max = 400) int csumStart,
            @ForAll @IntRange(max = 400) int csumOffset, @ForAll boolean validHeaders) {
        MemorySegment frame = MemorySegment.ofArray(new byte[Math.max(bytes.length, 400)]);
        int length = bytes.length;
        if (validHeaders) {
            length = superFrame(frame, (type & 1) == 0, type % 3, bytes);
        } else {
            MemorySegment.copy(MemorySegment.ofArray(bytes), 0, frame, 0, bytes.length);
        }
        offload.set(flags, type, 0, gsoSize, csumStart, csumOffset);
        int n = segmenter.prepare(frame, 0, length, offload, 0);
        assertThat(n).isBetween(0, Segmenter.MAX_SEGMENTS);
        MemorySegment out = MemorySegment.ofArray(new byte[70_000]);
        for (int k = 0; k < n; k++) {
            assertThat(segmenter.write(k, out, 0)).isEqualTo(segmenter.length(k)).isBetween(0, length);
        }
    }
}
