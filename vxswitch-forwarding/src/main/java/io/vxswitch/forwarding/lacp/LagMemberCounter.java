package io.vxswitch.forwarding.lacp;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.MetricFamily;

/**
 * What is counted per LAG member: LACPDUs both ways and the ones refused (the LACP agent's), and the frames the
 * member carried (the dataplane's LAG port's), so that an operator sees the traffic spread and a member that stopped
 * hearing its partner.
 */
public enum LagMemberCounter implements CounterDescriptor {
    LACPDUS_RX("lacpdusRx", CounterKind.TRAFFIC, Families.LACPDUS, "rx", "LACPDUs received from the partner"),
    LACPDUS_TX("lacpdusTx", CounterKind.TRAFFIC, Families.LACPDUS, "tx", "LACPDUs sent to the partner"),
    LACPDUS_MALFORMED("malformed", CounterKind.DROP, Families.LACP_DROPS, "malformed",
        "Slow Protocols frames that claimed to be LACPDUs and were not (short, version 0, bad TLVs): dropped"),
    OTHER_SLOW_PROTOCOLS("otherSlowProtocols", CounterKind.DROP, Families.LACP_DROPS, "other_subtype",
        "Slow Protocols frames that are neither LACP nor a Marker to answer (OAM, a Marker Response never asked for)"),
    LACPDUS_LOOPED("looped", CounterKind.DROP, Families.LACP_DROPS, "looped",
        "LACPDUs from this LAG itself: the member is cabled to another member or to something reflecting frames"),
    PARTNER_EXPIRED("partnerExpired", CounterKind.DROP, Families.PARTNER_EXPIRED, null,
        "times the partner fell silent for a timeout (3 s fast, 90 s slow) and the member stopped carrying traffic"),
    LINK_DOWNS("linkDowns", CounterKind.DROP, Families.LINK_DOWNS, null, "times the member's link went down"),
    MARKERS_ANSWERED("markersAnswered", CounterKind.TRAFFIC, Families.MARKER_RESPONSES, null,
        "Marker PDUs from the partner answered with a Marker Response on the same member (802.1AX §6.5)"),
    MARKERS_MALFORMED("markersMalformed", CounterKind.DROP, Families.LACP_DROPS, "marker_malformed",
        "Slow Protocols frames of the Marker subtype that were not Marker PDUs (short, version 0, bad TLV): dropped"),
    MARKERS_RATE_LIMITED("markersRateLimited", CounterKind.DROP, Families.LACP_DROPS, "marker_rate_limited",
        "Marker PDUs beyond 2 a second on the member (with LACP's 3, the Slow Protocols' 5 a second): not answered"),
    RX_FRAMES("rxFrames", CounterKind.TRAFFIC, Families.RX_FRAMES, null, "frames received on the member"),
    RX_BYTES("rxBytes", CounterKind.TRAFFIC, Families.RX_BYTES, null, "bytes received on the member"),
    TX_FRAMES("txFrames", CounterKind.TRAFFIC, Families.TX_FRAMES, null, "frames the LAG sent on the member"),
    TX_BYTES("txBytes", CounterKind.TRAFFIC, Families.TX_BYTES, null, "bytes the LAG sent on the member"),
    RX_NOT_COLLECTING("rxNotCollecting", CounterKind.DROP, Families.RX_DROPS, "not_collecting",
        "frames received on a member that is not collecting (not in the aggregation): dropped");

    /** The Prometheus families, here so that several counters can share one. */
    static final class Families {
        static final MetricFamily LACPDUS = MetricFamily.byLabel("vxswitch_lacp_pdus",
            "LACPDUs of a LAG member, by direction.", "direction", "lag", "member");
        static final MetricFamily LACP_DROPS = MetricFamily.byLabel("vxswitch_lacp_pdu_drops",
            "Slow Protocols frames of a LAG member not acted on, by reason.", "reason", "lag", "member");
        static final MetricFamily MARKER_RESPONSES = MetricFamily.of("vxswitch_lacp_marker_responses",
            "Marker Responses a LAG member sent, one per Marker PDU of its partner (802.1AX Marker Responder).", "lag",
            "member");
        static final MetricFamily PARTNER_EXPIRED = MetricFamily.of("vxswitch_lacp_partner_expired",
            "Times a LAG member's partner fell silent for a timeout.", "lag", "member");
        static final MetricFamily LINK_DOWNS = MetricFamily.of("vxswitch_lacp_member_link_downs",
            "Times a LAG member's link went down.", "lag", "member");
        static final MetricFamily RX_FRAMES = MetricFamily.of("vxswitch_lag_member_rx_frames",
            "Frames received on a LAG member.", "lag", "member");
        static final MetricFamily RX_BYTES = MetricFamily.of("vxswitch_lag_member_rx_bytes",
            "Bytes received on a LAG member.", "lag", "member");
        static final MetricFamily TX_FRAMES = MetricFamily.of("vxswitch_lag_member_tx_frames",
            "Frames a LAG sent on a member.", "lag", "member");
        static final MetricFamily TX_BYTES = MetricFamily.of("vxswitch_lag_member_tx_bytes",
            "Bytes a LAG sent on a member.", "lag", "member");
        static final MetricFamily RX_DROPS = MetricFamily.byLabel("vxswitch_lag_member_rx_drops",
            "Frames received on a LAG member and dropped, by reason.", "reason", "lag", "member");

        private Families() {
        }
    }

    private final String key;
    private final CounterKind kind;
    private final MetricFamily family;
    private final String familyLabel;
    private final String description;

    LagMemberCounter(String key, CounterKind kind, MetricFamily family, String familyLabel, String description) {
        this.key = key;
        this.kind = kind;
        this.family = family;
        this.familyLabel = familyLabel;
        this.description = description;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public CounterScope scope() {
        return CounterScope.LAG_MEMBER;
    }

    @Override
    public CounterKind kind() {
        return kind;
    }

    @Override
    public MetricFamily family() {
        return family;
    }

    @Override
    public String familyLabel() {
        return familyLabel;
    }
}
