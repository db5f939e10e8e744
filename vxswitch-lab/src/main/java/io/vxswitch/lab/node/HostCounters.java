package io.vxswitch.lab.node;

/** What a host's NIC and IP stack saw, for tests and the lab's report. */
public final class HostCounters {
    long rxFrames;
    long rxNotForUs;
    long rxDropped;
    long txFrames;
    long arpRequestsSent;
    long arpRepliesSent;
    long echoRequestsSent;
    long echoRepliesSent;
    long echoRepliesReceived;

    public long rxFrames() {
        return rxFrames;
    }

    /** Unicast frames for another MAC (a NIC outside promiscuous mode ignores them). */
    public long rxNotForUs() {
        return rxNotForUs;
    }

    /** Frames the stack could not use: tagged, malformed, or a protocol it does not speak. */
    public long rxDropped() {
        return rxDropped;
    }

    public long txFrames() {
        return txFrames;
    }

    public long arpRequestsSent() {
        return arpRequestsSent;
    }

    public long arpRepliesSent() {
        return arpRepliesSent;
    }

    public long echoRequestsSent() {
        return echoRequestsSent;
    }

    public long echoRepliesSent() {
        return echoRepliesSent;
    }

    public long echoRepliesReceived() {
        return echoRepliesReceived;
    }
}
