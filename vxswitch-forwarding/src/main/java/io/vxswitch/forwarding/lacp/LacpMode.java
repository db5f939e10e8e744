package io.vxswitch.forwarding.lacp;

/** LACP_Activity (802.1AX §6.4.2.3): whether a port sends LACPDUs unprompted, or only once its partner does. */
public enum LacpMode {
    ACTIVE, PASSIVE;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
