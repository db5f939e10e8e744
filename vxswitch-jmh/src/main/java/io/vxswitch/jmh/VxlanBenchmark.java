package io.vxswitch.jmh;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.DecapResult;
import io.vxswitch.vxlan.EncapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.OuterHeaderWriter;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.SourcePortHash;
import io.vxswitch.vxlan.TunnelEgress;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;
import io.vxswitch.vxlan.VxlanDrop;
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
 * VXLAN per frame on one core, in place in a native buffer. {@link #encapsulate} is the send side of a VTEP as the
 * daemon and the lab run it, {@link TunnelEgress}: a copy of vm1's frame to a MAC learned behind a remote VTEP, its
 * target and VNI, the MTU check, the VXLAN header, the source-port hash over the inner flow and the counts. The outer
 * UDP/IP/Ethernet headers are below the VTEP (the kernel writes them for the daemon, {@link OuterHeaderWriter} for the
 * lab), so they are written once in setup, for {@link #decapsulate}: a whole captured frame checked (outer Ethernet,
 * IPv4, UDP port, VXLAN flags) and its VNI looked up. {@link #roundTrip} is both. Inner frames are an ICMP echo
 * (98 bytes) or a 1400-byte UDP datagram.
 *
 * <p>The daemon's receive side per datagram (issue 15): {@link #decapsulatePayload} (the UDP payload a socket hands
 * over), {@link #decapsulateAndNameVtep} the same and its sender named (the one lookup that also decides whether
 * the tunnel knows it), {@link #receiveFromKnownVtep} that and the look at its inner TCP/UDP checksum (unfinished or
 * not; {@link #lookAtInnerChecksum} alone), and {@link #refuseUnknownVtep} what a forged datagram from a stranger
 * costs once decapsulated.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class VxlanBenchmark {
    private static final long LOCAL_MAC = 0x02_00_00_00_0a_01L;
    private static final long NEXT_HOP = 0x02_00_00_00_0b_01L;
    private static final long VM1 = 0x005056000001L;
    private static final long VM3 = 0x525400000003L;
    private static final int HEADROOM = 50;

    @Param({"98", "1442"})
    public int innerLength;

    private Arena arena;
    private MemorySegment buf;
    private ForwardingDecision decision;
    private TunnelEgress egress;
    private VxlanDecapsulator decap;
    private final DecapResult result = new DecapResult();
    private Vtep vtep;
    private final VtepAddress known = VtepAddress.parse("198.51.100.10");
    private final VtepAddress stranger = VtepAddress.parse("198.51.100.66");

    @Setup
    public void setUp() {
        arena = Arena.ofShared();
        buf = arena.allocate(4096, 64);
        Switch sw = new Switch(SwitchOptions.defaults("bench").withMaxPorts(8));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        int vm1 = sw.addVnicPort("vm1", "vlan119", VM1);
        int tunnel = sw.addTunnelPort("vx", "vxlan");
        VxlanCounters counters = new VxlanCounters();
        VniMap vnis = VniMap.of(119, 119);
        RemoteVteps remotes = new RemoteVteps(16);
        int remote = remotes.register(VtepAddress.parse("198.51.100.10"));
        decap = new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters);
        vtep = new Vtep(sw, "vx", vnis, remotes, new FloodList(remotes), decap, counters);
        egress = new TunnelEgress(vtep, new MtuCheck(1500, counters, line -> { }), SourcePortHash.rfc7348(), false);

        // vm3 learned behind the remote VTEP, then vm1's frame to it: one copy, for the tunnel.
        MemorySegment in = arena.allocate(2048, 64);
        int src = Ipv4Address.parse("10.0.0.1");
        int dst = Ipv4Address.parse("10.0.0.3");
        decision = sw.newDecision();
        sw.forwardFromTunnel(tunnel, remote, 119, in, 0, FrameBuilder.arpReply(in, 0, VM3, dst, VM1, src), 0, decision,
            null);
        int len = innerLength == 98
            ? FrameBuilder.icmpEcho(in, 0, VM1, VM3, src, dst, true, 1, 1)
            : FrameBuilder.udp(in, 0, VM1, VM3, src, dst, 40000, 5201, arena.allocate(innerLength - 42));
        sw.forward(vm1, in, 0, len, 0, decision);
        if (len != innerLength || decision.egressCount() != 1 || decision.egressRemote(0) != remote
            || decision.writeEgress(0, buf, HEADROOM) != innerLength) {
            throw new IllegalStateException("wanted one " + innerLength + "-byte copy to the remote VTEP, got "
                + decision.egressCount() + " copies of a " + len + "-byte frame (" + decision.dropReason() + ")");
        }
        // The outer headers decapsulate() reads, as the lab writes them.
        int port = encapsulate();
        OuterHeaderWriter outer = new OuterHeaderWriter(LOCAL_MAC, VtepAddress.parse("192.0.2.1"),
            EncapOptions.defaults());
        int frame = outer.write(buf, HEADROOM - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength, port,
            remotes, remote, NEXT_HOP);
        if (port == TunnelEgress.DROPPED || frame != HEADROOM + innerLength || decapsulate() != HEADROOM
            || decapsulatePayload() != HEADROOM) {
            throw new IllegalStateException("encapsulation round trip failed in setup");
        }
    }

    @TearDown
    public void tearDown() {
        arena.close();
    }

    /** Returns the outer UDP source port. */
    @Benchmark
    public int encapsulate() {
        if (egress.targets(decision, 0) != 1) {
            return -1;
        }
        return egress.encapsulate(buf, HEADROOM, innerLength, 0, 0);
    }

    @Benchmark
    public long decapsulate() {
        return decap.decapsulateFrame(buf, 0, HEADROOM + innerLength, result) == VxlanDrop.NONE
            ? result.innerOffset() : -1;
    }

    @Benchmark
    public long roundTrip() {
        int port = encapsulate();
        return decap.decapsulateFrame(buf, 0, HEADROOM + innerLength, result) == VxlanDrop.NONE
            ? result.innerOffset() + port : -1;
    }

    @Benchmark
    public long decapsulatePayload() {
        return vtep.decapsulate(buf, HEADROOM - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength)
            == VxlanDrop.NONE ? vtep.decapsulated().innerOffset() : -1;
    }

    @Benchmark
    public long decapsulateAndNameVtep() {
        if (vtep.decapsulate(buf, HEADROOM - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength)
            != VxlanDrop.NONE) {
            return -1;
        }
        return vtep.decapsulated().innerOffset() + vtep.sourceVtep(known.high(), known.low(), 1, 0);
    }

    @Benchmark
    public long receiveFromKnownVtep() {
        if (vtep.decapsulate(buf, HEADROOM - TunnelEgress.HEADER, TunnelEgress.HEADER + innerLength)
            != VxlanDrop.NONE) {
            return -1;
        }
        int remote = vtep.sourceVtep(known.high(), known.low(), 1, 0);
        if (remote == RemoteVteps.NONE) {
            return -1;
        }
        vtep.checkInnerChecksum(buf, remote);
        return vtep.decapsulated().innerOffset() + remote;
    }

    /** The look at the inner checksum alone, on the frame {@link #decapsulatePayload} left (the last one). */
    @Benchmark
    public int lookAtInnerChecksum() {
        vtep.checkInnerChecksum(buf, 0);
        return vtep.decapsulated().innerLength();
    }

    @Benchmark
    public int refuseUnknownVtep() {
        return vtep.sourceVtep(stranger.high(), stranger.low(), 1, 0);
    }
}
