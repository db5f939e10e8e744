package io.vxswitch.jmh;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.InternetChecksum;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Wire;
import io.vxswitch.packet.offload.Offload;
import io.vxswitch.packet.offload.Segmenter;
import io.vxswitch.packet.offload.TcpCoalescer;
import io.vxswitch.packet.offload.VirtioNetHeader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * Software offload per 64 KiB, in native memory: {@link #segment} cuts a TCP/IPv4 super-frame of 62 KiB of payload
 * into 45 segments of 1398 bytes (headers copied and fixed, IPv4 and TCP checksums computed: what a tunnel does per
 * super-frame from a tap with TSO), {@link #coalesce} joins those 45 segments back (each one's checksums verified:
 * what a tunnel does per burst it receives), {@link #checksum} is the Internet checksum over the same 64 KiB alone.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Thread)
public class OffloadBenchmark {
    private static final int MSS = 1398;
    private static final int PAYLOAD = 45 * MSS - 100;
    private static final int L3 = 14;
    private static final int L4 = L3 + 20;
    private static final int HEADERS = L4 + 32;

    private Arena arena;
    private MemorySegment frame;
    private int length;
    private MemorySegment segments;
    private int[] segmentLengths;
    private MemorySegment out;
    private final Offload tso = new Offload();
    private final Offload coalesced = new Offload();
    private final Segmenter segmenter = new Segmenter();
    private TcpCoalescer coalescer;

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        frame = arena.allocate(70_000, 64);
        out = arena.allocate(2048, 64);
        length = superFrame(frame);
        tso.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, HEADERS, MSS, L4, 16);
        int n = segmenter.prepare(frame, 0, length, tso, 0);
        segments = arena.allocate((long) n * 2048, 64);
        segmentLengths = new int[n];
        for (int k = 0; k < n; k++) {
            segmentLengths[k] = segmenter.write(k, segments, k * 2048L);
        }
        coalescer = new TcpCoalescer(arena.allocate(70_000, 64), 0, 70_000);
        if (coalesce() != length) {
            throw new IllegalStateException("coalescing did not give the super-frame back");
        }
    }

    /** Ethernet + IPv4 + TCP with timestamps + payload, checksum field holding the pseudo-header sum (TSO). */
    private static int superFrame(MemorySegment s) {
        FrameBuilder.ethernet(s, 0, 0x020000000003L, 0x020000000001L, EtherType.IPV4);
        int tcpLength = 32 + PAYLOAD;
        Ipv4.writeHeader(s, L3, Ipv4.PROTOCOL_TCP, 0x0A000001, 0x0A000003, tcpLength, 64);
        Wire.putU16(s, L4, 40000);
        Wire.putU16(s, L4 + 2, 5201);
        Wire.putU32(s, L4 + 4, 1_000_000);
        Wire.putU32(s, L4 + 8, 77);
        Wire.putU8(s, L4 + 12, 8 << 4);
        Wire.putU8(s, L4 + 13, 0x18);
        Wire.putU16(s, L4 + 14, 502);
        for (int i = 0; i < PAYLOAD; i++) {
            Wire.putU8(s, HEADERS + i, i * 7);
        }
        Wire.putU16(s, L4 + 16, InternetChecksum.fold(Ipv4.pseudoHeaderSum(0x0A000001, 0x0A000003,
            Ipv4.PROTOCOL_TCP, tcpLength)));
        return HEADERS + PAYLOAD;
    }

    @Benchmark
    public int segment() {
        int n = segmenter.prepare(frame, 0, length, tso, 0);
        int bytes = 0;
        for (int k = 0; k < n; k++) {
            bytes += segmenter.write(k, out, 0);
        }
        return bytes;
    }

    @Benchmark
    public int coalesce() {
        coalescer.start(segments, 0, segmentLengths[0]);
        for (int k = 1; k < segmentLengths.length; k++) {
            coalescer.append(segments, k * 2048L, segmentLengths[k]);
        }
        return coalescer.finish(coalesced);
    }

    @Benchmark
    public int checksum() {
        return InternetChecksum.checksum(frame, 0, length);
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }
}
