package io.vxswitch.forwarding.lacp;

import io.vxswitch.packet.MacAddress;

/**
 * What one end of a link says about itself in a LACPDU's actor or partner TLV (802.1AX §6.4.2.3): the system (a MAC
 * and its priority), the key of the aggregation it wants, the port and its priority, and the state flags
 * ({@link LacpState}). A snapshot for views; the state machines keep these as plain fields.
 */
public record LacpPortInfo(int systemPriority, long system, int key, int portPriority, int port, int state) {
    /** The partner nothing has been heard from: all zero, as Open vSwitch shows it. */
    public static final LacpPortInfo NONE = new LacpPortInfo(0, 0, 0, 0, 0, 0);

    public String systemId() {
        return MacAddress.format(system);
    }

    public String stateFlags() {
        return LacpState.describe(state);
    }
}
