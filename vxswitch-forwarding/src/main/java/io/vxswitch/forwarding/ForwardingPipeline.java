package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.LearnOutcome;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.shaping.PortShaper;
import io.vxswitch.forwarding.trace.TraceSink;
import io.vxswitch.forwarding.trace.TraceSink.Flood;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Ipv6;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Malformation;
import io.vxswitch.packet.NeighborDiscovery;

import java.lang.foreign.MemorySegment;

/**
 * The per-frame decision of a {@link Switch}: ingress VLAN, security, learning, lookup, flood set, egress.
 *
 * <p>The rules, VDS first (a VDS knows its vNIC MACs and does not learn):
 * <ul>
 * <li>from a vNIC: known destination → that port; unknown unicast → the vNIC's pinned uplink, plus ports that
 *     learn and take unknown-unicast floods; broadcast/multicast → every vNIC in the VLAN and the pinned uplink.
 * <li>from an uplink: known destination → that port; unknown unicast → only ports that learn and flood, pinned
 *     to this uplink; broadcast/multicast → vNICs pinned to this uplink, unless the source is local (a
 *     reflection of our own frame: the reverse-path filter). Never to another uplink.
 * <li>promiscuous ports get a copy of every frame in their VLAN (from an uplink: if pinned to it, and with
 *     {@link SwitchOptions#reversePathCheckPromisc()} not if the source is local).
 * <li>MAC learning, where a port group enables it, maps source MACs to the ingress port, within the limit.
 * <li>tunnel ports take part in flooding like vNICs (pinned to an uplink like them), learn MACs with the remote
 *     VTEP they came from, and never forward tunnel to tunnel (split horizon).
 * </ul>
 * Each step is reported to a {@link TraceSink} (Open vSwitch's {@code xlate_report}): typed events, no text; the
 * data path reports to {@link TraceSink#OFF}, so the decision allocates nothing and builds no string, drops
 * included. One per forwarding lane: the fields below are the lane's scratch state, and counts go to the lane's own
 * counter sets.
 */
final class ForwardingPipeline extends LanePadding {
    /** Unused leading elements of {@link #addedFor} (see {@link LanePadding}). */
    private static final int PAD = LanePadding.INTS;

    private final Switch sw;
    private final int lane;
    /** Per-port mark of the frame that last added it, so each port gets at most one copy. */
    private final int[] addedFor;
    /** Where a probe's ingress counting goes, so that the port's own counters stay untouched. */
    private final CounterLane probeCounters = PortCounters.newSet(1).writer(0);
    private int frameStamp;
    /** This lane's flow observations for IPFIX; null while no collector is configured. */
    FlowObserver flows;

    ForwardingPipeline(Switch sw, int lane) {
        this.sw = sw;
        this.lane = lane;
        this.addedFor = new int[PAD + sw.options().maxPorts()];
    }

    /**
     * @param ingressRemote for a tunnel port, the remote VTEP the frame came from; else {@link Fdb#NO_REMOTE}
     * @param tunnelVlan    for a tunnel port, the VLAN its VNI maps to; ignored for other ports
     * @param t             where the steps are reported; {@link TraceSink#OFF} on the data path
     * @param probe         decide without learning, counting or sending (a made-up frame, as ofproto/trace runs one)
     */
    void forward(Port in, int ingressRemote, int tunnelVlan, MemorySegment s, long offset, int length, long now,
                 ForwardingDecision d, TraceSink t, boolean probe) {
        if (in == null) {
            throw new IllegalArgumentException("no such ingress port on switch '" + sw.name() + "'");
        }
        d.reset();
        CounterLane rx = probe ? probeCounters : in.counters(lane); // a probe counts into a scratch set
        PortCounters.countRx(rx, length);
        FrameMeta f = d.frame;
        Malformation m = FrameParser.parse(s, offset, length, f);
        t.received(in.id(), s, offset, length);
        if (m != Malformation.NONE) {
            PortCounters.countMalformed(rx, m);
            drop(d, rx, DropReason.MALFORMED, t);
            return;
        }
        if (!in.forwards) { // down, or a mirror destination (a dedicated analyzer port sends nothing in)
            drop(d, rx, in.up ? DropReason.MIRROR_DESTINATION : DropReason.PORT_DOWN, t);
            return;
        }
        PortShaper[] ingressShapers = in.ingressShapers;
        if (ingressShapers != null && !probe && !ingressShapers[lane].admit(length, now)) {
            drop(d, rx, DropReason.INGRESS_SHAPING, t); // before learning: a frame over the limit teaches nothing
            return;
        }
        PortGroupPolicy policy = in.portGroup.policy;
        if (in.isTunnel() && f.tagged()) {
            drop(d, rx, DropReason.INNER_TAG, t);
            return;
        }
        int vlan = in.isTunnel() ? (policy.vlan().carries(tunnelVlan) ? tunnelVlan : VlanPolicy.NOT_MEMBER)
            : policy.vlan().ingressVlan(f.vid());
        if (vlan == VlanPolicy.NOT_MEMBER) {
            drop(d, rx, DropReason.VLAN_NOT_ALLOWED, t);
            return;
        }
        d.vlan = vlan;
        t.classified(vlan);
        long src = f.src();
        long dst = f.dst();
        if (MacAddress.isMulticast(src)) {
            drop(d, rx, DropReason.MULTICAST_SOURCE, t);
            return;
        }
        if (in.isVnic()) {
            boolean forged = src != in.effectiveMac;
            if (forged && !policy.security().forgedTransmits()) {
                drop(d, rx, DropReason.FORGED_TRANSMIT, t);
                return;
            }
            t.sourceChecked(forged);
        }

        boolean reflected = in.isUplink() && MacAddress.isMulticast(dst) && isLocalSource(vlan, src);
        if (policy.macLearning().enabled() && !reflected) {
            DropReason refused = learn(in, ingressRemote, vlan, src, now, policy.macLearning(), t, probe);
            if (refused != null) {
                drop(d, rx, refused, t);
                return;
            }
        } else {
            t.notLearned(reflected);
        }

        nextStamp();
        DropReason nothingSent;
        boolean answered = false;
        if (sw.arpSuppression().any() && !in.isTunnel() && sw.arpSuppression().snooped(vlan)) {
            if (f.etherType() == EtherType.ARP) {
                answered = answerArp(in, vlan, s, f, d, rx, t, probe);
            } else if (f.etherType() == EtherType.IPV6) {
                answered = answerNeighborDiscovery(in, vlan, s, f, d, rx, t, probe);
            }
        }
        if (answered) {
            nothingSent = null;
        } else if (MacAddress.isMulticast(dst)) {
            nothingSent = floodBum(in, vlan, reflected, d, t);
        } else {
            long found = sw.fdb().destination(vlan, dst); // NOT_FOUND reads as port NOT_FOUND, remote NO_REMOTE
            int known = Fdb.destinationPort(found);
            int remote = Fdb.destinationRemote(found);
            t.destination(vlan, dst, known, remote);
            if (known != Fdb.NOT_FOUND) {
                nothingSent = unicast(in, known, remote, vlan, d, t);
            } else {
                nothingSent = floodUnknownUnicast(in, vlan, d, t);
            }
        }
        if (!answered) {
            addPromiscuousCopies(in, vlan, src, d, t);
        }
        if (sw.egressShapedPorts() != 0 && !probe) { // one test per frame while no port group shapes egress
            DropReason withheld = shapeEgress(d, now, t);
            nothingSent = withheld != null ? withheld : nothingSent;
        }

        int forwarded = d.egressCount;
        if (sw.activeMirrorCount() != 0 && !probe) { // the one test a frame pays while no mirror session exists
            addMirrorCopies(in, sw.activeMirrors(), d, t);
        }

        if (forwarded == 0) {
            dropKeepingMirrorCopies(d, rx, nothingSent == null ? DropReason.NO_EGRESS : nothingSent, t);
            return;
        }
        Port[] ports = sw.portTable();
        for (int i = 0; i < forwarded && !probe; i++) { // mirror copies were counted as they were added
            PortCounters.countTx(ports[d.egressPort(i)].counters(lane), d.egressLength(i));
        }
        t.forwarded(d);
        if (flows != null && !probe) { // without flow export: one null test per forwarded frame
            observe(in, d, now);
        }
    }

    /** Flow export: this frame into the lane's ring, if sampled. Apart, to keep {@link #forward} small for the JIT. */
    private void observe(Port in, ForwardingDecision d, long now) {
        FlowObserver o = flows;
        if (o.sampled()) {
            o.observe(d, in.id(), in.isTunnel() || intoTunnel(d, sw.portTable()), now);
        }
    }

    /** True if a forwarded copy of the frame goes into a tunnel port (the flow then has a VNI). */
    private static boolean intoTunnel(ForwardingDecision d, Port[] ports) {
        for (int i = 0; i < d.forwardedCount(); i++) {
            if (ports[d.egressPort(i)].isTunnel()) {
                return true;
            }
        }
        return false;
    }

    /**
     * ARP from a local port of an EVPN VLAN. The sender's binding goes to the control plane if the table lacks it (to
     * advertise as a MAC/IP route). With ARP suppression on (RFC 7432 §10), a request for a bound address is turned into its
     * reply in place (RFC 826: same length, same tag) and sent back out the ingress port: true. Anything else (a reply,
     * a gratuitous ARP, a request for an unknown address) goes on as any broadcast: false.
     *
     * <p>Only a vNIC's requests are answered. An uplink's go on as broadcasts, to the ports pinned to it: a team's
     * physical switch sends one broadcast to every uplink, so answering there would answer it once per uplink, each
     * reply from the owner's MAC, and the upstream switch would see that MAC flap between its ports (found by
     * {@code SwitchFuzzTest}: a reply out of the uplink it came in on).
     */
    private boolean answerArp(Port in, int vlan, MemorySegment s, FrameMeta f, ForwardingDecision d, CounterLane rx,
                              TraceSink t, boolean probe) {
        long arp = f.payloadPosition();
        if (f.payloadLength() < Arp.LENGTH || !Arp.isEthernetIpv4(s, arp)) {
            return false;
        }
        ArpSuppression table = sw.arpSuppression();
        int spa = Arp.spa(s, arp);
        long sha = Arp.sha(s, arp);
        if (!probe && spa != 0 && MacAddress.isUnicast(sha) && table.lookup(vlan, spa) != sha) {
            sw.neighborSnoop(lane).offer(vlan, spa, sha);
        }
        if (!in.isVnic() || !table.enabled(vlan) || Arp.oper(s, arp) != Arp.REQUEST || !MacAddress.isBroadcast(f.dst())
            || Arp.isGratuitous(s, arp)) {
            return false;
        }
        int tpa = Arp.tpa(s, arp);
        long mac = table.lookup(vlan, tpa);
        if (mac == sha) {
            mac = ArpSuppression.NONE; // a host asking for its own address: a duplicate-address probe, let it through
        }
        t.arpSuppression(vlan, tpa, mac);
        if (mac == ArpSuppression.NONE) {
            if (!probe) {
                PortCounters.countArp(rx, false);
            }
            return false;
        }
        if (!probe) {
            MacAddress.write(s, f.offset(), sha);
            MacAddress.write(s, f.offset() + 6, mac);
            Arp.write(s, arp, Arp.REPLY, mac, tpa, sha, spa);
            PortCounters.countArp(rx, true);
        }
        tryAdd(in, vlan, d, t, ForwardingDecision.FLOOD);
        return true;
    }

    /**
     * IPv6 neighbour discovery from a local port of an EVPN VLAN, ARP's counterpart (RFC 9161). What the sender says
     * about itself goes to the control plane if the table lacks it: a solicitation its source address, an advertisement
     * its target, each with its link-layer address option (else the frame's source MAC). With suppression on, a
     * multicast solicitation for a bound address is turned into the advertisement that answers it, in place
     * ({@link NeighborDiscovery#answer}), and sent back out the ingress port: true. Anything else goes on as before:
     * false. A duplicate address detection probe (from ::) carries no link-layer option and is never answered.
     */
    private boolean answerNeighborDiscovery(Port in, int vlan, MemorySegment s, FrameMeta f, ForwardingDecision d,
                                            CounterLane rx, TraceSink t, boolean probe) {
        long ip = f.payloadPosition();
        if (f.payloadLength() < Ipv6.LENGTH + NeighborDiscovery.HEADER_LENGTH
            || Ipv6.nextHeader(s, ip) != Ipv6.NEXT_HEADER_ICMPV6) {
            return false; // most IPv6 frames stop here, before the checksum is summed
        }
        long icmp = NeighborDiscovery.message(s, ip, f.payloadLength());
        if (icmp < 0) {
            return false;
        }
        int length = Ipv6.payloadLength(s, ip);
        boolean solicitation = NeighborDiscovery.type(s, icmp) == NeighborDiscovery.SOLICITATION;
        long announcedMac = NeighborDiscovery.linkLayerOption(s, icmp, length, solicitation
            ? NeighborDiscovery.OPTION_SOURCE_LINK_LAYER : NeighborDiscovery.OPTION_TARGET_LINK_LAYER);
        long sender = announcedMac == NeighborDiscovery.NO_MAC ? f.src() : announcedMac;
        long high = solicitation ? Ipv6.srcHigh(s, ip) : NeighborDiscovery.targetHigh(s, icmp);
        long low = solicitation ? Ipv6.srcLow(s, ip) : NeighborDiscovery.targetLow(s, icmp);
        ArpSuppression table = sw.arpSuppression();
        if (!probe && NeighborDiscovery.isHostAddress(high, low) && MacAddress.isUnicast(sender)
            && table.lookup(vlan, high, low) != sender) {
            sw.neighborSnoop(lane).offer(vlan, high, low, sender);
        }
        if (!table.enabled(vlan) || !solicitation || !MacAddress.isMulticast(f.dst())
            || announcedMac == NeighborDiscovery.NO_MAC
            || length != NeighborDiscovery.HEADER_LENGTH + NeighborDiscovery.LINK_LAYER_OPTION_LENGTH) {
            return false;
        }
        long targetHigh = NeighborDiscovery.targetHigh(s, icmp);
        long targetLow = NeighborDiscovery.targetLow(s, icmp);
        long mac = table.lookup(vlan, targetHigh, targetLow);
        if (mac == f.src()) {
            mac = ArpSuppression.NONE; // a host asking for its own address: let its owner's stack see it
        }
        t.ndSuppression(vlan, targetHigh, targetLow, mac);
        if (mac == ArpSuppression.NONE) {
            if (!probe) {
                PortCounters.countNd(rx, false);
            }
            return false;
        }
        if (!probe) {
            long asker = f.src();
            MacAddress.write(s, f.offset(), asker);
            MacAddress.write(s, f.offset() + 6, mac);
            NeighborDiscovery.answer(s, ip, mac);
            PortCounters.countNd(rx, true);
        }
        tryAdd(in, vlan, d, t, ForwardingDecision.FLOOD);
        return true;
    }

    /** Learns {@code src} on {@code in}; null, or why the frame must be dropped (limit policy, frozen MAC). */
    private DropReason learn(Port in, int remote, int vlan, long src, long now, MacLearningPolicy learning,
                             TraceSink t, boolean probe) {
        if (in.isVnic() && src == in.effectiveMac) { // known without a probe: a vNIC's MAC is never learned
            t.learned(vlan, LearnOutcome.VNIC_MAC);
            return null;
        }
        LearnOutcome outcome = probe ? sw.fdb().wouldLearn(vlan, src, in.id(), remote, learning.limit(), now)
            : sw.fdb().learn(lane, vlan, src, in.id(), remote, learning.limit(), now);
        if (outcome == LearnOutcome.FROZEN) {
            return DropReason.MAC_MOVE_FROZEN;
        }
        if (outcome == LearnOutcome.LIMIT_REACHED && learning.limitPolicy() == MacLearningPolicy.LimitPolicy.DROP) {
            return DropReason.MAC_LIMIT;
        }
        t.learned(vlan, outcome);
        return null;
    }

    private DropReason floodBum(Port in, int vlan, boolean reflected, ForwardingDecision d, TraceSink t) {
        Port[] ports = sw.portTable();
        int end = sw.portScanEnd();
        if (in.isUplink()) {
            if (reflected) {
                t.flooded(Flood.REFLECTION, vlan);
                return DropReason.REVERSE_PATH;
            }
            for (int q = 0; q < end; q++) {
                Port p = ports[q];
                if (p != null && !p.isUplink() && sw.team().pinnedUplink(q) == in.id()) {
                    tryAdd(p, vlan, d, t, ForwardingDecision.FLOOD);
                }
            }
            t.flooded(Flood.BUM_FROM_UPLINK, vlan);
            return DropReason.NO_EGRESS;
        }
        for (int q = 0; q < end; q++) {
            Port p = ports[q];
            if (p != null && p != in && !p.isUplink() && !(in.isTunnel() && p.isTunnel())) {
                tryAdd(p, vlan, d, t, ForwardingDecision.FLOOD);
            }
        }
        addPinnedUplink(in, vlan, d, t);
        t.flooded(Flood.BUM, vlan);
        return DropReason.NO_EGRESS;
    }

    private DropReason unicast(Port in, int q, int remote, int vlan, ForwardingDecision d, TraceSink t) {
        Port out = sw.port(q);
        if (in.isTunnel() && out.isTunnel()) {
            return DropReason.SPLIT_HORIZON;
        }
        if (q == in.id()) {
            return DropReason.SAME_PORT;
        }
        if (in.isUplink() && out.isUplink()) {
            return DropReason.UPLINK_TO_UPLINK;
        }
        return tryAdd(out, vlan, d, t, remote == Fdb.NO_REMOTE ? ForwardingDecision.FLOOD : remote);
    }

    private DropReason floodUnknownUnicast(Port in, int vlan, ForwardingDecision d, TraceSink t) {
        Port[] ports = sw.portTable();
        int end = sw.portScanEnd();
        for (int q = 0; q < end; q++) {
            Port p = ports[q];
            if (p == null || p == in || p.isUplink() || (in.isTunnel() && p.isTunnel())
                || !p.portGroup.policy.macLearning().floodsUnknownUnicast()) {
                continue;
            }
            if (in.isUplink() && sw.team().pinnedUplink(q) != in.id()) {
                continue;
            }
            tryAdd(p, vlan, d, t, ForwardingDecision.FLOOD);
        }
        if (!in.isUplink()) {
            addPinnedUplink(in, vlan, d, t);
        }
        t.flooded(in.isUplink() ? Flood.UNKNOWN_FROM_UPLINK : Flood.UNKNOWN, vlan);
        return DropReason.UNKNOWN_UNICAST;
    }

    private void addPromiscuousCopies(Port in, int vlan, long src, ForwardingDecision d, TraceSink t) {
        if (sw.promiscuousPorts() == 0) {
            return; // the usual case: no walk over every port for every frame
        }
        Port[] ports = sw.portTable();
        int end = sw.portScanEnd();
        boolean checked = false;
        boolean local = false;
        for (int q = 0; q < end; q++) {
            Port p = ports[q];
            if (p == null || p == in || !p.isVnic() || !p.portGroup.policy.security().allowPromiscuous()
                || addedFor[PAD + q] == frameStamp) {
                continue;
            }
            if (in.isUplink()) {
                if (sw.team().pinnedUplink(q) != in.id()) {
                    continue;
                }
                if (sw.options().reversePathCheckPromisc()) {
                    if (!checked) {
                        local = isLocalSource(vlan, src);
                        checked = true;
                    }
                    if (local) {
                        t.promiscuous(q, true);
                        continue;
                    }
                }
            }
            if (tryAdd(p, vlan, d, t, ForwardingDecision.FLOOD) == null) {
                t.promiscuous(q, false);
            }
        }
    }

    private void addPinnedUplink(Port in, int vlan, ForwardingDecision d, TraceSink t) {
        int u = sw.team().pinnedUplink(in.id());
        if (u >= 0) {
            tryAdd(sw.portTable()[u], vlan, d, t, ForwardingDecision.FLOOD);
        }
    }

    /**
     * Adds one copy for {@code p} unless it had one, is down, is not in the VLAN, or refuses it; null if added.
     * A copy into a tunnel leaves untagged: the VNI carries the segment.
     */
    private DropReason tryAdd(Port p, int vlan, ForwardingDecision d, TraceSink t, int remote) {
        int q = p.id();
        if (addedFor[PAD + q] == frameStamp || !p.forwards) { // a mirror destination takes mirror copies only
            return DropReason.NO_EGRESS;
        }
        VlanPolicy v = p.portGroup.policy.vlan();
        if (!v.carries(vlan)) {
            return DropReason.VLAN_NOT_ALLOWED;
        }
        if (p.isVnic() && p.effectiveMac != p.configuredMac && !p.portGroup.policy.security().macChanges()) {
            PortCounters.countDrop(p.counters(lane), DropReason.MAC_CHANGED);
            t.withheld(q, DropReason.MAC_CHANGED);
            return DropReason.MAC_CHANGED;
        }
        addedFor[PAD + q] = frameStamp;
        d.addEgress(q, p.isTunnel() ? VlanPolicy.UNTAGGED : v.egressTag(vlan), remote);
        return null;
    }

    /**
     * Egress traffic shaping, once the copies are chosen: each copy to a port whose group shapes egress draws on that
     * port's buckets (this lane's), and a copy over the limit is withheld and counted on its port. Returns
     * {@link DropReason#EGRESS_SHAPING} if any was withheld, else null. A separate pass rather than a test in
     * {@link #tryAdd}, so that a switch without egress shaping pays one test per frame, not one per copy.
     */
    private DropReason shapeEgress(ForwardingDecision d, long now, TraceSink t) {
        Port[] ports = sw.portTable();
        DropReason withheld = null;
        int kept = 0;
        for (int i = 0; i < d.egressCount; i++) {
            Port p = ports[d.egressPort(i)];
            PortShaper[] shapers = p.egressShapers;
            if (shapers != null && !shapers[lane].admit(d.egressLength(i), now)) {
                PortCounters.countDrop(p.counters(lane), DropReason.EGRESS_SHAPING);
                t.withheld(p.id(), DropReason.EGRESS_SHAPING);
                withheld = DropReason.EGRESS_SHAPING;
            } else {
                d.moveEgress(i, kept++);
            }
        }
        d.egressCount = kept;
        return withheld;
    }

    /**
     * Port mirroring, once the forwarded copies are final (egress shaping included: what a port is not sent is not
     * mirrored as sent): each session that selects the frame adds one copy for its destination, after the forwarded
     * ones, tagged with the frame's VLAN (the untagged segment, VLAN 0, untagged) whatever the port's own VLAN policy,
     * so that one analyzer tells VLANs apart, and cut to the session's truncation when the driver writes it
     * ({@link ForwardingDecision#prepareMirrorCopy}). The frame is copied as it came in
     * (the egress tag of a source port is not applied), so its ingress and egress copies are the same bytes.
     *
     * <p>Loops cannot form: a destination is never a source and takes no forwarded copy ({@link Port#forwards}), and
     * only forwarded copies are looked at, so a mirror copy is never mirrored again.
     */
    private void addMirrorCopies(Port in, Mirror[] mirrors, ForwardingDecision d, TraceSink t) {
        int forwarded = d.egressCount;
        int tag = d.vlan == 0 ? VlanPolicy.UNTAGGED : d.vlan;
        for (Mirror m : mirrors) {
            int selected = m.selects(in.id(), d, forwarded);
            if (selected == Mirror.NOT_SELECTED || !m.sampled(lane)) {
                continue;
            }
            int limit = m.session().truncate() == 0 ? ForwardingDecision.WHOLE : m.session().truncate();
            if (m.remoteSlot >= 0) {
                if (sw.erspanLoopGuard().isOwnErspan(d.frame)) {
                    m.countErspanLoop(lane); // one of this switch's ERSPAN packets crossing a mirrored port
                    continue;
                }
                d.addRemoteMirrorCopy(m.remoteSlot, selected == Mirror.SELECTED_EGRESS, tag, limit);
                int i = d.egressCount - 1;
                m.countCopy(lane, d.mirrorCopyLength(i), d.isTruncated(i));
                t.mirroredRemote(m.name(), m.destinationLabel());
                continue;
            }
            Port out = sw.portTable()[m.destination];
            if (!out.up) {
                m.countDestinationDown(lane);
                continue;
            }
            d.addMirrorCopy(m.destination, tag, limit);
            int i = d.egressCount - 1;
            int length = d.mirrorCopyLength(i);
            m.countCopy(lane, length, d.isTruncated(i));
            PortCounters.countTx(out.counters(lane), length);
            t.mirrored(m.name(), m.destination);
        }
    }

    /** True if {@code src} belongs behind a local vNIC port: its own MAC, or one learned there. */
    private boolean isLocalSource(int vlan, long src) {
        int q = sw.fdb().sourcePort(vlan, src);
        return q != Fdb.NOT_FOUND && !sw.portTable()[q].isUplink();
    }

    private void nextStamp() {
        if (++frameStamp == 0) {
            java.util.Arrays.fill(addedFor, 0);
            frameStamp = 1;
        }
    }

    /** A frame with no forwarded copy is dropped, but its mirror copies, if any, are still sent. */
    private static void dropKeepingMirrorCopies(ForwardingDecision d, CounterLane rx, DropReason reason, TraceSink t) {
        d.dropReason = reason;
        PortCounters.countDrop(rx, reason);
        t.dropped(reason);
    }

    private static void drop(ForwardingDecision d, CounterLane rx, DropReason reason, TraceSink t) {
        d.dropReason = reason;
        d.egressCount = 0;
        PortCounters.countDrop(rx, reason);
        t.dropped(reason);
    }
}
