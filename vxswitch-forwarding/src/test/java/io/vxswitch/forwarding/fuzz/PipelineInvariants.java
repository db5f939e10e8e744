package io.vxswitch.forwarding.fuzz;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.MalformedCounter;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortCounter;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.mirror.MirrorCounter;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;
import java.util.EnumMap;
import java.util.Map;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What must hold after every frame a {@link FuzzSwitch} decides, whatever the frame:
 * <ul>
 * <li>it is forwarded (one copy or more) or dropped with a named reason, never both, never neither; a dropped frame
 *     may still have mirror copies;</li>
 * <li>mirror copies go to the mirror session's destination only, which never gets a forwarded copy, tagged with the
 *     frame's VLAN and no longer than the session's truncation;</li>
 * <li>no copy goes back out its ingress port (except the ARP reply that ARP suppression makes of a request, which is
 *     for the asker), none from an uplink to an uplink, none from the tunnel to the tunnel, none to a port that is
 *     down, and no port gets two;</li>
 * <li>each copy is written at the length the decision says, tagged as it says;</li>
 * <li>the FDB holds no more than its capacity, and no port more learned MACs than its port group's limit.</li>
 * </ul>
 * And, read from the switch's counter registry as the API and Prometheus read it, after the whole script: every frame
 * received is counted once, as forwarded or as dropped under the reason the decision gave; every copy as sent. What
 * the script added is checked: the switch is reused, and its counters only ever count up. One set of invariants
 * serves every script of its switch ({@link #startScript}); the registry is read once a script, at its end, which is
 * also where the next script starts counting.
 */
final class PipelineInvariants {
    private static final int[] LEARNING_PORTS = {FuzzSwitch.NESTED, FuzzSwitch.NESTED2, FuzzSwitch.TUNNEL};

    private final FuzzSwitch f;
    private final FrameMeta copy = new FrameMeta();
    private final boolean[] seen;
    private long received;
    private long forwarded;
    private long copies;
    /** ERSPAN copies: counted by their session, not by a port. */
    private long remoteCopies;
    private long remoteFramesBefore;
    private final Map<DropReason, Long> dropped = new EnumMap<>(DropReason.class);
    /** The registry when this script started. */
    private PortTotals before;
    /** The registry when the last script ended, if it got there; nothing counts between two scripts. */
    private PortTotals ended;

    PipelineInvariants(FuzzSwitch f) {
        this.f = f;
        this.seen = new boolean[f.sw.options().maxPorts()];
    }

    /**
     * Before each script: its tallies start from zero, and its counts from the registry's (read again only if the last
     * script stopped before its end: it failed, and then frames may have counted since the last reading).
     */
    void startScript() {
        before = ended != null ? ended : PortTotals.read(f.sw);
        ended = null;
        received = 0;
        forwarded = 0;
        copies = 0;
        remoteCopies = 0;
        remoteFramesBefore = f.erspan.counters().get(MirrorCounter.FRAMES);
        dropped.clear();
    }

    void afterFrame(FrameScript.Step step) {
        ForwardingDecision d = f.decision;
        int in = f.ingressId(step);
        Port ingress = f.sw.port(in);
        received++;
        if (d.dropped() == (d.forwardedCount() > 0)) {
            throw violation(d.dropped() ? "a dropped frame has copies" : "a frame neither forwarded nor dropped");
        }
        if (d.dropped()) {
            dropped.merge(d.dropReason(), 1L, Long::sum);
        } else {
            forwarded++;
        }
        copies += d.egressCount(); // mirror copies are counted as sent, a dropped frame's too
        java.util.Arrays.fill(seen, false);
        boolean remoteCopy = false;
        for (int i = 0; i < d.egressCount(); i++) {
            if (d.isRemoteMirror(i)) {
                if (remoteCopy) {
                    throw violation("two ERSPAN copies of one frame");
                }
                remoteCopy = true;
                copies--;
                remoteCopies++;
                checkRemoteMirrorCopy(d, i);
                checkCopy(d, i);
                continue;
            }
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
            checkMirrorCopy(d, i, out);
            checkCopy(d, i);
        }
        d.restoreWholeFrame();
        checkFdbWithinLimits();
    }

    /** ARP suppression answers a vNIC's request by turning it into the reply in place and sending it back: one copy. */
    private static boolean isArpSuppressionReply(ForwardingDecision d) {
        FrameMeta m = d.frame();
        // one forwarded copy, the answer; a mirror session whose source is the asking port copies the answer too
        return d.forwardedCount() == 1 && m.etherType() == EtherType.ARP && m.payloadLength() >= Arp.LENGTH
            && Arp.oper(m.segment(), m.payloadPosition()) == Arp.REPLY;
    }

    private static void checkMirrorCopy(ForwardingDecision d, int i, Port out) {
        boolean toAnalyzer = out.name().equals(FuzzSwitch.ANALYZER);
        if (d.isMirrorCopy(i) != toAnalyzer) {
            throw violation(toAnalyzer ? "a forwarded copy to the mirror destination" : "a mirror copy to " + out.name());
        }
        if (!toAnalyzer) {
            return;
        }
        d.prepareMirrorCopy(i); // as a driver does, after the forwarded copies (checked before it, in order)
        if (d.egressLength(i) > FuzzSwitch.MIRROR_TRUNCATE || d.egressLength(i) != d.mirrorCopyLength(i)
            || d.egressTag(i) != (d.vlan() == 0 ? VlanPolicy.UNTAGGED : d.vlan())) {
            throw violation("mirror copy of " + d.egressLength(i) + " bytes with tag " + d.egressTag(i) + " in VLAN "
                + d.vlan());
        }
    }

    /**
     * An ERSPAN copy: after the forwarded copies, for the one ERSPAN session, cut to its truncation, tagged with the
     * frame's VLAN, and never of an ERSPAN packet to the session's collector (the loop {@code ErspanLoopGuard} stops;
     * told here from the frame's bytes, independently of it).
     */
    private void checkRemoteMirrorCopy(ForwardingDecision d, int i) {
        if (i < d.forwardedCount() || !d.isMirrorCopy(i) || d.remoteMirror(i) != f.erspan.remoteSlot()) {
            throw violation("ERSPAN copy " + i + " of " + d.egressCount() + " (" + d.forwardedCount()
                + " forwarded) for slot " + d.remoteMirror(i) + ", the session's is " + f.erspan.remoteSlot());
        }
        if (isErspanToCollector(d.frame())) {
            throw violation("an ERSPAN packet to the session's own collector was mirrored again");
        }
        d.prepareMirrorCopy(i);
        if (d.egressLength(i) > FuzzSwitch.ERSPAN_TRUNCATE || d.egressLength(i) != d.mirrorCopyLength(i)
            || d.egressTag(i) != (d.vlan() == 0 ? VlanPolicy.UNTAGGED : d.vlan())) {
            throw violation("ERSPAN copy of " + d.egressLength(i) + " bytes with tag " + d.egressTag(i) + " in VLAN "
                + d.vlan());
        }
    }

    /** IPv4, GRE (protocol 47) with the ERSPAN type II or III protocol type, to the collector. */
    private static boolean isErspanToCollector(FrameMeta m) {
        if (m.etherType() != EtherType.IPV4 || m.payloadLength() < 24) {
            return false;
        }
        MemorySegment s = m.segment();
        long ip = m.payloadPosition();
        int header = (s.get(JAVA_BYTE, ip) & 0xF) * 4;
        if ((s.get(JAVA_BYTE, ip + 9) & 0xFF) != 47 || m.payloadLength() < header + 4) {
            return false;
        }
        int protocol = (s.get(JAVA_BYTE, ip + header + 2) & 0xFF) << 8
            | s.get(JAVA_BYTE, ip + header + 3) & 0xFF;
        int dst = 0;
        for (int k = 0; k < 4; k++) {
            dst = dst << 8 | s.get(JAVA_BYTE, ip + 16 + k) & 0xFF;
        }
        return (protocol == 0x88BE || protocol == 0x22EB) && dst == FuzzSwitch.COLLECTOR;
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

    /**
     * Three ports learn, each within its limit; the others learn nothing. Asked of those three and of the table's size
     * (their MACs and the static entries, nothing else), not of every port: each question is a call into instrumented
     * code, and twelve a frame were a sixth of a fuzzing run. A MAC learned on any other port breaks the sum, and then
     * every port is asked, to name it.
     */
    private void checkFdbWithinLimits() {
        Fdb fdb = f.sw.fdb();
        int size = fdb.size();
        if (size > FuzzSwitch.FDB_CAPACITY) {
            throw violation("the FDB holds " + size + " entries, capacity " + FuzzSwitch.FDB_CAPACITY);
        }
        int learned = 0;
        for (int p : LEARNING_PORTS) {
            int n = fdb.learnedOn(f.ids[p]);
            if (n > limit(p)) {
                throw violation(n + " MACs learned on " + f.sw.port(f.ids[p]).name() + ", limit " + limit(p));
            }
            learned += n;
        }
        if (learned + FuzzSwitch.STATIC_ENTRIES != size) {
            for (int p = 0; p < FuzzSwitch.PORTS; p++) {
                int n = fdb.learnedOn(f.ids[p]);
                if (n > limit(p)) {
                    throw violation(n + " MACs learned on " + f.sw.port(f.ids[p]).name() + ", limit " + limit(p));
                }
            }
            throw violation("the FDB holds " + size + " entries: " + learned + " learned and "
                + FuzzSwitch.STATIC_ENTRIES + " static expected");
        }
    }

    private static int limit(int port) {
        return switch (port) {
            case FuzzSwitch.NESTED -> FuzzSwitch.LEARNING_LIMIT;
            case FuzzSwitch.NESTED2 -> FuzzSwitch.ALLOW_LIMIT;
            case FuzzSwitch.TUNNEL -> FuzzSwitch.TUNNEL_LIMIT;
            default -> 0; // its port group does not learn
        };
    }

    /** Plain checks on the per-frame path, messages built only on failure: an assertion library would slow fuzzing. */
    private static AssertionError violation(String what) {
        return new AssertionError(what);
    }

    /** The registry agrees with the decisions: received = forwarded + dropped by reason; copies = frames sent. */
    void afterScript() {
        PortTotals after = PortTotals.read(f.sw);
        long droppedTotal = dropped.values().stream().mapToLong(Long::longValue).sum();
        assertThat(forwarded + droppedTotal).isEqualTo(received);
        assertThat(after.rx - before.rx).as("frames received, counted").isEqualTo(received);
        assertThat(after.tx - before.tx).as("copies sent, counted").isEqualTo(copies);
        assertThat(f.erspan.counters().get(MirrorCounter.FRAMES) - remoteFramesBefore).as("ERSPAN copies, counted")
            .isEqualTo(remoteCopies);
        for (DropReason r : DropReason.values()) {
            long decided = dropped.getOrDefault(r, 0L);
            long counted = after.dropped(r) - before.dropped(r);
            if (r == DropReason.MAC_CHANGED || r == DropReason.EGRESS_SHAPING) {
                // also count each copy withheld from a port (a vNIC whose MAC changed, a port over its egress
                // shaping), on that port (docs/forwarding-model.md)
                assertThat(counted).as(r.counterName()).isGreaterThanOrEqualTo(decided);
            } else {
                assertThat(counted).as(r.counterName()).isEqualTo(decided);
            }
        }
        assertThat(after.malformedKinds - before.malformedKinds).as("malformed frames by kind")
            .isEqualTo(after.dropped(DropReason.MALFORMED) - before.dropped(DropReason.MALFORMED));
        ended = after;
    }

    /** The port counters of the registry, every port's added up. */
    private record PortTotals(long rx, long tx, long malformedKinds, long[] drops) {
        static PortTotals read(Switch sw) {
            long rx = 0;
            long tx = 0;
            long malformedKinds = 0;
            long[] drops = new long[DropReason.values().length];
            for (CounterValues port : sw.counters().read().all(CounterScope.PORT)) {
                rx += port.get(PortCounter.RX_FRAMES);
                tx += port.get(PortCounter.TX_FRAMES);
                for (DropReason r : DropReason.values()) {
                    drops[r.ordinal()] += port.get(r);
                }
                for (MalformedCounter m : MalformedCounter.ALL) {
                    malformedKinds += port.get(m);
                }
                if (port.total(CounterKind.DROP) < 0) {
                    throw violation(port.instance() + " counts a negative number of drops");
                }
            }
            return new PortTotals(rx, tx, malformedKinds, drops);
        }

        long dropped(DropReason r) {
            return drops[r.ordinal()];
        }
    }
}
