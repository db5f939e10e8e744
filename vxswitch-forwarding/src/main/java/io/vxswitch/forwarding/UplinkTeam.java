package io.vxswitch.forwarding;

/**
 * The uplinks of a host switch as one NIC team with the VDS default load balancing, "route based on
 * originating virtual port": each vNIC port is pinned to one active uplink, chosen by its port id.
 *
 * <p>Pinning matters twice: a vNIC's outbound unknown-unicast and BUM frames leave by its uplink only,
 * and a frame flooded in by the physical switch is accepted only from the uplink a vNIC is pinned to,
 * which is how a team without a port channel avoids delivering each broadcast once per uplink.
 */
final class UplinkTeam {
    private final int[] active;
    private int activeCount;

    UplinkTeam(int maxPorts) {
        active = new int[maxPorts];
    }

    /** Rebuilds the list of active uplinks, in port id order, after a port change. */
    void rebuild(Port[] ports, int portScanEnd) {
        activeCount = 0;
        for (int i = 0; i < portScanEnd; i++) {
            Port p = ports[i];
            if (p != null && p.isUplink() && p.up) {
                active[activeCount++] = i;
            }
        }
    }

    int size() {
        return activeCount;
    }

    /** The uplink a vNIC port is pinned to, or -1 if no uplink is up. */
    int pinnedUplink(int vnicPort) {
        return activeCount == 0 ? -1 : active[vnicPort % activeCount];
    }
}
