package io.vxswitch.lab.node;

import java.util.List;

/**
 * One VXLAN segment of a VTEP host: VNI {@code vni} carries VLAN {@code vlan} of its switch, and broadcast,
 * unknown unicast and multicast frames go to each VTEP of {@code floodList} (head-end replication).
 *
 * @param floodList IPv4 addresses of the remote VTEPs
 */
public record VniBinding(int vni, int vlan, List<Integer> floodList) {
    public VniBinding {
        floodList = List.copyOf(floodList);
    }
}
