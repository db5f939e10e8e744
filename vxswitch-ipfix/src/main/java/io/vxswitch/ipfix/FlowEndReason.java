package io.vxswitch.ipfix;

/** Why a flow record was exported: IANA's flowEndReason values (RFC 5102 §5.11.3). */
public enum FlowEndReason {
    /** No frame of the flow for the idle timeout. */
    IDLE_TIMEOUT(1),
    /** The flow has lasted the active timeout: exported, and counted afresh from its next frame. */
    ACTIVE_TIMEOUT(2),
    /** Exported because the exporter stops (shutdown, or IPFIX turned off by a reload). */
    FORCED_END(4),
    /** Evicted to make room in a full flow cache. */
    LACK_OF_RESOURCES(5);

    private final int code;

    FlowEndReason(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
