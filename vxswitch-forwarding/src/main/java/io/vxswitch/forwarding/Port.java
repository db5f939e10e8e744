package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterLane;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.counters.CounterValues;
import io.vxswitch.forwarding.policy.PortShaping;
import io.vxswitch.forwarding.policy.TrafficShapingPolicy;
import io.vxswitch.forwarding.shaping.PortShaper;
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
    /** The port's counters, a row per forwarding lane, so that lanes never write the same counter. */
    private final CounterSet counters;
    private final CounterLane[] lanes;
    /** The counters' place in the switch's registry, given up when the port is removed. */
    CounterRegistry.Registration registration;
    PortGroup portGroup;
    final long configuredMac;
    long effectiveMac;
    boolean up = true;
    /** The destination of a mirror session: it takes mirror copies only, and what it sends is dropped. */
    boolean mirrorDestination;
    /**
     * Up and not a mirror destination: what the pipeline tests to let a frame in or a copy out, so that a dedicated
     * mirror port costs the data path nothing beside the link-state test it makes anyway.
     */
    boolean forwards = true;
    /**
     * Traffic shaping of what the port sends into the switch and of what the switch sends out of it: a shaper per
     * forwarding lane, each written only by its lane; null when the port group does not shape that direction, so a
     * port without shaping costs the data path one null check.
     */
    PortShaper[] ingressShapers;
    PortShaper[] egressShapers;

    Port(int id, String name, PortKind kind, PortGroup portGroup, long mac, int laneCount) {
        this.counters = PortCounters.newSet(laneCount);
        this.lanes = new CounterLane[laneCount];
        for (int i = 0; i < laneCount; i++) {
            lanes[i] = counters.writer(i);
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

    /** True if the port is a mirror session's destination (a mirror-only port: no normal forwarding). */
    public boolean mirrorDestination() {
        return mirrorDestination;
    }

    void setUp(boolean up) {
        this.up = up;
        this.forwards = up && !mirrorDestination;
    }

    void setMirrorDestination(boolean destination) {
        this.mirrorDestination = destination;
        this.forwards = up && !destination;
    }

    /** How the counter registry names this port. */
    public CounterInstance counterInstance() {
        return CounterInstance.port(name, kind.label());
    }

    /**
     * The switch's own counters of this port, every lane's added up now (its devices' are in the registry:
     * {@link Switch#counters}).
     */
    public CounterValues counters() {
        return CounterValues.of(counters, 0, counterInstance());
    }

    /** New shapers, buckets full, for the port group's shaping; while no lane forwards (a configuration change). */
    void applyShaping(PortShaping shaping) {
        ingressShapers = shapers(shaping.ingress(), lanes.length);
        egressShapers = shapers(shaping.egress(), lanes.length);
    }

    private static PortShaper[] shapers(TrafficShapingPolicy policy, int laneCount) {
        if (policy == null) {
            return null;
        }
        PortShaper[] s = new PortShaper[laneCount];
        for (int i = 0; i < laneCount; i++) {
            s[i] = PortShaper.forLane(policy, laneCount);
        }
        return s;
    }

    /** Lane {@code lane}'s ingress shaper, or null: for tests and views, while no lane forwards. */
    public PortShaper ingressShaper(int lane) {
        return ingressShapers == null ? null : ingressShapers[lane];
    }

    /** Lane {@code lane}'s egress shaper, or null: for tests and views, while no lane forwards. */
    public PortShaper egressShaper(int lane) {
        return egressShapers == null ? null : egressShapers[lane];
    }

    CounterSet counterSet() {
        return counters;
    }

    /** The row lane {@code lane} counts into. */
    CounterLane counters(int lane) {
        return lanes[lane];
    }

    @Override
    public String toString() {
        return name + " (" + kind.label() + ", port group " + portGroup.name()
            + (configuredMac == NO_MAC ? "" : ", " + MacAddress.format(configuredMac)) + ")";
    }
}
