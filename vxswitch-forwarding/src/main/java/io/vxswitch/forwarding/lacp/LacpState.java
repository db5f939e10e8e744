package io.vxswitch.forwarding.lacp;

import java.util.ArrayList;
import java.util.List;

/**
 * The eight flags of an actor's or partner's state byte in a LACPDU (IEEE 802.1AX-2014 §6.4.2.3 item u), named as
 * {@code ovs-appctl lacp/show} names them, so an operator reads both switches' views with the same words.
 */
public final class LacpState {
    /** Active LACP (sends LACPDUs unprompted); clear: passive. */
    public static final int ACTIVITY = 0x01;
    /** Short timeout: the port asks its partner for a LACPDU every second; clear: every 30 s. */
    public static final int TIMEOUT = 0x02;
    /** The link can be aggregated; clear: an individual link. */
    public static final int AGGREGATION = 0x04;
    /** The port is attached to the right aggregator (in sync with what it says). */
    public static final int SYNCHRONIZATION = 0x08;
    public static final int COLLECTING = 0x10;
    public static final int DISTRIBUTING = 0x20;
    /** The partner information is the administrative default: no LACPDU heard for two timeouts. */
    public static final int DEFAULTED = 0x40;
    /** The receive machine is in EXPIRED: one timeout without a LACPDU. */
    public static final int EXPIRED = 0x80;

    private static final String[] NAMES = {"activity", "timeout", "aggregation", "synchronized", "collecting",
        "distributing", "defaulted", "expired"};

    private LacpState() {
    }

    /** The flags set in {@code state}, lowest bit first, as {@code ovs-appctl lacp/show} lists them. */
    public static List<String> flags(int state) {
        List<String> out = new ArrayList<>();
        for (int bit = 0; bit < NAMES.length; bit++) {
            if ((state & (1 << bit)) != 0) {
                out.add(NAMES[bit]);
            }
        }
        return out;
    }

    /** The flags separated by spaces, e.g. {@code activity timeout aggregation synchronized collecting distributing}. */
    public static String describe(int state) {
        return String.join(" ", flags(state));
    }
}
