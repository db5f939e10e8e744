package io.vxswitch.vxlan;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Underlay packets into a VTEP, outer headers included, as a packet socket or the lab hands them over (whole frames:
 * Ethernet, an optional 802.1Q tag, IPv4 or IPv6, UDP, VXLAN) or as a UDP socket does (the payload and the sender's
 * address). Each one ends in the switch or as a drop with a named {@link VxlanDrop}; nothing else escapes. Counted as
 * readers count: every packet is decapsulated into the switch or dropped, once, and each one decapsulated is one
 * frame received on the tunnel port; no copy goes from the tunnel back into it (split horizon).
 *
 * <p>Input: an {@link UnderlayScript}. {@code UnderlayAllocationTest} replays the committed corpus counting the bytes
 * the receive path allocates.
 */
class DecapsulationFuzzTest {
    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::underlay_packets_reach_the_switch_or_are_dropped_by_a_named_reason);
    }

    @FuzzTest
    void underlay_packets_reach_the_switch_or_are_dropped_by_a_named_reason(byte[] bytes) {
        UnderlayScript script = UnderlayScript.decode(bytes);
        Switch sw = hostSwitch();
        VniMap vnis = VniMap.of(119, 119, 120, 120);
        RemoteVteps remotes = new RemoteVteps(UnderlayScript.VTEP_IDS);
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(sw, "vx", vnis, remotes, new FloodList(remotes),
            new VxlanDecapsulator(vnis, script.options(), counters), counters);
        remotes.serve(sw);
        TunnelIngress ingress = new TunnelIngress(vtep, sw.lane(0));
        ForwardingDecision d = sw.newDecision();
        int tunnel = vtep.tunnelPort();

        int packets = 0;
        for (UnderlayScript.Packet p : script.packets()) {
            packets++;
            VxlanDrop result = p.receive(ingress, packets, d);
            assertThat(result).isNotNull();
            if (result == VxlanDrop.NONE && p.whole()) {
                DecapResult inner = vtep.decapsulated();
                assertThat(inner.innerOffset()).isBetween(0L, p.bytes().byteSize() - Ethernet.HEADER_LENGTH);
                assertThat(inner.innerOffset() + inner.innerLength()).isLessThanOrEqualTo(p.bytes().byteSize());
            }
            if (result == VxlanDrop.NONE) {
                assertThat(d.dropped()).as("decided").isNotEqualTo(d.egressCount() > 0);
                for (int i = 0; i < d.egressCount(); i++) {
                    assertThat(d.egressPort(i)).as("split horizon: no copy back into the tunnel").isNotEqualTo(tunnel);
                }
            }
        }
        assertEveryPacketCountedOnce(sw, packets);
    }

    private static void assertEveryPacketCountedOnce(Switch sw, int packets) {
        CounterValues t = sw.counters().read().of(CounterScope.TUNNEL, "vx");
        long decapsulated = t.get(TunnelCounter.DECAPSULATED);
        long dropped = 0;
        for (VxlanDrop r : VxlanDrop.values()) {
            if (r != VxlanDrop.NONE) {
                dropped += t.get(r);
            }
        }
        assertThat(decapsulated + dropped).as("packets decapsulated %d + dropped %d", decapsulated, dropped)
            .isEqualTo(packets);
        long intoSwitch = sw.port("vx").counters().get(PortCounter.RX_FRAMES);
        assertThat(intoSwitch).as("frames the tunnel port received").isEqualTo(decapsulated);
    }

    /** vm1 (VLAN 119), vm2 (120), a learning port in 119, and tunnel port vx carrying both. */
    static Switch hostSwitch() {
        Switch sw = new Switch(SwitchOptions.defaults("h").withMaxPorts(8).withFdbCapacity(64));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan120", VlanPolicy.access(120)));
        sw.addPortGroup(new PortGroupPolicy("learning", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED.withLimit(4,
            MacLearningPolicy.LimitPolicy.DROP)));
        sw.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(List.of(new VlanRange(119, 120)), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED.withLimit(8, MacLearningPolicy.LimitPolicy.DROP)));
        sw.addVnicPort("vm1", "vlan119", MacAddress.parseBits("00:50:56:00:00:01"));
        sw.addVnicPort("vm2", "vlan120", MacAddress.parseBits("00:50:56:00:00:02"));
        sw.addVnicPort("nested", "learning", MacAddress.parseBits("00:50:56:00:00:03"));
        sw.addTunnelPort("vx", "tunnel");
        return sw;
    }

}
