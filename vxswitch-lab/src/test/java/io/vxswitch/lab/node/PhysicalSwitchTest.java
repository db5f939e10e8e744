package io.vxswitch.lab.node;

import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.lab.engine.FrameRecorder;
import io.vxswitch.lab.engine.Link;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PhysicalSwitchTest {
    static final long A = MacAddress.parseBits("00:00:00:00:00:0a");
    static final long B = MacAddress.parseBits("00:00:00:00:00:0b");
    static final long C = MacAddress.parseBits("00:00:00:00:00:0c");
    static final long AGING = 300_000_000_000L;

    final Simulator sim = new Simulator();

    private FrameRecorder plug(PhysicalSwitch sw, String port) {
        Link link = new Link(sim, sw.name() + ":" + port, port + "-peer", 1_000);
        sw.plugInto(port, link.a());
        return new FrameRecorder(sim, link.b());
    }

    private PhysicalSwitch accessSwitch() {
        PhysicalSwitch sw = new PhysicalSwitch(sim, "sw", true, AGING);
        for (String p : List.of("p1", "p2", "p3")) {
            sw.addPort(p, VlanPolicy.access(1));
        }
        return sw;
    }

    @Test
    void a_frame_from_an_unknown_mac_is_learned_on_its_port_and_unknown_unicast_floods() {
        PhysicalSwitch sw = accessSwitch();
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        FrameRecorder p3 = plug(sw, "p3");

        p1.send(frame(A, B));
        sim.run();

        assertThat(sw.portOf(1, A)).isEqualTo("p1");
        assertThat(p1.frames()).isEmpty();
        assertThat(p2.frames()).hasSize(1);
        assertThat(p3.frames()).hasSize(1);
        assertThat(sw.stats("p1").flooded()).isEqualTo(1);
    }

    @Test
    void known_unicast_goes_to_the_learned_port_only() {
        PhysicalSwitch sw = accessSwitch();
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        FrameRecorder p3 = plug(sw, "p3");
        p2.send(frame(B, A));
        sim.run();
        p1.clear();
        p3.clear();

        p1.send(frame(A, B));
        sim.run();

        assertThat(p2.frames()).hasSize(1);
        assertThat(p3.frames()).isEmpty();
        assertThat(sw.macTable()).extracting(MacTableRow::port).containsExactly("p2", "p1");
    }

    @Test
    void a_frame_for_a_mac_on_the_ingress_port_is_filtered() {
        PhysicalSwitch sw = accessSwitch();
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        p1.send(frame(B, C));
        sim.run();
        p2.clear();

        p1.send(frame(A, B));
        sim.run();

        assertThat(p2.frames()).isEmpty();
        assertThat(sw.stats("p1").filtered()).isEqualTo(1);
    }

    @Test
    void broadcast_floods_to_every_other_port_even_when_the_source_is_known() {
        PhysicalSwitch sw = accessSwitch();
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        FrameRecorder p3 = plug(sw, "p3");

        p1.send(frame(A, MacAddress.BROADCAST));
        p1.send(frame(A, MacAddress.BROADCAST));
        sim.run();

        assertThat(p1.frames()).isEmpty();
        assertThat(p2.frames()).hasSize(2);
        assertThat(p3.frames()).hasSize(2);
    }

    @Test
    void a_mac_moves_to_the_port_it_was_last_seen_on() {
        PhysicalSwitch sw = accessSwitch();
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        plug(sw, "p3");

        p1.send(frame(A, MacAddress.BROADCAST));
        sim.run();
        p2.send(frame(A, MacAddress.BROADCAST));
        sim.run();

        assertThat(sw.portOf(1, A)).isEqualTo("p2");
    }

    @Test
    void learned_macs_age_out_and_the_switch_floods_again() {
        PhysicalSwitch sw = new PhysicalSwitch(sim, "sw", true, 10_000_000_000L);
        sw.addPort("p1", VlanPolicy.access(1));
        sw.addPort("p2", VlanPolicy.access(1));
        sw.addPort("p3", VlanPolicy.access(1));
        FrameRecorder p1 = plug(sw, "p1");
        FrameRecorder p2 = plug(sw, "p2");
        FrameRecorder p3 = plug(sw, "p3");
        p2.send(frame(B, MacAddress.BROADCAST));
        sim.run();
        p3.clear();

        sim.runTo(sim.now() + 10_000_000_001L);
        p1.send(frame(A, B));
        sim.run();

        assertThat(sw.portOf(1, B)).isNull();
        assertThat(p3.frames()).as("flooded: B aged out").hasSize(1);
        assertThat(p2.frames()).hasSize(1);
    }

    @Test
    void an_access_port_untags_and_a_trunk_port_tags_the_vlan() {
        PhysicalSwitch nexus = new PhysicalSwitch(sim, "nexus5k", true, AGING);
        nexus.addPort("eth1/1", VlanPolicy.trunk(List.of(new VlanRange(1, 4094)), 1));
        nexus.addPort("eth1/10", VlanPolicy.access(119));
        nexus.addPort("eth1/20", VlanPolicy.access(20));
        FrameRecorder trunk = plug(nexus, "eth1/1");
        FrameRecorder workstation = plug(nexus, "eth1/10");
        FrameRecorder otherVlan = plug(nexus, "eth1/20");

        workstation.send(frame(A, MacAddress.BROADCAST));
        sim.run();

        assertThat(trunk.frames()).hasSize(1);
        MemorySegment tagged = MemorySegment.ofArray(trunk.frames().getFirst());
        assertThat(Ethernet.etherType(tagged, 0)).isEqualTo(EtherType.VLAN);
        assertThat(Dot1q.vid(Dot1q.tci(tagged, Ethernet.TYPE_OFFSET))).isEqualTo(119);
        assertThat(otherVlan.frames()).as("VLAN 20 does not carry VLAN 119").isEmpty();

        trunk.send(trunk.frames().getFirst().clone());
        trunk.clear();
        sim.run();
        assertThat(workstation.frames()).hasSize(1);
        assertThat(Ethernet.etherType(MemorySegment.ofArray(workstation.frames().getFirst()), 0))
            .isEqualTo(EtherType.ARP);
    }

    @Test
    void a_transparent_bridge_passes_tagged_frames_as_they_are() {
        PhysicalSwitch br = new PhysicalSwitch(sim, "br0", false, AGING);
        br.addPort("eth0", VlanPolicy.access(1));
        br.addPort("vnet0", VlanPolicy.access(1));
        FrameRecorder eth0 = plug(br, "eth0");
        FrameRecorder vnet0 = plug(br, "vnet0");
        byte[] untagged = frame(A, B);
        byte[] tagged = new byte[untagged.length + Dot1q.LENGTH];
        FrameBuilder.pushVlanTag(MemorySegment.ofArray(untagged), 0, untagged.length, MemorySegment.ofArray(tagged),
            0, Dot1q.tci(0, false, 300));

        eth0.send(tagged);
        sim.run();

        assertThat(vnet0.frames()).hasSize(1);
        assertThat(vnet0.frames().getFirst()).isEqualTo(tagged);
    }

    /** An ARP-typed frame from {@code src} to {@code dst}; its payload does not matter to a bridge. */
    static byte[] frame(long src, long dst) {
        byte[] f = new byte[42];
        FrameBuilder.arpRequest(MemorySegment.ofArray(f), 0, src, 0x0A000001, 0x0A000002);
        Ethernet.dst(MemorySegment.ofArray(f), 0, dst);
        return f;
    }
}
