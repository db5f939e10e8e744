package io.vxswitch.bgp.message;

import java.net.InetAddress;

/**
 * The PMSI Tunnel attribute (RFC 6514 §5) of a type-3 route. For EVPN over VXLAN (RFC 8365 §5.1.3) the tunnel type
 * is 6, ingress replication, the label is the VNI and the tunnel identifier the originating VTEP's address. Other
 * tunnel types (multicast trees) are decoded with a null {@code endpoint}: vxswitch floods by ingress replication only.
 */
public record PmsiTunnel(int flags, int tunnelType, int label, InetAddress endpoint) {
    public static final int INGRESS_REPLICATION = 6;

    public static PmsiTunnel ingressReplication(int vni, InetAddress vtep) {
        return new PmsiTunnel(0, INGRESS_REPLICATION, vni, vtep);
    }

    @Override
    public String toString() {
        return "pmsi " + (tunnelType == INGRESS_REPLICATION ? "ingress-repl" : "type " + tunnelType) + " label "
                + label + (endpoint == null ? "" : " tunnel-id " + io.vxswitch.bgp.evpn.Addresses.format(endpoint));
    }
}
