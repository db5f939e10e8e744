package io.vxswitch.forwarding.policy;

/**
 * A port group's traffic shaping, each direction seen from the switch as vSphere sees it: {@code ingress} is what a
 * port sends into the switch (a VM's transmit), {@code egress} what the switch sends out of it (the VM's receive).
 * Either may be null: that direction is not shaped. Each port of the group gets its own buckets, as on a VDS.
 */
public record PortShaping(TrafficShapingPolicy ingress, TrafficShapingPolicy egress) {
    public static final PortShaping NONE = new PortShaping(null, null);

    public boolean any() {
        return ingress != null || egress != null;
    }

    /** {@code in 50mbit/100mbit/64k, out -} (average/peak/burst each way), or null without shaping: for listings. */
    public String brief() {
        return any() ? "in " + brief(ingress) + ", out " + brief(egress) : null;
    }

    private static String brief(TrafficShapingPolicy p) {
        return p == null ? "-" : TrafficShapingPolicy.bits(p.averageBandwidth()) + "/"
            + TrafficShapingPolicy.bits(p.peakBandwidth()) + "/" + TrafficShapingPolicy.bytes(p.burstSize());
    }

    @Override
    public String toString() {
        if (!any()) {
            return "shaping off";
        }
        return "shaping ingress " + (ingress == null ? "off" : ingress) + "; egress " + (egress == null ? "off" : egress);
    }
}
