package io.vxswitch.forwarding.fuzz;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.NeighborSnoop;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;

import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The host switch the pipeline fuzz target drives: a port of every kind and policy a host has, with limits small
 * enough for a few hundred frames to reach them. Port indexes (what a {@link FrameScript} names):
 * <pre>
 *  0 uplink1  uplinks: trunk 1-4094, native 0            6 nested   learning: access 119, forged accept,
 *  1 uplink2  uplinks-native: trunk 1-4094, native 119              learning limit 8 (drop), aging 10 s
 *  2 vm1      vlan119: access 119                        7 nested2  learning-allow: access 120, forged accept,
 *  3 vm2      vlan119 (its IP bound for ARP suppression)            limit 4 (allow), no unknown-unicast floods
 *  4 vgt      trunk 100-130 native 0 (guest tagging)     8 changed  vlan119; guest changed its MAC, MAC changes reject
 *  5 promisc  access 119, promiscuous                    9 vm120    vlan120: access 120
 * 10 down     vlan119, link down                        11 vx       tunnel: VLANs 119-120, learning limit 16
 * </pre>
 * Port 12, analyzer (vlan119), is the destination of mirror session "span": vm1 and vx both ways and VLAN 120 in,
 * truncated to 64 bytes (no sampling: its countdown would carry from one script to the next); scripts never send from
 * it. ERSPAN session "remote" copies vm2 and uplink1 both ways and VLAN 130 to collector {@link #COLLECTOR}, truncated
 * to 128 bytes: its copies name no port, and it must never copy an ERSPAN packet to that collector. MAC moves: 3 in 10 s freeze a MAC for 5 s. ARP suppression on VLAN 119. Static MACs behind uplink1 and behind remote
 * VTEP 0 of the tunnel. One lane.
 *
 * <p>Built once per JVM and {@link #reset} before each script: building it took most of a fuzzing run's time.
 */
final class FuzzSwitch {
    static final int FDB_CAPACITY = 48;
    static final int LEARNING_LIMIT = 8;
    static final int ALLOW_LIMIT = 4;
    static final int TUNNEL_LIMIT = 16;
    static final int AGING_SECONDS = 10;
    /** The static MACs below, which the FDB's size counts with the learned ones. */
    static final int STATIC_ENTRIES = 2;

    static final int UPLINK1 = 0;
    static final int UPLINK2 = 1;
    static final int NESTED = 6;
    static final int NESTED2 = 7;
    static final int TUNNEL = 11;
    static final int PORTS = 12;
    /** The mirror session's destination: not among the {@link #PORTS} a script sends from. */
    static final String ANALYZER = "analyzer";
    static final int MIRROR_TRUNCATE = 64;
    /** The ERSPAN session's collector, 198.51.100.2, as the int an IPv4 header carries. */
    static final int COLLECTOR = 0xC633_6402;
    static final int ERSPAN_TRUNCATE = 128;

    static final long VM1 = mac(1);
    static final long VM2 = mac(2);
    static final long VGT = mac(3);
    static final long PROMISC = mac(4);
    static final long NESTED_MAC = mac(5);
    static final long CHANGED_CONFIGURED = mac(6);
    static final long CHANGED_EFFECTIVE = mac(7);
    static final long VM120 = mac(8);
    static final long DOWN = mac(9);
    static final long STATIC_UPLINK = MacAddress.parseBits("00:aa:bb:00:00:01");
    static final long STATIC_REMOTE = MacAddress.parseBits("00:aa:bb:00:00:02");
    static final int VM2_IP = Ipv4Address.parse("10.0.0.2");
    static final long START_NANOS = 1_000_000_000L;
    private static final MacMoveGuard.Options MOVE_GUARD =
        new MacMoveGuard.Options(3, 10_000_000_000L, 5_000_000_000L);
    /** ARP bindings offered for a control plane, which this switch has not: dropped at each reset. */
    private static final NeighborSnoop.Visitor NO_CONTROL_PLANE = new NeighborSnoop.Visitor() {
        @Override
        public void binding(int vlan, int ipv4, long mac) {
        }

        @Override
        public void binding(int vlan, long high, long low, long mac) {
        }
    };

    final Switch sw;
    final ForwardingDecision decision;
    /** Port ids by index. */
    final int[] ids = new int[PORTS];
    /** The ERSPAN session, whose slot its copies name ({@link ForwardingDecision#remoteMirror}). */
    final Mirror erspan;
    /** Where {@link #run} writes each copy, as a driver's transmit buffer. */
    final MemorySegment out = MemorySegment.ofArray(new byte[FrameScript.MAX_FRAME + 8]);
    long now = START_NANOS;

    FuzzSwitch() {
        sw = new Switch(SwitchOptions.defaults("fuzz").withMaxPorts(16).withFdbCapacity(FDB_CAPACITY));
        MacLearningPolicy learning = MacLearningPolicy.ENABLED.withLimit(LEARNING_LIMIT,
            MacLearningPolicy.LimitPolicy.DROP).withAgingSeconds(AGING_SECONDS);
        SecurityPolicy forged = SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true);
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks-native",
            VlanPolicy.trunk(List.of(new VlanRange(1, 4094)), 119)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vgt", VlanPolicy.trunk(List.of(new VlanRange(100, 130)), 0)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("promisc", VlanPolicy.access(119))
            .withSecurity(SecurityPolicy.VDS_DEFAULT.withPromiscuous(true)));
        sw.addPortGroup(new PortGroupPolicy("learning", VlanPolicy.access(119), forged, learning));
        sw.addPortGroup(new PortGroupPolicy("learning-allow", VlanPolicy.access(120), forged,
            learning.withLimit(ALLOW_LIMIT, MacLearningPolicy.LimitPolicy.ALLOW).withUnicastFlooding(false)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(List.of(new VlanRange(119, 120)), 0),
            SecurityPolicy.VDS_DEFAULT, learning.withLimit(TUNNEL_LIMIT, MacLearningPolicy.LimitPolicy.DROP)));

        ids[UPLINK1] = sw.addUplink("uplink1", "uplinks");
        ids[UPLINK2] = sw.addUplink("uplink2", "uplinks-native");
        ids[2] = sw.addVnicPort("vm1", "vlan119", VM1);
        ids[3] = sw.addVnicPort("vm2", "vlan119", VM2);
        ids[4] = sw.addVnicPort("vgt", "vgt", VGT);
        ids[5] = sw.addVnicPort("promisc", "promisc", PROMISC);
        ids[NESTED] = sw.addVnicPort("nested", "learning", NESTED_MAC);
        ids[NESTED2] = sw.addVnicPort("nested2", "learning-allow", Port.NO_MAC);
        ids[8] = sw.addVnicPort("changed", "vlan119", CHANGED_CONFIGURED);
        sw.setEffectiveMac("changed", CHANGED_EFFECTIVE);
        ids[9] = sw.addVnicPort("vm120", "vlan120", VM120);
        ids[10] = sw.addVnicPort("down", "vlan119", DOWN);
        sw.setPortUp("down", false);
        ids[TUNNEL] = sw.addTunnelPort("vx", "tunnel");
        sw.addVnicPort(ANALYZER, "vlan119", mac(10));
        sw.addMirror(new MirrorSession("span", List.of("vm1", "vx"), List.of(new VlanRange(120, 120)),
            MirrorDirection.BOTH, ANALYZER, MIRROR_TRUNCATE, 1));
        erspan = sw.addMirror(MirrorSession.erspan("remote", List.of("vm2", "uplink1"),
            List.of(new VlanRange(130, 130)), MirrorDirection.BOTH,
            ErspanDestination.typeII(ErspanDestination.parseAddress("198.51.100.2", "remote"), 7))
            .withTruncate(ERSPAN_TRUNCATE));

        sw.addStaticMac(119, STATIC_UPLINK, "uplink1");
        sw.addStaticRemoteMac(119, STATIC_REMOTE, "vx", 0);
        sw.setMacMoveGuard(MOVE_GUARD);
        sw.arpSuppression().enable(119);
        sw.arpSuppression().bind(119, VM2_IP, VM2);
        decision = sw.newDecision();
    }

    /**
     * Back to the state the constructor left, as far as frames can change it, so that a script meets the same switch
     * however many ran before it and a finding reproduces from its input alone. Frames change the learned entries of
     * the FDB (with their recency, limits and move history), the clock, and the ARP bindings offered to a control
     * plane; ports, port groups, static and vNIC entries are configuration, which no frame touches. Two things carry
     * over and steer no decision: the counters, which a switch never zeroes ({@link PipelineInvariants} checks what
     * one script added to them), and the FDB's lifetime totals. {@code ReusedSwitchTest} checks that a reset switch
     * decides every frame of the corpus as a new one does.
     */
    void reset() {
        sw.fdb().flushLearned();
        sw.setMacMoveGuard(MOVE_GUARD); // no move history, no frozen MAC, no flap records
        sw.neighborSnoop(0).drain(NO_CONTROL_PLANE);
        now = START_NANOS;
    }

    /**
     * One step of a script, as a driver does it: time passes (and the FDB ages, as the conductor does once a second),
     * the frame is decided, and each copy is written out. Allocates nothing.
     */
    void run(FrameScript.Step step) {
        now += step.advanceNanos();
        if (step.expire()) {
            sw.expire(now);
        }
        if (step.tunnel()) {
            sw.lane(0).forwardFromTunnel(ids[TUNNEL], step.remote(), step.tunnelVlan(), step.frame(), 0,
                (int) step.frame().byteSize(), now, decision, null);
        } else {
            sw.lane(0).forward(ids[step.port()], step.frame(), 0, (int) step.frame().byteSize(), now, decision);
        }
        for (int i = 0; i < decision.egressCount(); i++) {
            if (decision.isMirrorCopy(i)) {
                decision.prepareMirrorCopy(i); // as the forwarding loop does, after the forwarded copies
            }
            decision.writeEgress(i, out, 0);
        }
        decision.restoreWholeFrame(); // the invariants and the tests read every copy again
    }

    int ingressId(FrameScript.Step step) {
        return step.tunnel() ? ids[TUNNEL] : ids[step.port()];
    }

    private static long mac(int n) {
        return 0x0050_5600_0000L | n;
    }
}
