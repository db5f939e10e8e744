package io.vxswitch.vxlan;

/** How a VNI's BUM traffic (broadcast, unknown unicast, multicast) reaches the other VTEPs. */
public enum FloodMode {
    /** Nowhere yet: no peer and no group configured for the VNI. */
    NONE,
    /** One unicast copy to each remote VTEP of a static flood list (head-end / ingress replication). */
    HEAD_END_REPLICATION,
    /** One copy to an underlay multicast group that every VTEP of the VNI joined (RFC 7348 §4.2). */
    MULTICAST
}
