package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.mirror.ErspanDestination;
import io.vxswitch.forwarding.mirror.MirrorCounter;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.packet.Erspan;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.Wire;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * ERSPAN sessions in the forwarding plane: their copies name the session (a slot, not a port), carry the direction
 * they were taken in, are cut and counted as a SPAN session's are, need no port, and never copy the switch's own
 * ERSPAN packets (the loop a route through a mirrored port would make).
 */
class ErspanMirrorTest {
    private static final long VM1 = 0x020000000001L;
    private static final long VM2 = 0x020000000002L;
    private static final long T10 = 0x020000000010L;
    private static final long T10B = 0x020000000011L;
    private static final InetAddress COLLECTOR = ErspanDestination.parseAddress("198.51.100.2", "remote");

    private final Switch sw = new Switch(SwitchOptions.defaults("erspan").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();
    private long now = 1_000_000_000L;

    ErspanMirrorTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("plain", VlanPolicy.none()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("trunk", VlanPolicy.trunk(List.of(new VlanRange(10, 20)), 0)));
        sw.addVnicPort("vm1", "plain", VM1);
        sw.addVnicPort("vm2", "plain", VM2);
        sw.addVnicPort("t10", "trunk", T10);
        sw.addVnicPort("t10b", "trunk", T10B);
    }

    private static MirrorSession erspan(String name, MirrorDirection direction, int sessionId, String... sources) {
        return MirrorSession.erspan(name, List.of(sources), List.of(), direction,
            ErspanDestination.typeII(COLLECTOR, sessionId));
    }

    @Test
    void a_copy_names_its_session_slot_and_direction_and_no_port() {
        Mirror m = sw.addMirror(erspan("e1", MirrorDirection.BOTH, 1, "vm1"));
        assertThat(m.active()).isTrue();
        assertThat(m.remote()).isTrue();
        assertThat(m.status()).isEqualTo("active");
        assertThat(sw.remoteMirror(m.remoteSlot())).isSameAs(m);

        forward("vm1", untagged(VM2, VM1));
        assertThat(d.egressCount()).isEqualTo(2);
        assertThat(d.forwardedCount()).isEqualTo(1);
        assertThat(d.isRemoteMirror(0)).isFalse();
        assertThat(d.isRemoteMirror(1)).isTrue();
        assertThat(d.egressPort(1)).isEqualTo(ForwardingDecision.REMOTE_MIRROR);
        assertThat(d.remoteMirror(1)).isEqualTo(m.remoteSlot());
        assertThat(d.remoteMirrorEgress(1)).as("taken as vm1 sent it").isFalse();

        forward("vm2", untagged(VM1, VM2));
        assertThat(d.isRemoteMirror(1)).isTrue();
        assertThat(d.remoteMirrorEgress(1)).as("taken as the switch sent it to vm1").isTrue();
        assertThat(m.counters().get(MirrorCounter.FRAMES)).isEqualTo(2);
        assertThat(sw.port("vm2").counters().get(PortCounter.TX_FRAMES)).as("no port counts the copy").isEqualTo(1);
    }

    @Test
    void a_copy_is_the_frame_tagged_with_its_vlan_and_cut_like_a_span_copy() {
        sw.addMirror(MirrorSession.erspan("v10", List.of(), List.of(new VlanRange(10, 10)), MirrorDirection.INGRESS,
            ErspanDestination.typeII(COLLECTOR, 7)).withTruncate(64));
        MemorySegment frame = tagged(T10B, T10, 10);
        forward("t10", frame);
        assertThat(d.isRemoteMirror(1)).isTrue();
        assertThat(d.egressTag(1)).isEqualTo(10);
        assertThat(d.isTruncated(1)).isEqualTo(frame.byteSize() > 64);
        d.prepareMirrorCopy(1);
        byte[] out = new byte[d.egressLength(1)];
        d.writeEgress(1, MemorySegment.ofArray(out), 0);
        assertThat(out.length).isLessThanOrEqualTo(64);
        assertThat(out).isEqualTo(Arrays.copyOf(frame.toArray(ValueLayout.JAVA_BYTE), out.length));
    }

    @Test
    void erspan_and_span_sessions_copy_one_frame_side_by_side() {
        sw.addVnicPort("analyzer", "plain", 0x020000000009L);
        sw.addMirror(MirrorSession.span("s", List.of("vm1"), List.of(), MirrorDirection.INGRESS, "analyzer"));
        Mirror e = sw.addMirror(erspan("e", MirrorDirection.INGRESS, 1, "vm1"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(d.egressCount()).isEqualTo(3);
        assertThat(sw.port(d.egressPort(1)).name()).isEqualTo("analyzer");
        assertThat(d.remoteMirror(2)).isEqualTo(e.remoteSlot());
    }

    @Test
    void a_session_id_is_one_sessions_to_one_collector() {
        sw.addMirror(erspan("e1", MirrorDirection.BOTH, 1, "vm1"));
        assertThatThrownBy(() -> sw.addMirror(erspan("e2", MirrorDirection.BOTH, 1, "vm2")))
            .hasMessageContaining("session ID 1 to 198.51.100.2 is already used by session 'e1'");
        sw.addMirror(erspan("e2", MirrorDirection.BOTH, 2, "vm2"));
    }

    @Test
    void slots_are_given_back_and_there_are_as_many_as_the_switch_takes() {
        for (int i = 0; i < Switch.MAX_REMOTE_MIRRORS; i++) {
            sw.addMirror(erspan("e" + i, MirrorDirection.INGRESS, i + 1, "vm1"));
        }
        assertThatThrownBy(() -> sw.addMirror(erspan("one-more", MirrorDirection.INGRESS, 999, "vm1")))
            .hasMessageContaining("the most it takes");
        int slot = sw.mirror("e5").remoteSlot();
        sw.removeMirror("e5");
        assertThat(sw.remoteMirror(slot)).isNull();
        assertThat(sw.addMirror(erspan("again", MirrorDirection.INGRESS, 999, "vm1")).remoteSlot()).isEqualTo(slot);
        forward("vm1", untagged(VM2, VM1));
        assertThat(d.egressCount()).as("a forwarded copy and one per session: the decision has room")
            .isEqualTo(1 + Switch.MAX_REMOTE_MIRRORS);
    }

    @Test
    void the_switchs_own_erspan_packets_are_never_copied_again() {
        Mirror m = sw.addMirror(erspan("e1", MirrorDirection.BOTH, 1, "vm1"));
        forward("vm1", greFrame(VM2, VM1, "198.51.100.2", Erspan.GRE_PROTOCOL_TYPE_II));
        assertThat(d.egressCount()).as("forwarded, not copied").isEqualTo(1);
        assertThat(m.counters().get(MirrorCounter.ERSPAN_LOOP)).isEqualTo(1);
        assertThat(m.counters().get(MirrorCounter.FRAMES)).isZero();

        forward("vm1", greFrame(VM2, VM1, "198.51.100.3", Erspan.GRE_PROTOCOL_TYPE_II));
        assertThat(d.egressCount()).as("ERSPAN to someone else's collector is traffic like any").isEqualTo(2);
        forward("vm1", greFrame(VM2, VM1, "198.51.100.2", 0x6558));
        assertThat(d.egressCount()).as("other GRE to the collector too").isEqualTo(2);
        assertThat(m.counters().get(MirrorCounter.ERSPAN_LOOP)).isEqualTo(1);
    }

    @Test
    void a_span_session_copies_erspan_packets_it_selects() {
        sw.addVnicPort("analyzer", "plain", 0x020000000009L);
        sw.addMirror(erspan("e1", MirrorDirection.INGRESS, 1, "vm2"));
        Mirror span = sw.addMirror(MirrorSession.span("s", List.of("vm1"), List.of(), MirrorDirection.INGRESS,
            "analyzer"));
        forward("vm1", greFrame(VM2, VM1, "198.51.100.2", Erspan.GRE_PROTOCOL_TYPE_II));
        assertThat(d.egressCount()).isEqualTo(2);
        assertThat(span.counters().get(MirrorCounter.FRAMES)).isEqualTo(1);
    }

    @Test
    void a_trace_names_the_collector() {
        sw.addMirror(erspan("e1", MirrorDirection.BOTH, 1, "vm1"));
        MemorySegment f = untagged(VM2, VM1);
        Trace t = new Trace();
        sw.forward(sw.port("vm1").id(), f, 0, (int) f.byteSize(), now, d, t);
        assertThat(t.render()).contains("mirror copy to erspan type II to 198.51.100.2 session 1 (session e1)")
            .contains("forward to vm2 (untagged), ERSPAN session e1 (untagged)");
    }

    @Test
    void a_session_is_counted_in_the_switch_registry_with_its_erspan_counters_once_a_driver_adds_them() {
        sw.addMirror(erspan("e1", MirrorDirection.BOTH, 1, "vm1"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(sw.counters().read().of(CounterScope.MIRROR, "e1").get(MirrorCounter.FRAMES)).isEqualTo(1);
    }

    @Test
    void destinations_are_checked() {
        assertThatThrownBy(() -> ErspanDestination.typeII(COLLECTOR, 0)).hasMessageContaining("1-1023");
        assertThatThrownBy(() -> ErspanDestination.typeII(COLLECTOR, 1024)).hasMessageContaining("1-1023");
        assertThatThrownBy(() -> ErspanDestination.typeII(ErspanDestination.parseAddress("224.0.0.1", "r"), 1))
            .hasMessageContaining("not a unicast address");
        assertThatThrownBy(() -> new ErspanDestination(COLLECTOR, ErspanDestination.parseAddress("2001:db8::1", "l"),
            1, 2, 0, 0, 0, 0)).hasMessageContaining("different IP versions");
        assertThatThrownBy(() -> new ErspanDestination(COLLECTOR, null, 1, 4, 0, 0, 0, 0))
            .hasMessageContaining("give 2 (type II) or 3 (type III)");
        assertThatThrownBy(() -> new ErspanDestination(COLLECTOR, null, 1, 3, 0, 0, 5, 0))
            .hasMessageContaining("index is a type II field");
        assertThatThrownBy(() -> new ErspanDestination(COLLECTOR, null, 1, 2, 0, 0, 0, 5))
            .hasMessageContaining("hardwareId is a type III field");
        assertThatThrownBy(() -> ErspanDestination.parseAddress("collector.example", "remote"))
            .hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> new MirrorSession("x", List.of("vm1"), List.of(), MirrorDirection.BOTH, "vm2",
            ErspanDestination.typeII(COLLECTOR, 1), 0, 1)).hasMessageContaining("two destinations");
        assertThat(new ErspanDestination(COLLECTOR, ErspanDestination.parseAddress("198.51.100.1", "l"), 5, 3, 10, 32,
            0, 7).describe()).isEqualTo("erspan type III to 198.51.100.2 session 5 (from 198.51.100.1, dscp 10, ttl 32,"
            + " hardware ID 7)");
    }

    private void forward(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now++, d);
    }

    /** An untagged IPv4 GRE packet to {@code dst} with GRE protocol type {@code protocol} (ERSPAN: 0x88BE). */
    private static MemorySegment greFrame(long dstMac, long srcMac, String dst, int protocol) {
        MemorySegment s = MemorySegment.ofArray(new byte[14 + 20 + 16 + 60]);
        Ethernet.dst(s, 0, dstMac);
        Ethernet.src(s, 0, srcMac);
        Ethernet.etherType(s, 0, EtherType.IPV4);
        Wire.putU8(s, 14, 0x45);
        Wire.putU16(s, 16, 20 + 16 + 60);
        Wire.putU8(s, 14 + 8, 64);
        Wire.putU8(s, 14 + 9, Erspan.IP_PROTOCOL_GRE);
        s.asSlice(14 + 12, 4).copyFrom(MemorySegment.ofArray(new byte[]{(byte) 198, 51, 100, 1}));
        s.asSlice(14 + 16, 4).copyFrom(MemorySegment.ofArray(ErspanDestination.parseAddress(dst, "dst").getAddress()));
        Wire.putU16(s, 34, Erspan.GRE_FLAG_SEQUENCE);
        Wire.putU16(s, 36, protocol);
        return s;
    }
}
