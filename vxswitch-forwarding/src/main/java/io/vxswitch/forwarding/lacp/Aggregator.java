package io.vxswitch.forwarding.lacp;

import io.vxswitch.forwarding.lacp.LacpMember.Mux;
import io.vxswitch.forwarding.lacp.LacpMember.Receive;
import io.vxswitch.packet.Lacpdu;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.MarkerPdu;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The LACP of one LAG (IEEE 802.1AX-2014 §6.4): a member per configured interface, each with its Receive, Periodic
 * Transmission and Mux machines, and Selection, which attaches to the LAG's one aggregator the members whose partner
 * is the same system and key. Pure: time comes in as {@code now} (nanoseconds of any monotonic clock), frames as
 * bytes, and what it decides goes out as {@link #distributing()} and LACPDUs the caller sends ({@link #transmitDue},
 * {@link #writeLacpdu}); so tests drive it with a clock of their own. One thread at a time.
 *
 * <p>What it keeps simple, as Open vSwitch's {@code lib/lacp.c} and Linux's {@code bond_3ad.c} also do: one
 * aggregator per LAG (a member whose partner is another system or key waits unselected, "wrong partner"); no standby
 * links; a partner that sends no LACPDU (defaulted) or says it is individual never carries traffic (no fallback to
 * an individual link). Collecting and distributing go together (coupled control, §6.4.15).
 *
 * <p>Cases worth knowing:
 * <ul>
 * <li>a member whose link goes down leaves at once (PORT_DISABLED, unselected, detached); back up, it starts over
 *     from EXPIRED, asking its partner for fast LACPDUs;</li>
 * <li>a partner that falls silent: after one timeout (3 s fast) the member is EXPIRED, its partner out of sync, so
 *     it stops distributing; after a second it is DEFAULTED and unselected;</li>
 * <li>passive on both ends: neither sends (§6.4.13 NO_PERIODIC), nothing forms;</li>
 * <li>our own LACPDU coming back (two members cabled together, a reflecting device) is counted and ignored.</li>
 * </ul>
 *
 * <p>It is also each member's Marker Responder (§6.5.4.2): a Marker PDU is answered on the member it came in on with
 * a Marker Response carrying the requester's port, system and transaction id unchanged, whatever the member's LACP
 * state (the responder has no state of its own). The responder has no timer in the standard, but the Slow
 * Protocols may send at most 5 frames a second on a port (IEEE 802.3 Annex 43B, now 57A); LACP takes up to three
 * of those (§6.4.16), so at most {@link #MAX_MARKER_RESPONSES} Marker Responses leave a member in any second and a
 * flood of Markers beyond that is counted, not answered. This switch sends no Marker itself (it moves a flow only
 * when the member set changes, and then at once), so a Marker Response it receives was never asked for: counted
 * with the other subtypes.
 */
public final class Aggregator {
    /** Aggregate_Wait_Time (§6.4.4): members selected together are attached together. */
    public static final long AGGREGATE_WAIT_NANOS = 2_000_000_000L;
    /** At most this many LACPDUs per Fast_Periodic_Time on a member (§6.4.16). */
    static final int MAX_PER_PERIOD = 3;
    /** The frame a LACPDU is sent in: Ethernet header + 110 bytes. */
    public static final int FRAME_LENGTH = 14 + Lacpdu.LENGTH;
    /**
     * Marker Responses a member sends in any second at the most: with LACP's three (§6.4.16), the 5 Slow Protocols
     * frames a second that IEEE 802.3 Annex 43B/57A allows a port.
     */
    public static final int MAX_MARKER_RESPONSES = 2;

    /** What became of a received Slow Protocols frame. */
    public enum Outcome {
        ACCEPTED, MALFORMED, OTHER_SLOW_PROTOCOL, LOOPED, PORT_DISABLED,
        /** A Marker PDU to answer: {@link #writeMarkerResponse} now. */
        MARKER,
        /** A Marker PDU that is not one (short, version 0, an unknown TLV): dropped. */
        MARKER_MALFORMED,
        /** A Marker PDU beyond {@link #MAX_MARKER_RESPONSES} a second: not answered. */
        MARKER_RATE_LIMITED
    }

    private LagOptions options;
    private final LacpMember[] members;
    /** The partner the aggregator is attached to (§6.4.14): adopted from the first member selected. */
    private boolean hasPartner;
    private int aggregatorPartnerPriority;
    private long aggregatorPartnerSystem;
    private int aggregatorPartnerKey;
    private long distributing;
    /** This end is going away: nothing is selected any more, and each member says so once. */
    private boolean leaving;

    /** @param options resolved ({@link LagOptions#resolved}): a system id and a key of its own */
    public Aggregator(LagOptions options) {
        if (options.systemId() == LagOptions.DERIVED || options.key() == LagOptions.DERIVED) {
            throw new IllegalArgumentException("LAG '" + options.name() + "': resolve the system id and key first");
        }
        this.options = options;
        this.members = new LacpMember[options.members().size()];
        for (int i = 0; i < members.length; i++) {
            members[i] = new LacpMember(i);
        }
    }

    public LagOptions options() {
        return options;
    }

    public int memberCount() {
        return members.length;
    }

    /** The members collecting and distributing now, bit i for member i: what the data path must use. */
    public long distributing() {
        return distributing;
    }

    /**
     * Member {@code m}'s link went up or down. Down, it leaves the aggregator now (not at the next tick): its flows
     * move to the other members as soon as the caller applies {@link #distributing()}.
     */
    public void linkChanged(int m, boolean up, long now) {
        LacpMember p = members[m];
        if (p.linkUp == up) {
            return;
        }
        p.linkUp = up;
        if (up) {
            enterExpired(p, now); // §6.4.12: PORT_DISABLED -> EXPIRED once the port is enabled
            p.ntt = true; // say so now (the Mux's DETACHED sets NTT), not a period later; within the limit of three
            // a second, which a flapping link does not reset (found by LacpduFuzzTest: four in one second)
        } else {
            p.linkDowns++;
            p.receive = Receive.PORT_DISABLED;
            p.partnerState &= ~LacpState.SYNCHRONIZATION;
            p.selected = false;
            p.currentWhile = LacpMember.NEVER;
        }
        step(now);
    }

    /**
     * A Slow Protocols frame received on member {@code m}: {@code length} bytes of payload at {@code at} (after the
     * Ethernet header). A LACPDU updates the partner information (recordPDU, update_Selected, update_NTT: §6.4.9);
     * a Marker PDU is to be answered ({@link Outcome#MARKER}: the caller sends {@link #writeMarkerResponse}); anything
     * else is counted.
     */
    public Outcome receive(int m, MemorySegment s, long at, int length, long now) {
        LacpMember p = members[m];
        if (MarkerPdu.isMarker(s, at, length)) {
            return marker(p, s, at, length, now);
        }
        Lacpdu.Fault fault = Lacpdu.check(s, at, length);
        if (fault == Lacpdu.Fault.NOT_LACP) {
            p.otherSlowProtocols++; // OAM (subtype 3) or another protocol of the Slow Protocols
            return Outcome.OTHER_SLOW_PROTOCOL;
        }
        if (fault != Lacpdu.Fault.NONE) {
            p.malformed++;
            return Outcome.MALFORMED;
        }
        long actor = at + Lacpdu.ACTOR_OFFSET;
        long partner = at + Lacpdu.PARTNER_OFFSET;
        if (Lacpdu.system(s, actor) == options.systemId() && Lacpdu.key(s, actor) == options.key()) {
            p.looped++;
            return Outcome.LOOPED;
        }
        if (p.receive == Receive.PORT_DISABLED) {
            return Outcome.PORT_DISABLED; // a frame read just before the link went down
        }
        p.lacpdusReceived++;
        int priority = Lacpdu.systemPriority(s, actor);
        long system = Lacpdu.system(s, actor);
        int key = Lacpdu.key(s, actor);
        int portPriority = Lacpdu.portPriority(s, actor);
        int port = Lacpdu.port(s, actor);
        int state = Lacpdu.state(s, actor);
        // update_Selected: another partner port (or one that changed its mind about aggregating) is a new selection
        if (priority != p.partnerSystemPriority || system != p.partnerSystem || key != p.partnerKey
            || portPriority != p.partnerPortPriority || port != p.partnerPort
            || ((state ^ p.partnerState) & LacpState.AGGREGATION) != 0) {
            p.selected = false;
        }
        int actorState = actorState(p);
        // recordPDU: the partner is in sync only if what it says about us is what we are (or it is individual)
        boolean matched = (Lacpdu.port(s, partner) == p.port && Lacpdu.portPriority(s, partner) == options.portPriority()
            && Lacpdu.system(s, partner) == options.systemId()
            && Lacpdu.systemPriority(s, partner) == options.systemPriority()
            && Lacpdu.key(s, partner) == options.key()
            && ((Lacpdu.state(s, partner) ^ actorState) & LacpState.AGGREGATION) == 0)
            || (state & LacpState.AGGREGATION) == 0;
        p.partnerSystemPriority = priority;
        p.partnerSystem = system;
        p.partnerKey = key;
        p.partnerPortPriority = portPriority;
        p.partnerPort = port;
        p.partnerState = matched ? state : state & ~LacpState.SYNCHRONIZATION;
        p.defaulted = false;
        // update_NTT: the partner's view of us is out of date
        int watched = LacpState.ACTIVITY | LacpState.TIMEOUT | LacpState.SYNCHRONIZATION | LacpState.AGGREGATION;
        if (!matched || ((Lacpdu.state(s, partner) ^ actorState) & watched) != 0) {
            p.ntt = true;
        }
        p.receive = Receive.CURRENT;
        p.currentWhile = now + options.rate().timeoutNanos(); // the actor's own LACP_Timeout sets the wait
        step(now);
        return Outcome.ACCEPTED;
    }

    /**
     * Runs with {@code next} from now on: another mode, rate, hash, priority, system id or key, the same members
     * (resolved, as the constructor takes them). The members keep their machines' states and each has a LACPDU to
     * send at once with its new actor information (NTT), within the three-a-second limit. What the partner then
     * makes of it is the protocol's: a new rate or mode changes the partner's pace; a new system id, key or priority
     * makes the partner's view of this end stale, so its members fall out of sync until its next LACPDU agrees (a
     * short re-negotiation, as when a switch's port channel is changed).
     *
     * @throws IllegalArgumentException other members, or not resolved
     */
    public void reconfigure(LagOptions next, long now) {
        if (!next.members().equals(options.members()) || !next.name().equals(options.name())) {
            throw new IllegalArgumentException("LAG '" + options.name() + "': members " + options.members()
                + " cannot become " + next.members() + " in place");
        }
        if (next.systemId() == LagOptions.DERIVED || next.key() == LagOptions.DERIVED) {
            throw new IllegalArgumentException("LAG '" + next.name() + "': resolve the system id and key first");
        }
        boolean actorChanged = next.systemId() != options.systemId() || next.key() != options.key()
            || next.systemPriority() != options.systemPriority() || next.portPriority() != options.portPriority();
        options = next;
        for (LacpMember p : members) {
            if (actorChanged && p.receive == Receive.CURRENT) {
                // what the partner last said of us no longer matches: out of sync until it hears us again
                p.partnerState &= ~LacpState.SYNCHRONIZATION;
            }
            p.ntt = p.linkUp;
        }
        step(now);
    }

    /**
     * The Marker Responder (§6.5.4.2): a well-formed Marker PDU on a member whose link is up is answered, within
     * {@link #MAX_MARKER_RESPONSES} a second; a Marker Response is counted with the other subtypes (this end asks
     * for none).
     */
    private Outcome marker(LacpMember p, MemorySegment s, long at, int length, long now) {
        if (MarkerPdu.check(s, at, length) != MarkerPdu.Fault.NONE) {
            p.markersMalformed++;
            return Outcome.MARKER_MALFORMED;
        }
        if (MarkerPdu.tlvType(s, at) == MarkerPdu.TLV_MARKER_RESPONSE) {
            p.otherSlowProtocols++;
            return Outcome.OTHER_SLOW_PROTOCOL;
        }
        if (!p.linkUp) {
            return Outcome.PORT_DISABLED; // read just before the link went down: no answer can leave
        }
        if (!p.markerLimit.allows(now)) {
            p.markersRateLimited++;
            return Outcome.MARKER_RATE_LIMITED;
        }
        p.markerDue = true;
        p.markerPort = MarkerPdu.requesterPort(s, at);
        p.markerSystem = MarkerPdu.requesterSystem(s, at);
        p.markerTransaction = MarkerPdu.transactionId(s, at);
        return Outcome.MARKER;
    }

    /** True if member {@code m} has a Marker Response to send (a Marker came in that {@link #receive} accepted). */
    public boolean markerResponseDue(int m) {
        return members[m].markerDue;
    }

    /**
     * Writes member {@code m}'s Marker Response frame at {@code frame} (from {@code source}, the member's MAC, to the
     * Slow Protocols group), with the requester's port, system and transaction id as the Marker carried them, and
     * counts it as sent; returns its length, {@link #FRAME_LENGTH}. Call when {@link #markerResponseDue}.
     */
    public int writeMarkerResponse(int m, MemorySegment s, long frame, long source, long now) {
        LacpMember p = members[m];
        if (!p.markerDue) {
            throw new IllegalStateException("member " + m + " has no Marker to answer");
        }
        Lacpdu.writeEthernet(s, frame, source);
        MarkerPdu.write(s, frame + 14, MarkerPdu.TLV_MARKER_RESPONSE, p.markerPort, p.markerSystem,
            p.markerTransaction);
        p.markerDue = false;
        p.markerLimit.sent(now);
        p.markersAnswered++;
        return FRAME_LENGTH;
    }

    /**
     * This end stops (the switch is shutting down): every member is unselected and detached, and has a LACPDU to send
     * saying it is out of sync, so the partner moves its traffic away now rather than after a timeout.
     */
    public void leave(long now) {
        leaving = true;
        for (LacpMember p : members) {
            p.selected = false;
        }
        step(now);
        for (LacpMember p : members) {
            p.ntt = p.linkUp; // sent unless three went in the last second: the limit holds to the end
        }
    }

    /** Runs the timers, Selection, the Mux machines and the periodic timers up to {@code now}. */
    public void tick(long now) {
        step(now);
    }

    /**
     * True if member {@code m} should send a LACPDU now: NTT set, the Periodic machine not in NO_PERIODIC (two
     * passive ends never speak), and fewer than three sent in the last second.
     */
    public boolean transmitDue(int m, long now) {
        LacpMember p = members[m];
        if (!p.ntt) {
            return false;
        }
        if (!periodicEnabled(p)) {
            p.ntt = false;
            return false;
        }
        return p.lacpduLimit.allows(now);
    }

    /**
     * Writes member {@code m}'s LACPDU frame at {@code frame} (from {@code source}, the member's MAC) and counts it as
     * sent; returns its length, {@link #FRAME_LENGTH}. Call when {@link #transmitDue}.
     */
    public int writeLacpdu(int m, MemorySegment s, long frame, long source, long now) {
        LacpMember p = members[m];
        Lacpdu.writeEthernet(s, frame, source);
        long at = frame + 14;
        Lacpdu.writeFrame(s, at);
        Lacpdu.writeInfo(s, at + Lacpdu.ACTOR_OFFSET, Lacpdu.TLV_ACTOR, options.systemPriority(), options.systemId(),
            options.key(), options.portPriority(), p.port, actorState(p));
        Lacpdu.writeInfo(s, at + Lacpdu.PARTNER_OFFSET, Lacpdu.TLV_PARTNER, p.partnerSystemPriority, p.partnerSystem,
            p.partnerKey, p.partnerPortPriority, p.partnerPort, p.partnerState);
        p.ntt = false;
        p.lacpduLimit.sent(now);
        p.lacpdusSent++;
        return FRAME_LENGTH;
    }

    /** The earliest deadline of any timer, for a caller that sleeps until then; {@link Long#MAX_VALUE} if none. */
    public long nextDeadline() {
        long next = LacpMember.NEVER;
        for (LacpMember p : members) {
            next = Math.min(next, Math.min(p.currentWhile, Math.min(p.waitWhile, p.nextPeriodic)));
        }
        return next;
    }

    /** The actor's state byte of member {@code m} as it would be sent now. */
    public int actorState(int m) {
        return actorState(members[m]);
    }

    private int actorState(LacpMember p) {
        int s = LacpState.AGGREGATION;
        if (options.mode() == LacpMode.ACTIVE) {
            s |= LacpState.ACTIVITY;
        }
        if (options.rate() == LacpRate.FAST) {
            s |= LacpState.TIMEOUT;
        }
        if (p.mux == Mux.ATTACHED || p.mux == Mux.COLLECTING_DISTRIBUTING) {
            s |= LacpState.SYNCHRONIZATION;
        }
        if (p.mux == Mux.COLLECTING_DISTRIBUTING) {
            s |= LacpState.COLLECTING | LacpState.DISTRIBUTING;
        }
        if (p.defaulted) {
            s |= LacpState.DEFAULTED;
        }
        if (p.receive == Receive.EXPIRED) {
            s |= LacpState.EXPIRED;
        }
        return s;
    }

    // ---- the machines, in the order a tick runs them

    private void step(long now) {
        for (LacpMember p : members) {
            receiveTimers(p, now);
        }
        select();
        for (int round = 0; round < 4 && muxRound(now); round++) {
            // until no mux changes state: a selected member may go DETACHED -> WAITING -> ATTACHED in one tick
        }
        long d = 0;
        for (LacpMember p : members) {
            periodic(p, now);
            if (p.distributing()) {
                d |= 1L << p.index;
            }
        }
        distributing = d;
    }

    /** The Receive machine's current_while timer: CURRENT -> EXPIRED -> DEFAULTED. */
    private void receiveTimers(LacpMember p, long now) {
        if (now < p.currentWhile) {
            return;
        }
        if (p.receive == Receive.CURRENT) {
            p.expirations++;
            enterExpired(p, now);
        } else if (p.receive == Receive.EXPIRED) {
            p.recordDefault();
            p.receive = Receive.DEFAULTED;
            p.selected = false; // update_Default_Selected: the partner is no longer the one selected
            p.currentWhile = LacpMember.NEVER;
        }
    }

    /** EXPIRED (§6.4.12): the partner is out of sync and asked to hurry (short timeout); one more timeout to wait. */
    private void enterExpired(LacpMember p, long now) {
        p.receive = Receive.EXPIRED;
        p.partnerState = (p.partnerState & ~LacpState.SYNCHRONIZATION) | LacpState.TIMEOUT;
        p.currentWhile = now + LacpRate.SHORT_TIMEOUT_NANOS;
    }

    /**
     * Selection (§6.4.14) for one aggregator: a member that hears an aggregatable partner is selected if the
     * aggregator has no partner yet (it takes this one's system and key) or has the same one.
     */
    private void select() {
        boolean any = false;
        for (LacpMember p : members) {
            any |= p.selected;
        }
        if (!any) {
            hasPartner = false;
        }
        for (LacpMember p : members) {
            p.wrongPartner = false;
            if (leaving || p.selected || p.receive != Receive.CURRENT || !p.linkUp
                || (p.partnerState & LacpState.AGGREGATION) == 0) {
                continue;
            }
            if (!hasPartner) {
                hasPartner = true;
                aggregatorPartnerPriority = p.partnerSystemPriority;
                aggregatorPartnerSystem = p.partnerSystem;
                aggregatorPartnerKey = p.partnerKey;
            }
            if (p.partnerSystemPriority == aggregatorPartnerPriority && p.partnerSystem == aggregatorPartnerSystem
                && p.partnerKey == aggregatorPartnerKey) {
                p.selected = true;
            } else {
                p.wrongPartner = true;
            }
        }
    }

    /** One round of every member's Mux machine (coupled control, figure 6-22); true if any changed state. */
    private boolean muxRound(long now) {
        boolean changed = false;
        boolean ready = true; // Ready (§6.4.8): every member waiting for the aggregator has waited long enough
        for (LacpMember p : members) {
            if (p.mux == Mux.WAITING && now < p.waitWhile) {
                ready = false;
            }
        }
        for (LacpMember p : members) {
            Mux next = switch (p.mux) {
                case DETACHED -> p.selected ? Mux.WAITING : Mux.DETACHED;
                case WAITING -> !p.selected ? Mux.DETACHED : ready ? Mux.ATTACHED : Mux.WAITING;
                case ATTACHED -> !p.selected ? Mux.DETACHED : p.partnerInSync() ? Mux.COLLECTING_DISTRIBUTING
                    : Mux.ATTACHED;
                case COLLECTING_DISTRIBUTING -> !p.selected || !p.partnerInSync() ? Mux.ATTACHED
                    : Mux.COLLECTING_DISTRIBUTING;
            };
            if (next != p.mux) {
                p.mux = next;
                p.ntt = true; // every state change is news for the partner (its sync, collecting, distributing)
                p.waitWhile = next == Mux.WAITING ? now + AGGREGATE_WAIT_NANOS : LacpMember.NEVER;
                changed = true;
            }
        }
        return changed;
    }

    /**
     * The Periodic Transmission machine (§6.4.13): none if the link is down or both ends are passive; else every
     * second while the partner asks for a short timeout, every 30 s otherwise. A shorter period starts at once.
     */
    private void periodic(LacpMember p, long now) {
        if (!periodicEnabled(p)) {
            p.nextPeriodic = LacpMember.NEVER;
            return;
        }
        long period = (p.partnerState & LacpState.TIMEOUT) != 0 ? LacpRate.FAST.periodNanos()
            : LacpRate.SLOW.periodNanos();
        if (p.nextPeriodic == LacpMember.NEVER) {
            p.nextPeriodic = now + period;
        } else if (p.nextPeriodic - now > period) {
            p.nextPeriodic = now; // the partner asked to hurry: one now, then at the new pace
        }
        if (now >= p.nextPeriodic) {
            p.ntt = true;
            p.nextPeriodic = now + period;
        }
    }

    private boolean periodicEnabled(LacpMember p) {
        return p.linkUp && (options.mode() == LacpMode.ACTIVE || (p.partnerState & LacpState.ACTIVITY) != 0);
    }

    // ---- views

    /** The LAG and each member as {@code ovs-appctl lacp/show} shows a bond; {@code memberTraffic} may be null. */
    public LagStatus status(long[][] memberTraffic) {
        List<LagStatus.Member> out = new ArrayList<>();
        for (LacpMember p : members) {
            long[] t = memberTraffic == null ? new long[4] : memberTraffic[p.index];
            out.add(new LagStatus.Member(options.members().get(p.index), p.linkUp, p.receive.label(), p.mux.label(),
                p.selected, p.wrongPartner, p.distributing(),
                new LacpPortInfo(options.systemPriority(), options.systemId(), options.key(), options.portPriority(),
                    p.port, actorState(p)), p.partner(),
                p.lacpdusReceived, p.lacpdusSent, p.malformed, p.otherSlowProtocols, p.looped, p.expirations,
                p.linkDowns, p.markersAnswered, p.markersMalformed, p.markersRateLimited, t[0], t[1], t[2], t[3]));
        }
        return new LagStatus(options.name(), options.mode().label(), options.rate().label(), options.hash().label(),
            options.systemPriority(), MacAddress.format(options.systemId()), options.key(),
            hasPartner ? new LacpPortInfo(aggregatorPartnerPriority, aggregatorPartnerSystem, aggregatorPartnerKey, 0,
                0, 0) : null, Long.bitCount(distributing), out);
    }

    /** Member {@code m}'s counters in {@link LagMemberCounter} order, the LACP ones (traffic is the caller's). */
    public void countersOf(int m, long[] out) {
        LacpMember p = members[m];
        out[LagMemberCounter.LACPDUS_RX.ordinal()] = p.lacpdusReceived;
        out[LagMemberCounter.LACPDUS_TX.ordinal()] = p.lacpdusSent;
        out[LagMemberCounter.LACPDUS_MALFORMED.ordinal()] = p.malformed;
        out[LagMemberCounter.OTHER_SLOW_PROTOCOLS.ordinal()] = p.otherSlowProtocols;
        out[LagMemberCounter.LACPDUS_LOOPED.ordinal()] = p.looped;
        out[LagMemberCounter.PARTNER_EXPIRED.ordinal()] = p.expirations;
        out[LagMemberCounter.LINK_DOWNS.ordinal()] = p.linkDowns;
        out[LagMemberCounter.MARKERS_ANSWERED.ordinal()] = p.markersAnswered;
        out[LagMemberCounter.MARKERS_MALFORMED.ordinal()] = p.markersMalformed;
        out[LagMemberCounter.MARKERS_RATE_LIMITED.ordinal()] = p.markersRateLimited;
    }
}
