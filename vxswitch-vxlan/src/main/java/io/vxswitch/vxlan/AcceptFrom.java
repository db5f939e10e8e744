package io.vxswitch.vxlan;

import java.util.Locale;

/**
 * Whose VXLAN a tunnel endpoint takes. A VXLAN packet carries no proof of its sender: anyone who can reach the UDP
 * port can put frames into the VNI's segment under any source MAC. So by default a tunnel decapsulates only from
 * VTEPs it knows (its flood list, or what a control plane told it) and drops the rest as
 * {@link VxlanDrop#UNKNOWN_VTEP}; {@link #ANY} restores the Linux vxlan device's way, where a packet from a new
 * address makes it a remote VTEP.
 */
public enum AcceptFrom {
    /**
     * Only from remote VTEPs registered by configuration or a control plane (a static flood list, EVPN type-3 and
     * type-2 routes). Traffic never registers one.
     */
    KNOWN,
    /** From any unicast address; a new sender becomes a remote VTEP on its first packet (data-plane learning). */
    ANY;

    /** The config's word: {@code known} or {@code any}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The mode named {@code text} ({@code known} or {@code any}).
     *
     * @throws IllegalArgumentException for anything else, saying what is allowed
     */
    public static AcceptFrom parse(String text) {
        for (AcceptFrom a : values()) {
            if (a.label().equals(text)) {
                return a;
            }
        }
        throw new IllegalArgumentException("acceptFrom must be known (VTEPs in the flood list or from the control "
            + "plane) or any (every sender, learned from traffic), got '" + text + "'");
    }
}
