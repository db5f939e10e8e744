package io.vxswitch.jmh;

import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.DecapResult;
import io.vxswitch.vxlan.EncapOptions;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;
import io.vxswitch.vxlan.VxlanDrop;
import io.vxswitch.vxlan.VxlanEncapsulator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * VXLAN per frame on one core, in place in a native buffer: {@link #encapsulate} is the send side of a VTEP (MTU
 * check, source-port hash over the inner flow, outer Ethernet + IPv4 + UDP + VXLAN with the IPv4 header checksum),
 * {@link #decapsulate} the receive side of a whole captured frame (outer headers checked, VNI looked up),
 * {@link #roundTrip} both. Inner frames are an ICMP echo (98 bytes) or a 1400-byte UDP datagram.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class VxlanBenchmark {
    private static final long LOCAL_MAC = 0x02_00_00_00_0a_01L;
    private static final long NEXT_HOP = 0x02_00_00_00_0b_01L;
    private static final int HEADROOM = 50;

    @Param({"98", "1442"})
    public int innerLength;

    private Arena arena;
    private MemorySegment buf;
    private VxlanEncapsulator encap;
    private VxlanDecapsulator decap;
    private MtuCheck mtu;
    private RemoteVteps remotes;
    private int remote;
    private final DecapResult result = new DecapResult();

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        buf = arena.allocate(4096, 64);
        VxlanCounters counters = new VxlanCounters();
        encap = new VxlanEncapsulator(LOCAL_MAC, VtepAddress.parse("192.0.2.1"), EncapOptions.defaults(),
            SourcePortHash.rfc7348(), counters);
        decap = new VxlanDecapsulator(VniMap.of(119, 119), DecapOptions.defaults(), counters);
        mtu = new MtuCheck(1500, counters, line -> { });
        remotes = new RemoteVteps(16);
        remote = remotes.register(VtepAddress.parse("198.51.100.10"));
        int src = Ipv4Address.parse("10.0.0.1");
        int dst = Ipv4Address.parse("10.0.0.3");
        int len = innerLength == 98
            ? FrameBuilder.icmpEcho(buf, HEADROOM, 0x005056000001L, 0x525400000003L, src, dst, true, 1, 1)
            : FrameBuilder.udp(buf, HEADROOM, 0x005056000001L, 0x525400000003L, src, dst, 40000, 5201,
                arena.allocate(innerLength - 42));
        if (len != innerLength) {
            throw new IllegalStateException("built a " + len + "-byte inner frame, wanted " + innerLength);
        }
        // decapsulate() reads the outer frame this leaves in the buffer.
        if (encapsulate() != HEADROOM + innerLength || decapsulate() != HEADROOM) {
            throw new IllegalStateException("encapsulation round trip failed in setup");
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    @Benchmark
    public int encapsulate() {
        if (!mtu.admit(buf, HEADROOM, innerLength, 119, false, 0)) {
            return -1;
        }
        return encap.encapsulate(buf, HEADROOM, innerLength, 119, remotes, remote, NEXT_HOP);
    }

    @Benchmark
    public long decapsulate() {
        return decap.decapsulateFrame(buf, 0, HEADROOM + innerLength, result) == VxlanDrop.NONE
            ? result.innerOffset() : -1;
    }

    @Benchmark
    public long roundTrip() {
        int outer = encapsulate();
        return decap.decapsulateFrame(buf, 0, outer, result) == VxlanDrop.NONE ? result.innerOffset() : -1;
    }
}
