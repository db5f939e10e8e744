package io.vxswitch.forwarding.trace;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.fdb.LearnOutcome;

import java.lang.foreign.MemorySegment;

/**
 * What the forwarding pipeline reports about one decision, step by step, as it takes it (Open vSwitch's
 * {@code xlate_report}): typed events with ports as ids and MACs as longs, never text. The pipeline calls these in
 * the order of the decision; a sink that wants words builds them ({@link TraceText}). Every method does nothing by
 * default, and the data path reports to {@link #OFF}: the calls are inlined away and build nothing, so tracing off
 * costs nothing, drops included.
 */
public interface TraceSink {
    /** Reports nothing: the data path's sink. */
    TraceSink OFF = new TraceSink() {
    };

    /** How a frame that is not known unicast went out (or did not). */
    enum Flood {
        /** Broadcast or multicast from an uplink with a local source: our own frame coming back, not flooded. */
        REFLECTION,
        /** Broadcast or multicast from an uplink: to the vNICs and tunnels pinned to it. */
        BUM_FROM_UPLINK,
        /** Broadcast or multicast from a vNIC or tunnel: to every vNIC (and tunnel) in the VLAN and the pinned uplink. */
        BUM,
        /** Unknown unicast from an uplink: only to ports that learn and take unknown unicast, pinned to it. */
        UNKNOWN_FROM_UPLINK,
        /** Unknown unicast from a vNIC or tunnel: to the pinned uplink and the ports that learn and take it. */
        UNKNOWN
    }

    /** A frame came in on port {@code inPort}; it is parsed next. */
    default void received(int inPort, MemorySegment frame, long offset, int length) {
    }

    /** The ingress port put the frame in {@code vlan}. */
    default void classified(int vlan) {
    }

    /** From a vNIC: the source MAC is its effective MAC, or ({@code forged}) another one and forged transmits accepts it. */
    default void sourceChecked(boolean forged) {
    }

    /** Learning took its source MAC in {@code vlan}: what the FDB did (or, for a probe, would do). */
    default void learned(int vlan, LearnOutcome outcome) {
    }

    /** The source MAC was not offered for learning: the frame is a reflection, or the port group does not learn. */
    default void notLearned(boolean reflected) {
    }

    /**
     * ARP suppression: the request for {@code targetIpv4} was answered on the ingress port with {@code mac}; or,
     * {@code mac} {@link io.vxswitch.forwarding.ArpSuppression#NONE}, it has no binding and is flooded.
     */
    default void arpSuppression(int vlan, int targetIpv4, long mac) {
    }

    /**
     * ND suppression: the neighbour solicitation for the IPv6 address {@code targetHigh:targetLow} was answered on the
     * ingress port with {@code mac}; or, {@code mac} {@link io.vxswitch.forwarding.ArpSuppression#NONE}, it is flooded.
     */
    default void ndSuppression(int vlan, long targetHigh, long targetLow, long mac) {
    }

    /** The unicast destination {@code dst} in {@code vlan} is on {@code port} (behind {@code remote}), or unknown. */
    default void destination(int vlan, long dst, int port, int remote) {
    }

    /** The frame is flooded (or not) as {@code how} says, in {@code vlan}. */
    default void flooded(Flood how, int vlan) {
    }

    /** A promiscuous port gets a copy; or ({@code withheld}) not, because the source is local. */
    default void promiscuous(int port, boolean withheld) {
    }

    /** Port {@code port} gets no copy, for {@code reason} (the port's own drop counter counts it). */
    default void withheld(int port, DropReason reason) {
    }

    /** Mirror session {@code session} copies the frame to its destination port {@code port}. */
    default void mirrored(String session, int port) {
    }

    /** Mirror session {@code session} copies the frame to an ERSPAN collector, {@code destination} in words. */
    default void mirroredRemote(String session, String destination) {
    }

    /** The decision: copies to the ports in {@code decision}. */
    default void forwarded(ForwardingDecision decision) {
    }

    /** The decision: the frame goes nowhere, for {@code reason}. */
    default void dropped(DropReason reason) {
    }
}
