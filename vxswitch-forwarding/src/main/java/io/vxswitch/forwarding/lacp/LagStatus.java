package io.vxswitch.forwarding.lacp;

import java.util.List;

/**
 * A LAG as an operator reads it, like {@code ovs-appctl lacp/show}: the actor system, the partner the aggregator is
 * attached to (null before any), and each member's LACP state and counters. A snapshot: immutable.
 *
 * @param partner     the aggregator's partner system and key (port fields 0), or null
 * @param distributing how many members carry traffic now
 */
public record LagStatus(String name, String mode, String rate, String hash, int systemPriority, String systemId,
                        int key, LacpPortInfo partner, int distributing, List<Member> members) {
    public LagStatus {
        members = List.copyOf(members);
    }

    /**
     * One member: its link, where its Receive and Mux machines are, whether it is selected (or has a partner other
     * than the aggregator's), what it says (actor) and what it heard (partner), and its counts (LACPDUs, the Marker
     * PDUs its responder answered, found malformed or left unanswered over the rate, and the frames it carried).
     */
    public record Member(String name, boolean linkUp, String receive, String mux, boolean selected,
                         boolean wrongPartner, boolean distributing, LacpPortInfo actor, LacpPortInfo partner,
                         long lacpdusRx, long lacpdusTx, long malformed, long otherSlowProtocols, long looped,
                         long partnerExpired, long linkDowns, long markersAnswered, long markersMalformed,
                         long markersRateLimited, long rxFrames, long rxBytes, long txFrames, long txBytes) {
        /** One word as lacp/show says it: current, expired, defaulted (or link down), and attached or not. */
        public String summary() {
            return (linkUp ? receive : "link down") + " " + (distributing ? "distributing"
                : selected ? "attached" : wrongPartner ? "wrong partner" : "detached");
        }
    }
}
