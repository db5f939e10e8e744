package io.vxswitch.forwarding;

import io.vxswitch.packet.MacAddress;

/**
 * One port of a host switch: a vNIC, an uplink or a tunnel port (the switch side of a VTEP), a member of one port
 * group. Changed only through {@link Switch}, which owns it; the forwarding lanes read it.
 */
public final class Port {
    /** The MAC of uplinks, tunnel ports and vNICs whose MAC the switch is not told; no frame carries it. */
    public static final long NO_MAC = -1;

    private final int id;
    private final String name;
    private final PortKind kind;
    /** One set per forwarding lane, so that lanes never write the same counter. */
    private final PortCounters[] lanes;
    PortGroup portGroup;
    final long configuredMac;
    long effectiveMac;
    boolean up = true;

    Port(int id, String name, PortKind kind, PortGroup portGroup, long mac, int laneCount) {
        this.lanes = new PortCounters[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = new PortCounters();
        }
        this.id = id;
        this.name = name;
        this.kind = kind;
        this.portGroup = portGroup;
        this.configuredMac = mac;
        this.effectiveMac = mac;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    public PortKind kind() {
        return kind;
    }

    public boolean isUplink() {
        return kind == PortKind.UPLINK;
    }

    public boolean isVnic() {
        return kind == PortKind.VNIC;
    }

    public boolean isTunnel() {
        return kind == PortKind.TUNNEL;
    }

    public PortGroup portGroup() {
        return portGroup;
    }

    /** The MAC the vNIC was added with (a VM's .vmx), or {@link #NO_MAC}. */
    public long configuredMac() {
        return configuredMac;
    }

    /**
     * The MAC the guest OS uses now (set by {@link Switch#setEffectiveMac}), or {@link #NO_MAC}: the source MAC
     * that forged transmits checks, and the MAC the FDB knows this vNIC by.
     */
    public long effectiveMac() {
        return effectiveMac;
    }

    public boolean up() {
        return up;
    }

    /**
     * The port's counters: with one forwarding lane its live set, with several a new sum of the lanes' sets.
     */
    public PortCounters counters() {
        if (lanes.length == 1) {
            return lanes[0];
        }
        PortCounters sum = new PortCounters();
        for (PortCounters c : lanes) {
            sum.add(c);
        }
        return sum;
    }

    /** The set lane {@code lane} writes. */
    PortCounters counters(int lane) {
        return lanes[lane];
    }

    @Override
    public String toString() {
        return name + " (" + kind.label() + ", port group " + portGroup.name()
            + (configuredMac == NO_MAC ? "" : ", " + MacAddress.format(configuredMac)) + ")";
    }
}
