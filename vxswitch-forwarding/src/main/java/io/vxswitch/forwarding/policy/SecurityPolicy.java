package io.vxswitch.forwarding.policy;

/**
 * The VDS security policy of a port group. All three are Reject by default, as on a vSphere Distributed
 * Switch (DVSSecurityPolicy: allowPromiscuous, macChanges, forgedTransmits).
 *
 * @param allowPromiscuous the port receives a copy of every frame in its VLAN
 * @param macChanges       accept inbound frames even when the vNIC's effective MAC differs from its configured MAC
 * @param forgedTransmits  accept outbound frames whose source MAC differs from the vNIC's effective MAC
 */
public record SecurityPolicy(boolean allowPromiscuous, boolean macChanges, boolean forgedTransmits) {
    public static final SecurityPolicy VDS_DEFAULT = new SecurityPolicy(false, false, false);

    public SecurityPolicy withPromiscuous(boolean accept) {
        return new SecurityPolicy(accept, macChanges, forgedTransmits);
    }

    public SecurityPolicy withMacChanges(boolean accept) {
        return new SecurityPolicy(allowPromiscuous, accept, forgedTransmits);
    }

    public SecurityPolicy withForgedTransmits(boolean accept) {
        return new SecurityPolicy(allowPromiscuous, macChanges, accept);
    }

    @Override
    public String toString() {
        return "promiscuous " + word(allowPromiscuous) + ", MAC changes " + word(macChanges)
            + ", forged transmits " + word(forgedTransmits);
    }

    private static String word(boolean accept) {
        return accept ? "accept" : "reject";
    }
}
