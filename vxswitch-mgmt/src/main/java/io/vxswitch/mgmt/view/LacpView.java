package io.vxswitch.mgmt.view;

import io.vxswitch.forwarding.lacp.LacpPortInfo;
import io.vxswitch.forwarding.lacp.LagStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The API's view of link aggregation groups ({@code GET /api/v1/lacp}, the {@code lacp} of a LAG in
 * {@code GET /api/v1/ports}), with the fields {@code ovs-appctl lacp/show} prints, so the two ends of a LAG read
 * alike: each member's actor and partner (system, priority, key, port, port priority, state flags).
 */
public final class LacpView {
    private LacpView() {
    }

    /**
     * A LAG: how it runs LACP, its actor system, the partner its aggregator is attached to (null before any) and
     * how many of its members carry traffic.
     */
    public record LagView(String name, String lacp, String rate, String hash, String systemId, int systemPriority,
                          int key, PartnerView partner, int distributing, List<MemberView> members) {
    }

    /** The system and key at the other end of the aggregation. */
    public record PartnerView(String systemId, int systemPriority, int key) {
    }

    /**
     * A member: its link, one phrase for its state (like lacp/show's "current attached": receive state and whether
     * it carries traffic), the machines' states, what it says and what it heard, and its counts.
     */
    public record MemberView(String name, String link, String status, String receive, String mux, boolean selected,
                             boolean distributing, InfoView actor, InfoView partner, Map<String, Long> counters) {
    }

    /** One end's LACPDU information; {@code flags} as lacp/show names them. */
    public record InfoView(String systemId, int systemPriority, int key, int port, int portPriority, int state,
                           List<String> flags) {
        static InfoView of(LacpPortInfo i) {
            return new InfoView(i.systemId(), i.systemPriority(), i.key(), i.port(), i.portPriority(), i.state(),
                io.vxswitch.forwarding.lacp.LacpState.flags(i.state()));
        }
    }

    public static List<LagView> of(List<LagStatus> lags) {
        return lags.stream().map(LacpView::of).toList();
    }

    public static LagView of(LagStatus s) {
        return new LagView(s.name(), s.mode(), s.rate(), s.hash(), s.systemId(), s.systemPriority(), s.key(),
            s.partner() == null ? null : new PartnerView(s.partner().systemId(), s.partner().systemPriority(),
                s.partner().key()), s.distributing(), s.members().stream().map(LacpView::member).toList());
    }

    private static MemberView member(LagStatus.Member m) {
        Map<String, Long> c = new LinkedHashMap<>();
        c.put("lacpdusRx", m.lacpdusRx());
        c.put("lacpdusTx", m.lacpdusTx());
        c.put("malformed", m.malformed());
        c.put("otherSlowProtocols", m.otherSlowProtocols());
        c.put("looped", m.looped());
        c.put("partnerExpired", m.partnerExpired());
        c.put("linkDowns", m.linkDowns());
        c.put("markersAnswered", m.markersAnswered());
        c.put("markersMalformed", m.markersMalformed());
        c.put("markersRateLimited", m.markersRateLimited());
        c.put("rxFrames", m.rxFrames());
        c.put("rxBytes", m.rxBytes());
        c.put("txFrames", m.txFrames());
        c.put("txBytes", m.txBytes());
        return new MemberView(m.name(), m.linkUp() ? "up" : "down", m.summary(), m.receive(), m.mux(), m.selected(),
            m.distributing(), InfoView.of(m.actor()), InfoView.of(m.partner()), c);
    }
}
