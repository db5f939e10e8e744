package io.vxswitch.lab.node;

import io.vxswitch.forwarding.trace.Trace;

/**
 * The forwarding decision a host switch made for one frame, step by step.
 *
 * @param switchName the host switch
 * @param inPort     the port the frame entered on
 * @param timeNanos  virtual time of the decision
 * @param frame      the frame, one tcpdump-like line
 * @param trace      the decision's steps
 */
public record TracedFrame(String switchName, String inPort, long timeNanos, String frame, Trace trace) {
    /** A header line and the numbered steps. */
    public String render() {
        return "trace of " + frame + "\n  on " + switchName + " port " + inPort + " at "
            + String.format(java.util.Locale.ROOT, "%.6f", timeNanos / 1e9) + " s\n" + trace.render();
    }
}
