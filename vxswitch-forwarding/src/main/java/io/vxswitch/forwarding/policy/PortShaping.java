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

    @Override
    public String toString() {
        if (!any()) {
            return "shaping off";
        }
        return "shaping ingress " + (ingress == null ? "off" : ingress) + "; egress " + (egress == null ? "off" : egress);
    }
}
