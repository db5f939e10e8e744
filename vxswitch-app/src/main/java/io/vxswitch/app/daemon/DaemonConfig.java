package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.mgmt.ApiOptions;

import java.util.List;

/**
 * A host switch as {@code vxswitch run --config FILE} describes it: validated, immutable. {@code api} is null when
 * the config turns the management API off. {@code loops} is how many forwarding loops drive the ports
 * ({@code switch.loops}): more than one reads a queue of every tap and a tunnel socket each. {@code evpn} is null
 * without an {@code evpn} section.
 */
public record DaemonConfig(String name, int fdbCapacity, boolean reversePathCheckPromisc, Dataplane.Threads threads,
                           int loops, LoopPlacement placement, MacMoveGuard.Options macMove,
                           List<PortGroupPolicy> portGroups, List<PortConfig> ports, List<TunnelConfig> tunnels,
                           ApiOptions api, EvpnSection evpn) {
    public DaemonConfig {
        portGroups = List.copyOf(portGroups);
        ports = List.copyOf(ports);
        tunnels = List.copyOf(tunnels);
    }
}
