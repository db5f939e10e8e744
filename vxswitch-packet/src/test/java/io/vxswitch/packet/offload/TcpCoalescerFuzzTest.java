package io.vxswitch.packet.offload;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.fuzz.FuzzInput;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Segments of a TCP flow as a remote VTEP's NIC might send them, run through {@link TcpCoalescer} the way the tunnel
 * receiver does (start, append while it says yes, finish, start again). Every super-frame it makes, cut again by
 * {@link Segmenter}, gives back the very segments it took, checksums aside (recomputed, and right): GRO then GSO is
 * the identity, so nothing is lost, reordered or invented between a tunnel and a VM.
 *
 * <p>The fuzzer builds the flow from its bytes: one set of headers, then per segment its payload, whether its sequence
 * number and IP ID follow on, its flags, and whether its checksums are fixed (random bytes almost never carry a right
 * checksum, and a wrong one only tests the first check). Addresses and options come from the input too.
 */
class TcpCoalescerFuzzTest {
    private static final int IP = Ethernet.HEADER_LENGTH;
    private static final int TCP = IP + Ipv4.MIN_HEADER_LENGTH;
    private static final int TCP_SEQ = 4;
    private static final int TCP_DATA_OFFSET = 12;
    private static final int TCP_FLAGS = 13;
    private static final int TCP_CHECKSUM = 16;
    private static final int ACK = 0x10;
    private static final int MAX_SEGMENTS = 48;

    private final MemorySegment buffer = MemorySegment.ofArray(new byte[VirtioNetHeader.MAX_SUPER_FRAME]);
    private final TcpCoalescer coalescer = new TcpCoalescer(buffer, 0, (int) buffer.byteSize());
    private final Segmenter segmenter = new Segmenter();
    private final Offload offload = new Offload();
    private final MemorySegment cut = MemorySegment.ofArray(new byte[VirtioNetHeader.MAX_SUPER_FRAME]);

    @FuzzTest
    void coalesced_segments_cut_back_into_themselves(byte[] input) {
        FuzzInput data = new FuzzInput(input);
        byte[] headers = headers(data);
        long seq = Wire.u32(MemorySegment.ofArray(headers), TCP + TCP_SEQ);
        int id = Ipv4.identification(MemorySegment.ofArray(headers), IP);
        int count = data.consumeInt(1, MAX_SEGMENTS);
        List<MemorySegment> taken = new ArrayList<>();
        for (int i = 0; i < count && data.remaining() > 0; i++) {
            byte[] payload = data.consumeBytes(data.consumeInt(0, 1500));
            MemorySegment segment = segment(headers, payload, data.consumeBoolean() ? seq : data.consumeInt(),
                data.consumeBoolean() ? id : data.consumeInt(0, 0xFFFF), data);
            seq = (seq + payload.length) & 0xFFFF_FFFFL;
            id = (id + 1) & 0xFFFF;
            offer(segment, taken);
        }
        if (coalescer.isOpen()) {
            finishAndCutBack(taken);
        }
    }

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::coalesced_segments_cut_back_into_themselves);
    }

    /** The receiver's loop for one segment: into the open super-frame, or close it and open a new one. */
    private void offer(MemorySegment segment, List<MemorySegment> taken) {
        int length = (int) segment.byteSize();
        if (coalescer.isOpen() && coalescer.append(segment, 0, length)) {
            taken.add(segment);
            return;
        }
        if (coalescer.isOpen()) {
            finishAndCutBack(taken);
        }
        if (coalescer.start(segment, 0, length)) {
            taken.add(segment);
        }
    }

    private void finishAndCutBack(List<MemorySegment> taken) {
        assertThat(coalescer.segments()).isEqualTo(taken.size());
        int length = coalescer.finish(offload);
        MemorySegment frame = coalescer.frameSegment();
        long at = coalescer.frameOffset();
        if (taken.size() == 1) {
            assertThat(offload.isPlain()).as("one segment goes on as it came").isTrue();
            assertThat(length).isEqualTo((int) taken.getFirst().byteSize());
        } else {
            assertThat(offload.gsoType()).isEqualTo(VirtioNetHeader.GSO_TCPV4);
            assertThat(offload.needsChecksum()).isTrue();
            assertThat(Ipv4.totalLength(frame, at + IP)).isEqualTo(length - IP);
            assertThat(Ipv4.headerChecksumValid(frame, at + IP)).isTrue();
            int n = segmenter.prepare(frame, at, length, offload, 0);
            assertThat(n).as(segmenter.failure() == null ? "segments" : segmenter.failure()).isEqualTo(taken.size());
            for (int k = 0; k < n; k++) {
                int segmentLength = segmenter.write(k, cut, 0);
                assertSameButChecksums(cut, segmentLength, taken.get(k));
            }
        }
        taken.clear();
    }

    private static void assertSameButChecksums(MemorySegment got, int length, MemorySegment original) {
        assertThat(length).isEqualTo((int) original.byteSize());
        byte[] a = got.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        byte[] b = original.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        assertThat(Ipv4.headerChecksumValid(got, IP)).isTrue();
        int tcpLength = length - TCP;
        long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(got, IP), Ipv4.dst(got, IP), Ipv4.PROTOCOL_TCP, tcpLength);
        assertThat(InternetChecksum.verify(got, TCP, tcpLength, pseudo)).isTrue();
        for (int checksum : new int[] {IP + Ipv4.HEADER_CHECKSUM_OFFSET, TCP + TCP_CHECKSUM}) {
            a[checksum] = b[checksum];
            a[checksum + 1] = b[checksum + 1];
        }
        assertThat(a).isEqualTo(b);
    }

    /** Ethernet, IPv4 (mostly a plain 20-byte TCP header) and TCP with options, as the input says. */
    private static byte[] headers(FuzzInput data) {
        int options = data.consumeBoolean() ? 0 : data.consumeInt(0, 10) * 4;
        byte[] h = new byte[TCP + 20 + options];
        MemorySegment s = MemorySegment.ofArray(h);
        byte[] macs = data.consumeBytes(12);
        System.arraycopy(macs, 0, h, 0, macs.length);
        Wire.putU16(s, Ethernet.TYPE_OFFSET, data.consumeBoolean() ? EtherType.IPV4 : data.consumeInt(0, 0xFFFF));
        Wire.putU8(s, IP, data.consumeBoolean() ? 0x45 : data.consumeInt(0, 0xFF));
        Wire.putU8(s, IP + 1, data.consumeInt(0, 0xFF));
        Ipv4.identification(s, IP, data.consumeInt(0, 0xFFFF));
        Ipv4.flagsFragment(s, IP, data.consumeBoolean() ? Ipv4.FLAG_DONT_FRAGMENT : data.consumeInt(0, 0xFFFF));
        Ipv4.ttl(s, IP, data.consumeInt(0, 0xFF));
        Ipv4.protocol(s, IP, data.consumeBoolean() ? Ipv4.PROTOCOL_TCP : data.consumeInt(0, 0xFF));
        Ipv4.src(s, IP, data.consumeInt());
        Ipv4.dst(s, IP, data.consumeInt());
        Wire.putU32(s, TCP, data.consumeInt() & 0xFFFF_FFFFL); // ports
        Wire.putU32(s, TCP + TCP_SEQ, data.consumeInt() & 0xFFFF_FFFFL);
        Wire.putU32(s, TCP + 8, data.consumeInt() & 0xFFFF_FFFFL); // acknowledgement
        Wire.putU8(s, TCP + TCP_DATA_OFFSET, ((20 + options) / 4) << 4);
        Wire.putU8(s, TCP + TCP_FLAGS, data.consumeBoolean() ? ACK : data.consumeInt(0, 0xFF));
        Wire.putU16(s, TCP + 14, data.consumeInt(0, 0xFFFF)); // window
        byte[] optionBytes = data.consumeBytes(options);
        System.arraycopy(optionBytes, 0, h, TCP + 20, optionBytes.length);
        return h;
    }

    /** One segment: the headers with this sequence number, IP ID and payload; flags and checksums as the input says. */
    private static MemorySegment segment(byte[] headers, byte[] payload, long seq, int id, FuzzInput data) {
        MemorySegment s = MemorySegment.ofArray(new byte[headers.length + payload.length]);
        MemorySegment.copy(MemorySegment.ofArray(headers), 0, s, 0, headers.length);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, s, headers.length, payload.length);
        int length = (int) s.byteSize();
        Ipv4.totalLength(s, IP, length - IP);
        Ipv4.identification(s, IP, id);
        Wire.putU32(s, TCP + TCP_SEQ, seq & 0xFFFF_FFFFL);
        if (data.consumeBoolean()) {
            Wire.putU8(s, TCP + TCP_FLAGS, data.consumeInt(0, 0xFF)); // PSH, FIN, SYN...: some close, some refuse
        }
        if ((data.consumeBoolean() || data.remaining() == 0) && IP + Ipv4.headerLength(s, IP) <= length) {
            Ipv4.updateHeaderChecksum(s, IP);
            if (Ipv4.headerLength(s, IP) == Ipv4.MIN_HEADER_LENGTH && length >= TCP + 20) {
                Wire.putU16(s, TCP + TCP_CHECKSUM, 0);
                int tcpLength = length - TCP;
                long pseudo = Ipv4.pseudoHeaderSum(Ipv4.src(s, IP), Ipv4.dst(s, IP), Ipv4.PROTOCOL_TCP, tcpLength);
                Wire.putU16(s, TCP + TCP_CHECKSUM, InternetChecksum.checksum(s, TCP, tcpLength, pseudo));
            }
        }
        return s;
    }
}
