package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.mirror.MirrorCounter;
import io.vxswitch.forwarding.mirror.MirrorDirection;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Port mirroring (SPAN) in the forwarding plane: which frames a session selects (source ports each way, source VLANs),
 * what its copy is (one per frame and session, tagged with the frame's VLAN, truncated, sampled), that a destination is
 * a mirror-only port and copies never loop, and what is counted.
 *
 * <p>vm1, vm2, vm3 and analyzer are vNICs of port group "plain" (no VLAN: the untagged segment, VLAN 0); t10 is a
 * vNIC trunk (guest tagging) carrying VLANs 10-20 and, as its native VLAN, the untagged segment, with t10b beside it.
 */
class MirrorTest {
    private static final long VM1 = 0x020000000001L;
    private static final long VM2 = 0x020000000002L;
    private static final long VM3 = 0x020000000003L;
    private static final long ANALYZER = 0x020000000009L;
    private static final long T10 = 0x020000000010L;
    private static final long T10B = 0x020000000011L;

    private final Switch sw = new Switch(SwitchOptions.defaults("mirror").withMaxPorts(16));
    private final ForwardingDecision d = sw.newDecision();
    private long now = 1_000_000_000L;

    MirrorTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("plain", VlanPolicy.none()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("trunk", VlanPolicy.trunk(List.of(new VlanRange(10, 20)), 0)));
        sw.addVnicPort("vm1", "plain", VM1);
        sw.addVnicPort("vm2", "plain", VM2);
        sw.addVnicPort("vm3", "plain", VM3);
        sw.addVnicPort("analyzer", "plain", ANALYZER);
        sw.addVnicPort("t10", "trunk", T10);
        sw.addVnicPort("t10b", "trunk", T10B);
    }

    private static MirrorSession span(MirrorDirection direction, String... sources) {
        return MirrorSession.span("s1", List.of(sources), List.of(), direction, "analyzer");
    }

    @Test
    void an_ingress_session_copies_what_its_source_port_sends_and_not_what_it_receives() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2", "analyzer");
        assertThat(d.forwardedCount()).isEqualTo(1);
        assertThat(d.isMirrorCopy(1)).isTrue();
        forward("vm2", untagged(VM1, VM2));
        assertThat(ports()).containsExactly("vm1");
    }

    @Test
    void an_egress_session_copies_what_the_switch_sends_out_of_its_source_port_only() {
        sw.addMirror(span(MirrorDirection.EGRESS, "vm1"));
        forward("vm2", untagged(VM1, VM2));
        assertThat(ports()).containsExactly("vm1", "analyzer");
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2");
    }

    @Test
    void a_both_ways_session_copies_each_way_and_a_frame_between_two_sources_once() {
        sw.addMirror(span(MirrorDirection.BOTH, "vm1", "vm2"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2", "analyzer");
        forward("vm3", untagged(VM1, VM3));
        assertThat(ports()).containsExactly("vm1", "analyzer");
        forward("vm3", untagged(BROADCAST, VM3));
        assertThat(ports()).as("a broadcast to both sources, still one copy").containsExactly("vm1", "vm2", "t10", "t10b", "analyzer");
        assertThat(sw.mirror("s1").counters().get(MirrorCounter.FRAMES)).isEqualTo(3);
    }

    @Test
    void a_copy_is_the_frame_as_it_came_in_byte_for_byte() {
        sw.addMirror(span(MirrorDirection.BOTH, "vm1"));
        MemorySegment frame = payloadFrame(VM2, VM1, 300);
        forward("vm1", frame);
        byte[] copy = copy(1);
        assertThat(d.egressTag(1)).isEqualTo(VlanPolicy.UNTAGGED);
        assertThat(copy).isEqualTo(frame.toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void a_vlan_source_copies_every_frame_of_the_vlan_tagged_with_it_from_any_port() {
        sw.addMirror(MirrorSession.span("v10", List.of(), List.of(new VlanRange(10, 10)), MirrorDirection.INGRESS,
            "analyzer"));
        forward("t10", tagged(T10B, T10, 10));
        assertThat(ports()).containsExactly("t10b", "analyzer");
        assertThat(d.egressTag(1)).as("an analyzer tells VLANs apart").isEqualTo(10);
        forward("t10", tagged(T10B, T10, 20));
        assertThat(ports()).containsExactly("t10b");
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).as("VLAN 0, not a source").containsExactly("vm2");
    }

    @Test
    void an_egress_vlan_source_copies_only_frames_the_switch_forwards_in_it() {
        sw.addMirror(MirrorSession.span("v10", List.of(), List.of(new VlanRange(10, 10)), MirrorDirection.EGRESS,
            "analyzer"));
        forward("t10", tagged(0x02aa00000001L, T10, 10));
        assertThat(d.dropped()).as("unknown unicast, no uplink").isTrue();
        assertThat(d.egressCount()).isZero();
        forward("t10", tagged(T10B, T10, 10));
        assertThat(ports()).containsExactly("t10b", "analyzer");
    }

    @Test
    void an_ingress_session_copies_a_frame_the_switch_then_finds_no_port_for() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        forward("vm1", untagged(0x02aa00000001L, VM1));
        assertThat(d.dropped()).isTrue();
        assertThat(d.dropReason()).isEqualTo(DropReason.UNKNOWN_UNICAST);
        assertThat(ports()).containsExactly("analyzer");
        assertThat(d.forwardedCount()).isZero();
        assertThat(sw.port("vm1").counters().get(DropReason.UNKNOWN_UNICAST)).isEqualTo(1);
        assertThat(sw.port("analyzer").counters().get(PortCounter.TX_FRAMES)).isEqualTo(1);
    }

    @Test
    void a_frame_refused_at_the_door_is_not_mirrored() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        forward("vm1", untagged(VM2, VM3)); // forged transmit
        assertThat(d.dropReason()).isEqualTo(DropReason.FORGED_TRANSMIT);
        assertThat(d.egressCount()).isZero();
    }

    @Test
    void the_destination_is_a_mirror_only_port_until_its_session_is_deleted() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        forward("vm2", untagged(BROADCAST, VM2));
        assertThat(ports()).as("no flood to the destination").containsExactly("vm1", "vm3", "t10", "t10b");
        forward("vm2", untagged(ANALYZER, VM2));
        assertThat(d.dropped()).as("nor unicast to its MAC").isTrue();
        forward("analyzer", untagged(VM2, ANALYZER));
        assertThat(d.dropReason()).isEqualTo(DropReason.MIRROR_DESTINATION);
        assertThat(sw.port("analyzer").mirrorDestination()).isTrue();

        sw.removeMirror("s1");
        assertThat(sw.port("analyzer").mirrorDestination()).isFalse();
        forward("analyzer", untagged(VM2, ANALYZER));
        assertThat(ports()).containsExactly("vm2");
        forward("vm2", untagged(BROADCAST, VM2));
        assertThat(ports()).containsExactly("vm1", "vm3", "analyzer", "t10", "t10b");
    }

    @Test
    void a_destination_is_never_a_source_so_copies_cannot_loop() {
        assertThatThrownBy(() -> span(MirrorDirection.BOTH, "vm1", "analyzer"))
            .hasMessageContaining("both a source and the destination");
        sw.addMirror(span(MirrorDirection.BOTH, "vm1"));
        assertThatThrownBy(() -> sw.addMirror(MirrorSession.span("s2", List.of("analyzer"), List.of(),
            MirrorDirection.BOTH, "vm3"))).hasMessageContaining("cannot be a source");
        assertThatThrownBy(() -> sw.addMirror(MirrorSession.span("s3", List.of("vm3"), List.of(),
            MirrorDirection.BOTH, "vm1"))).hasMessageContaining("is a source of session 's1'");
        assertThatThrownBy(() -> sw.addMirror(MirrorSession.span("s4", List.of("vm3"), List.of(),
            MirrorDirection.BOTH, "analyzer"))).hasMessageContaining("already the destination");
        assertThat(sw.mirrors()).hasSize(1);
    }

    @Test
    void a_copy_is_never_mirrored_again_by_a_session_selecting_its_vlan() {
        // s1 sends VLAN 0's frames to the analyzer; s2 selects VLAN 0 too, and its own destination is vm3
        sw.addMirror(span(MirrorDirection.BOTH, "vm1"));
        sw.addMirror(MirrorSession.span("s2", List.of(), List.of(new VlanRange(1, 4094)), MirrorDirection.EGRESS,
            "vm3"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2", "analyzer");
    }

    @Test
    void truncation_cuts_the_copy_and_leaves_the_forwarded_frame_whole() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1").withTruncate(100));
        MemorySegment frame = payloadFrame(VM2, VM1, 300);
        forward("vm1", frame);
        assertThat(d.egressLength(0)).isEqualTo(300);
        assertThat(d.mirrorCopyLength(1)).isEqualTo(100);
        assertThat(d.isTruncated(1)).isTrue();
        assertThat(copy(0)).as("the forwarded copy, written first").hasSize(300);
        byte[] copy = copy(1);
        assertThat(copy).hasSize(100).isEqualTo(frame.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE));
        forward("vm1", untagged(VM2, VM1)); // 60 bytes: shorter than the truncation
        assertThat(d.mirrorCopyLength(1)).isEqualTo(60);
        assertThat(d.isTruncated(1)).isFalse();
        assertThat(copy(1)).hasSize(60);
        Mirror m = sw.mirror("s1");
        assertThat(m.counters().get(MirrorCounter.FRAMES)).isEqualTo(2);
        assertThat(m.counters().get(MirrorCounter.BYTES)).isEqualTo(160);
        assertThat(m.counters().get(MirrorCounter.TRUNCATED)).isEqualTo(1);
        assertThat(sw.port("analyzer").counters().get(PortCounter.TX_BYTES)).isEqualTo(160);
    }

    @Test
    void truncation_of_a_tagged_copy_keeps_the_tag_within_the_limit() {
        sw.addMirror(MirrorSession.span("v10", List.of(), List.of(new VlanRange(10, 10)), MirrorDirection.INGRESS,
            "analyzer").withTruncate(60));
        forward("t10", tagged(T10B, T10, 10));
        assertThat(d.mirrorCopyLength(1)).isEqualTo(60);
        byte[] copy = copy(1);
        assertThat(copy).hasSize(60);
        MemorySegment c = MemorySegment.ofArray(copy);
        assertThat(Ethernet.etherType(c, 0)).isEqualTo(EtherType.VLAN);
    }

    @Test
    void sampling_copies_the_first_frame_and_then_one_in_n() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1").withSample(3));
        List<Integer> copied = new ArrayList<>();
        for (int n = 1; n <= 9; n++) {
            forward("vm1", untagged(VM2, VM1));
            if (d.egressCount() == 2) {
                copied.add(n);
            }
        }
        assertThat(copied).containsExactly(1, 4, 7);
        Mirror m = sw.mirror("s1");
        assertThat(m.counters().get(MirrorCounter.FRAMES)).isEqualTo(3);
        assertThat(m.counters().get(MirrorCounter.SAMPLING)).isEqualTo(6);
        forward("vm2", untagged(VM3, VM2));
        assertThat(m.counters().get(MirrorCounter.SAMPLING)).as("only selected frames count").isEqualTo(6);
    }

    @Test
    void a_destination_that_is_down_gets_nothing_and_the_session_counts_what_it_missed() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        sw.setPortUp("analyzer", false);
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2");
        assertThat(sw.mirror("s1").counters().get(MirrorCounter.DESTINATION_DOWN)).isEqualTo(1);
        sw.setPortUp("analyzer", true);
        forward("vm1", untagged(VM2, VM1));
        assertThat(ports()).containsExactly("vm2", "analyzer");
    }

    @Test
    void a_session_waits_for_its_ports_and_a_source_added_later_joins() {
        Mirror m = sw.addMirror(MirrorSession.span("late", List.of("vm9"), List.of(), MirrorDirection.INGRESS,
            "tap9"));
        assertThat(m.active()).isFalse();
        assertThat(m.status()).contains("waiting for destination port 'tap9'");
        sw.addVnicPort("tap9", "plain", 0x020000000099L);
        assertThat(m.active()).isTrue();
        sw.addVnicPort("vm9", "plain", 0x020000000098L);
        forward("vm9", untagged(VM2, 0x020000000098L));
        assertThat(ports()).containsExactly("vm2", "tap9");
        sw.removePort("tap9");
        assertThat(m.active()).isFalse();
        forward("vm9", untagged(VM2, 0x020000000098L));
        assertThat(ports()).containsExactly("vm2");
    }

    @Test
    void a_session_is_counted_in_the_switch_registry_until_deleted() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        forward("vm1", untagged(VM2, VM1));
        assertThat(sw.counters().read().all(CounterScope.MIRROR))
            .singleElement().satisfies(v -> {
                assertThat(v.instance().name()).isEqualTo("s1");
                assertThat(v.get(MirrorCounter.FRAMES)).isEqualTo(1);
            });
        sw.removeMirror("s1");
        assertThat(sw.counters().read().all(CounterScope.MIRROR)).isEmpty();
    }

    @Test
    void a_probe_adds_no_mirror_copy_and_counts_nothing() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1"));
        MemorySegment f = untagged(VM2, VM1);
        sw.forward(sw.port("vm1").id(), f, 0, (int) f.byteSize(), now, d, io.vxswitch.forwarding.trace.Trace.probe());
        assertThat(ports()).containsExactly("vm2");
        assertThat(sw.mirror("s1").counters().get(MirrorCounter.FRAMES)).isZero();
    }

    private void forward(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), now++, d);
    }

    private List<String> ports() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < d.egressCount(); i++) {
            names.add(sw.port(d.egressPort(i)).name());
        }
        return names;
    }

    @Test
    void two_sessions_cut_one_frame_each_to_its_own_length_and_the_whole_copy_comes_back_whole() {
        sw.addMirror(span(MirrorDirection.INGRESS, "vm1").withTruncate(100));
        sw.addMirror(MirrorSession.span("s2", List.of("vm1"), List.of(), MirrorDirection.INGRESS, "vm3"));
        sw.addMirror(MirrorSession.span("s3", List.of(), List.of(new VlanRange(1, 4094)), MirrorDirection.INGRESS,
            "t10b").withTruncate(64));
        MemorySegment frame = payloadFrame(VM2, VM1, 300);
        forward("vm1", frame);
        assertThat(ports()).containsExactly("vm2", "analyzer", "vm3");
        byte[] whole = frame.toArray(ValueLayout.JAVA_BYTE);
        assertThat(copy(0)).isEqualTo(whole);
        assertThat(copy(1)).isEqualTo(Arrays.copyOf(whole, 100));
        assertThat(copy(2)).as("after a cut copy, a whole one").isEqualTo(whole);
        assertThat(copy(1)).isEqualTo(Arrays.copyOf(whole, 100));
    }

    /** Copy {@code i} as a driver writes it: a mirror copy prepared first (after the forwarded copies). */
    private byte[] copy(int i) {
        if (d.isMirrorCopy(i)) {
            d.prepareMirrorCopy(i);
        }
        byte[] out = new byte[d.egressLength(i)];
        assertThat(d.writeEgress(i, MemorySegment.ofArray(out), 0)).isEqualTo(out.length);
        return out;
    }

    /** An untagged IPv4 frame of {@code length} bytes whose payload counts up, so a cut shows where it was made. */
    private static MemorySegment payloadFrame(long dst, long src, int length) {
        MemorySegment s = MemorySegment.ofArray(new byte[length]);
        Ethernet.dst(s, 0, dst);
        Ethernet.src(s, 0, src);
        Ethernet.etherType(s, 0, EtherType.IPV4);
        for (int i = Ethernet.HEADER_LENGTH; i < length; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) i);
        }
        return s;
    }
}
