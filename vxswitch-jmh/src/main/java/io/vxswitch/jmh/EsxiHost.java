package io.vxswitch.jmh;

import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.MemorySegment;

/**
 * The host switch the forwarding benchmarks drive, shaped like the seed's ESXi host (see the forwarding tests'
 * SwitchFixture), with more vNICs so a broadcast has a realistic flood list.
 *
 * <p>Port ids: uplink1=0, uplink2=1, vm1..vm7=2..8 (port group vlan119, access VLAN 119), nested=9 (VLAN 119,
 * MAC learning on, forged transmits accept: a nested hypervisor with VMs behind it), vm120=10 (VLAN 120).
 * So VLAN 119 has eight vNICs; vm1 is pinned to uplink1. Optionally {@code idle} more vNICs idle1, idle2, ...
 * (ids 11 on) in VLAN 120: they take no part in any frame measured, so any cost they add is a per-port scan.
 */
final class EsxiHost {
    static final int VNICS_IN_VLAN_119 = 8;
    static final long OUTSIDE = 0x00aabb000010L;
    /** A VM behind the nested hypervisor: learned on port "nested". */
    static final long BEHIND_NESTED = 0x525400000003L;
    /** Known to nobody: unknown unicast. */
    static final long NOWHERE = 0x02aa00000001L;
    /** One time for every frame: forward() reads it only to stamp learned entries, and nothing expires here. */
    static final long NOW = 1_000_000_000L;

    final Switch sw;

    EsxiHost(int idle) {
        sw = new Switch(SwitchOptions.defaults("esxi").withMaxPorts(16 + idle));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addUplink("uplink1", "uplinks");
        sw.addUplink("uplink2", "uplinks");
        for (int i = 1; i < VNICS_IN_VLAN_119; i++) {
            sw.addVnicPort("vm" + i, "vlan119", vm(i));
        }
        sw.addVnicPort("nested", "nested", 0x005056000009L);
        sw.addVnicPort("vm120", "vlan120", 0x005056000120L);
        for (int i = 1; i <= idle; i++) {
            sw.addVnicPort("idle" + i, "vlan120", 0x005056100000L + i);
        }
        learnBehindNested();
    }

    /** The configured MAC of vNIC vm{@code i}. */
    static long vm(int i) {
        return 0x005056000000L + i;
    }

    int port(String name) {
        return sw.port(name).id();
    }

    /** A frame from BEHIND_NESTED makes the switch learn it on port "nested" in VLAN 119. */
    private void learnBehindNested() {
        MemorySegment frame = MemorySegment.ofArray(new byte[Ethernet60.LENGTH]);
        int length = Ethernet60.untagged(frame, vm(1), BEHIND_NESTED);
        ForwardingDecision d = sw.newDecision();
        sw.forward(port("nested"), frame, 0, length, NOW, d);
        if (sw.fdb().portOf(119, BEHIND_NESTED) != port("nested")) {
            throw new IllegalStateException("setup: " + MacAddress.format(BEHIND_NESTED)
                + " was not learned on port nested (" + (d.dropped() ? d.dropReason() : "forwarded") + ")");
        }
    }

    /** Minimum-size frames: 60 bytes untagged (64 on the wire with FCS), 64 bytes with an 802.1Q tag. */
    static final class Ethernet60 {
        static final int LENGTH = 60;
        static final int TAGGED_LENGTH = LENGTH + Dot1q.LENGTH;

        private Ethernet60() {
        }

        static int untagged(MemorySegment s, long dst, long src) {
            s.asSlice(0, LENGTH).fill((byte) 0);
            FrameBuilder.ethernet(s, 0, dst, src, EtherType.IPV4);
            return LENGTH;
        }

        static int tagged(MemorySegment s, long dst, long src, int vid) {
            untagged(s, dst, src);
            return FrameBuilder.pushVlanTag(s, 0, LENGTH, Dot1q.tci(0, false, vid));
        }
    }
}
