package io.vxswitch.forwarding.mirror;

import java.util.Locale;

/**
 * Which of a source's frames a mirror session copies, as a VDS session's "traffic direction" and Open vSwitch's
 * {@code select_src_port} / {@code select_dst_port} say it.
 */
public enum MirrorDirection {
    /** What a source port sends into the switch (or what enters the switch in a source VLAN). */
    INGRESS,
    /** What the switch sends out of a source port (or forwards in a source VLAN). */
    EGRESS,
    /** Both; a frame that is both is copied once. */
    BOTH;

    public boolean ingress() {
        return this != EGRESS;
    }

    public boolean egress() {
        return this != INGRESS;
    }

    /** How config, the API and the CLI write it. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code ingress}, {@code egress} or {@code both}; the error says which are allowed. */
    public static MirrorDirection parse(String text) {
        for (MirrorDirection d : values()) {
            if (d.label().equals(text)) {
                return d;
            }
        }
        throw new IllegalArgumentException("mirror direction '" + text + "': write ingress, egress or both");
    }
}
