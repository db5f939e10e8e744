package io.vxswitch.forwarding.fuzz;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.MalformedCounter;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Malformation;

import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold after every frame a {@link FuzzSwitch} decides, whatever the frame:
 * <ul>
 * <li>it is forwarded (one copy or more) or dropped with a named reason, never both, never neither;</li>
 * <li>no copy goes back out its ingress port (except the ARP reply that ARP suppression makes of a request, which is
 *     for the asker), none from an uplink to an uplink, none from the tunnel to the tunnel, none to a port that is
 *     down, and no port gets two;</li>
 * <li>each copy is written at the length the decision says, tagged as it says;</li>
 * <li>the FDB holds no more than its capacity, and no port more learned MACs than its port group's limit.</li>
 * </ul>
 * And, read from the switch's counter registry as the API and Prometheus read it, after the whole script: every frame
 * received is counted once, as forwarded or as dropped under the reason the decision gave; every copy as sent.
 */
final class PipelineInvariants {
    private final FuzzSwitch f;
    private final FrameMeta copy = new FrameMeta();
    private final boolean[] seen;
    private long received;
    private long forwarded;
    private long copies;
    private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);

    PipelineInvariants(FuzzSwitch f) {
        this.f = f;
        this.seen = new boolean[f.sw.options().maxPorts()];
    }

    void afterFrame(FrameScript.Step step) {
        ForwardingDecision d = f.decision;
        int in = f.ingressId(step);
        Port ingress = f.sw.port(in);
        received++;
        if (d.dropped() == (d.egressCount() > 0)) {
            throw violation(d.dropped() ? "a dropped frame has copies" : "a frame neither forwarded nor dropped");
        }
        if (d.dropped()) {
            dropped.merge(d.dropReason(), 1L, Long::sum);
        } else {
            forwarded++;
            copies += d.egressCount();
        }
        java.util.Arrays.fill(seen, false);
        for (int i = 0; i < d.egressCount(); i++) {
            int q = d.egressPort(i);
            Port out = f.sw.port(q);
            if (out == null) {
                throw violation("a copy to port id " + q + ", which does not exist");
            }
            if (seen[q]) {
                throw violation("two copies to " + out.name());
            }
            seen[q] = true;
            if (!out.up()) {
                throw violation("a copy to " + out.name() + ", which is down");
            }
            if (q == in && !isArpSuppressionReply(d)) {
                throw violation("a copy back out its ingress port " + ingress.name());
            }
            if (ingress.isUplink() && out.isUplink()) {
                throw violation("uplink " + ingress.name() + " to uplink " + out.name());
            }
            if (ingress.isTunnel() && out.isTunnel()) {
                throw violation("tunnel to tunnel");
            }
            checkCopy(d, i);
        }
        checkFdbWithinLimits();
    }

    /** ARP suppression answers a vNIC's request by turning it into the reply in place and sending it back: one copy. */
    private static boolean isArpSuppressionReply(ForwardingDecision d) {
        FrameMeta m = d.frame();
        return d.egressCount() == 1 && m.etherType() == EtherType.ARP && m.payloadLength() >= Arp.LENGTH
            && Arp.oper(m.segment(), m.payloadPosition()) == Arp.REPLY;
    }

    private void checkCopy(ForwardingDecision d, int i) {
        int length = d.writeEgress(i, f.out, 0);
        if (length != d.egressLength(i)) {
            throw violation("copy " + i + " written at " + length + " bytes, decided " + d.egressLength(i));
        }
        int tag = d.egressTag(i);
        if (tag != VlanPolicy.UNTAGGED && (tag < 0 || tag > 4094
            || FrameParser.parse(f.out, 0, length, copy) != Malformation.NONE || copy.vid() != tag)) {
            throw violation("copy " + i + " does not leave with VLAN tag " + tag);
        }
    }

    private void checkFdbWithinLimits() {
        var fdb = f.sw.fdb();
        if (fdb.size() > FuzzSwitch.FDB_CAPACITY) {
            throw violation("the FDB holds " + fdb.size() + " entries, capacity " + FuzzSwitch.FDB_CAPACITY);
        }
        for (int p = 0; p < FuzzSwitch.PORTS; p++) {
            int learned = fdb.learnedOn(f.ids[p]);
            int limit = switch (p) {
                case FuzzSwitch.NESTED -> FuzzSwitch.LEARNING_LIMIT;
                case FuzzSwitch.NESTED2 -> FuzzSwitch.ALLOW_LIMIT;
                case FuzzSwitch.TUNNEL -> FuzzSwitch.TUNNEL_LIMIT;
                default -> 0; // its port group does not learn
            };
            if (learned > limit) {
                throw violation(learned + " MACs learned on " + f.sw.port(f.ids[p]).name() + ", limit " + limit);
            }
        }
    }

    /** Plain checks on the per-frame path, messages built only on failure: an assertion library would slow fuzzing. */
    private static AssertionError violation(String what) {
        return new AssertionError(what);
    }

    /** The registry agrees with the decisions: received = forwarded + dropped by reason; copies = frames sent. */
    void afterScript() {
        long rx = 0;
        long tx = 0;
        long malformedKinds = 0;
        Map<DropReason, Long> counted = new EnumMap<>(DropReason.class);
        for (CounterValues port : f.sw.counters().read().all(CounterScope.PORT)) {
            rx += port.get(PortCounter.RX_FRAMES);
            tx += port.get(PortCounter.TX_FRAMES);
            for (DropReason r : DropReason.values()) {
                counted.merge(r, port.get(r), Long::sum);
            }
            for (MalformedCounter m : MalformedCounter.ALL) {
                malformedKinds += port.get(m);
            }
            assertThat(port.total(CounterKind.DROP)).isGreaterThanOrEqualTo(0);
        }
        long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
        assertThat(forwarded + droppedTotal).isEqualTo(received);
        assertThat(rx).as("frames received, counted").isEqualTo(received);
        assertThat(tx).as("copies sent, counted").isEqualTo(copies);
        for (DropReason r : DropReason.values()) {
            long decided = dropped.getOrDefault(r, 0L);
            if (r == DropReason.MAC_CHANGED) {
                // also counts each copy withheld from a vNIC whose MAC changed, on that vNIC (docs/forwarding-model.md)
                assertThat(counted.get(r)).as(r.counterName()).isGreaterThanOrEqualTo(decided);
            } else {
                assertThat(counted.get(r)).as(r.counterName()).isEqualTo(decided);
            }
        }
        assertThat(malformedKinds).as("malformed frames by kind").isEqualTo(counted.get(DropReason.MALFORMED));
    }
}
