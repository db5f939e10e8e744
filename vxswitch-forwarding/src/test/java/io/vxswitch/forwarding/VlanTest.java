package io.vxswitch.forwarding;

import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Malformation;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static io.vxswitch.forwarding.TestFrames.BROADCAST;
import static io.vxswitch.forwarding.TestFrames.tagged;
import static io.vxswitch.forwarding.TestFrames.untagged;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VlanTest {
    static final long A = 0x0050560000a1L;
    static final long B = 0x0050560000b1L;
    static final long G = 0x0050560000c1L;

    private final Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8));
    private final ForwardingDecision d = sw.newDecision();

    VlanTest() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunk(VlanRange.parseList("1-4094"), 5)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("v10", VlanPolicy.access(10)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("v5", VlanPolicy.access(5)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("guest", VlanPolicy.trunk(VlanRange.parseList("10,20-29"), 0)));
        sw.addUplink("up", "uplinks");
        sw.addVnicPort("a", "v10", A);
        sw.addVnicPort("b", "v5", B);
        sw.addVnicPort("g", "guest", G);
    }

    private void send(String port, MemorySegment frame) {
        sw.forward(sw.port(port).id(), frame, 0, (int) frame.byteSize(), 0, d);
    }

    @Test
    void an_access_port_tags_on_the_uplink_and_untags_back() {
        send("a", untagged(0x1234L, A));
        assertThat(d.egressTag(0)).isEqualTo(10);
        MemorySegment out = MemorySegment.ofArray(new byte[100]);
        int len = d.writeEgress(0, out, 0);
        FrameMeta m = new FrameMeta();
        assertThat(FrameParser.parse(out, 0, len, m)).isEqualTo(Malformation.NONE);
        assertThat(m.vid()).isEqualTo(10);
        assertThat(m.src()).isEqualTo(A);
        assertThat(len).isEqualTo(64);

        send("up", tagged(A, 0x1234L, 10));
        assertThat(d.egressTag(0)).isEqualTo(-1);
        len = d.writeEgress(0, out, 0);
        FrameParser.parse(out, 0, len, m);
        assertThat(m.tagged()).isFalse();
        assertThat(len).isEqualTo(60);
    }

    @Test
    void a_guest_tagged_frame_on_an_access_port_is_dropped() {
        send("a", tagged(0x1234L, A, 10));
        assertThat(d.dropReason()).isEqualTo(DropReason.VLAN_NOT_ALLOWED);
    }

    @Test
    void the_uplinks_native_vlan_travels_untagged() {
        send("b", untagged(0x1234L, B));
        assertThat(d.egressTag(0)).isEqualTo(-1);
        send("up", untagged(BROADCAST, 0x1234L));
        assertThat(d.vlan()).isEqualTo(5);
    }

    @Test
    void guest_tagging_keeps_the_tag_and_pcp_and_refuses_vlans_outside_the_ranges() {
        send("g", tagged(0x1234L, G, 25));
        assertThat(d.vlan()).isEqualTo(25);
        assertThat(d.egressTag(0)).isEqualTo(25);
        MemorySegment out = MemorySegment.ofArray(new byte[100]);
        int len = d.writeEgress(0, out, 0);
        assertThat(Dot1q.pcp(Dot1q.tci(out, Ethernet.TYPE_OFFSET))).isEqualTo(3);
        assertThat(len).isEqualTo(64);
        send("g", tagged(0x1234L, G, 30));
        assertThat(d.dropReason()).isEqualTo(DropReason.VLAN_NOT_ALLOWED);
        send("up", tagged(G, 0x1234L, 10));
        assertThat(sw.port(d.egressPort(0)).name()).isEqualTo("g");
        assertThat(d.egressTag(0)).isEqualTo(10);
    }

    @Test
    void a_truncated_frame_is_counted_as_malformed_with_its_reason() {
        MemorySegment runt = MemorySegment.ofArray(new byte[10]);
        send("a", runt);
        assertThat(d.dropReason()).isEqualTo(DropReason.MALFORMED);
        assertThat(sw.port("a").counters().get(MalformedCounter.of(Malformation.RUNT))).isEqualTo(1);
        MemorySegment cut = tagged(0x1234L, G, 25).asSlice(0, 15);
        send("g", cut);
        assertThat(sw.port("g").counters().get(MalformedCounter.of(Malformation.TRUNCATED_VLAN_TAG))).isEqualTo(1);
    }

    @Test
    void vlan_ranges_parse_and_reject_nonsense() {
        assertThat(VlanRange.format(VlanRange.parseList("1-10, 20"))).isEqualTo("1-10,20");
        assertThat(VlanPolicy.trunk(VlanRange.parseList("100-199,300"), 0).toString()).isEqualTo("trunk 100-199,300");
        assertThatThrownBy(() -> VlanRange.parseList("5-x")).hasMessageContaining("not a VLAN range: '5-x'");
        assertThatThrownBy(() -> VlanRange.parseList("0-4095")).hasMessageContaining("1-4094");
        assertThatThrownBy(() -> VlanPolicy.access(4095)).hasMessageContaining("1-4094");
        assertThat(VlanPolicy.trunk(List.of(new VlanRange(7, 7)), 0).carries(7)).isTrue();
    }
}
