package io.vxswitch.forwarding.lacp;

/**
 * One member port of a LAG as the LACP state machines of IEEE 802.1AX-2014 §6.4 keep it: what the partner last
 * said (its operational information), where the Receive, Mux and Periodic Transmission machines are, their timers
 * (deadlines in the caller's nanoseconds) and the need to transmit (NTT). The {@link Aggregator} drives it; nothing
 * here reads a clock or does I/O.
 */
final class LacpMember {
    /** The Receive machine (§6.4.12), without INITIALIZE and LACP_DISABLED, which this switch never stays in. */
    enum Receive {
        PORT_DISABLED, EXPIRED, DEFAULTED, CURRENT;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        }
    }

    /** The Mux machine with coupled control (§6.4.15, figure 6-22): collecting and distributing go together. */
    enum Mux {
        DETACHED, WAITING, ATTACHED, COLLECTING_DISTRIBUTING;

        String label() {
            return this == COLLECTING_DISTRIBUTING ? "collecting/distributing"
                : name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final long NEVER = Long.MAX_VALUE;

    final int index;
    /** The actor port number: 1-based, 0 is not a port (§6.3.4). */
    final int port;
    boolean linkUp;
    Receive receive = Receive.PORT_DISABLED;
    Mux mux = Mux.DETACHED;
    /** The Selected variable (§6.4.8): attached, or on its way, to the LAG's aggregator. */
    boolean selected;
    /** Its partner is aggregatable but is another system or key than the aggregator's partner. */
    boolean wrongPartner;
    /** Actor_Oper_Port_State.Defaulted: the partner information is the administrative default. */
    boolean defaulted = true;

    int partnerSystemPriority;
    long partnerSystem;
    int partnerKey;
    int partnerPortPriority;
    int partnerPort;
    int partnerState;

    long currentWhile = NEVER;
    long waitWhile = NEVER;
    long nextPeriodic = NEVER;
    /** Need To Transmit (§6.4.7). */
    boolean ntt;
    /** At most three LACPDUs per Fast_Periodic_Time (§6.4.16). */
    final SendLimit lacpduLimit = new SendLimit(Aggregator.MAX_PER_PERIOD, LacpRate.FAST_PERIOD_NANOS);

    long lacpdusReceived;
    long lacpdusSent;
    long malformed;
    long otherSlowProtocols;
    long looped;
    long expirations;
    long linkDowns;

    /** The Marker Responder (§6.5.4.2): a Marker Response to send, for this requester port, system and transaction. */
    boolean markerDue;
    int markerPort;
    long markerSystem;
    long markerTransaction;
    /** At most {@link Aggregator#MAX_MARKER_RESPONSES} Marker Responses a second. */
    final SendLimit markerLimit = new SendLimit(Aggregator.MAX_MARKER_RESPONSES, LacpRate.FAST_PERIOD_NANOS);
    long markersAnswered;
    long markersMalformed;
    long markersRateLimited;

    LacpMember(int index) {
        this.index = index;
        this.port = index + 1;
    }

    boolean partnerInSync() {
        return (partnerState & LacpState.SYNCHRONIZATION) != 0;
    }

    boolean distributing() {
        return mux == Mux.COLLECTING_DISTRIBUTING;
    }

    /** recordDefault (§6.4.9): the partner is the administrative default, all zero (nothing known). */
    void recordDefault() {
        partnerSystemPriority = 0;
        partnerSystem = 0;
        partnerKey = 0;
        partnerPortPriority = 0;
        partnerPort = 0;
        partnerState = 0;
        defaulted = true;
    }

    LacpPortInfo partner() {
        return new LacpPortInfo(partnerSystemPriority, partnerSystem, partnerKey, partnerPortPriority, partnerPort,
            partnerState);
    }
}
