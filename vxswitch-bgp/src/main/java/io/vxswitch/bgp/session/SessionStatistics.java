package io.vxswitch.bgp.session;

import io.vxswitch.bgp.message.BgpMessage;

/**
 * What {@code vxswitch bgp neighbors} shows of a session: messages and UPDATEs each way, when it came up, how often
 * it went down, the last error. Written by the speaker's thread only; read by the API's (volatile, single writer).
 */
public final class SessionStatistics {
    private volatile long messagesIn;
    private volatile long messagesOut;
    private volatile long updatesIn;
    private volatile long updatesOut;
    private volatile long establishedAt;
    private volatile long establishedTransitions;
    private volatile String lastError = "";
    private volatile String lastDown = "";

    void received(BgpMessage m) {
        messagesIn++;
        if (m.type() == BgpMessage.UPDATE) {
            updatesIn++;
        }
    }

    void sent(BgpMessage m) {
        messagesOut++;
        if (m.type() == BgpMessage.UPDATE) {
            updatesOut++;
        }
    }

    void established(long now) {
        establishedAt = now;
        establishedTransitions++;
    }

    void down(String reason) {
        establishedAt = 0;
        lastDown = reason;
    }

    void lastError(String error) {
        lastError = error;
    }

    public long messagesIn() {
        return messagesIn;
    }

    public long messagesOut() {
        return messagesOut;
    }

    public long updatesIn() {
        return updatesIn;
    }

    public long updatesOut() {
        return updatesOut;
    }

    /** The clock reading (ns) when the session reached Established, 0 when it is not up. */
    public long establishedAt() {
        return establishedAt;
    }

    /** How many times the session reached Established ("Established" count in FRR's output). */
    public long establishedTransitions() {
        return establishedTransitions;
    }

    public String lastError() {
        return lastError;
    }

    public String lastDown() {
        return lastDown;
    }
}
