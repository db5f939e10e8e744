package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.mgmt.ApiOptions;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A host switch as {@code vxswitch run --config FILE} describes it: validated, immutable. {@code api} is null when
 * the config turns the management API off. {@code loops} is how many forwarding loops drive the ports
 * ({@code switch.loops}): more than one reads a queue of every tap and a tunnel socket each. {@code evpn} is null
 * without an {@code evpn} section, {@code ipfix} without an {@code ipfix} block (no flow export). {@code runtimePorts}
 * names the ports that came from the drop-in file of ports added at run time ({@link RuntimePorts}), after the
 * config's own in {@code ports}. {@code mirrors} are the port mirroring sessions, the config's then those added at run
 * time ({@link RuntimeMirrors}), which {@code runtimeMirrors} names.
 */
public record DaemonConfig(String name, int fdbCapacity, boolean reversePathCheckPromisc, Dataplane.Threads threads,
                           int loops, LoopPlacement placement, MacMoveGuard.Options macMove,
                           List<PortGroupPolicy> portGroups, List<PortConfig> ports, List<TunnelConfig> tunnels,
                           ApiOptions api, EvpnSection evpn, IpfixOptions ipfix, Set<String> runtimePorts,
                           List<MirrorSession> mirrors, Set<String> runtimeMirrors) {
    public DaemonConfig {
        mirrors = List.copyOf(mirrors);
        runtimeMirrors = Set.copyOf(runtimeMirrors);
        portGroups = List.copyOf(portGroups);
        ports = List.copyOf(ports);
        tunnels = List.copyOf(tunnels);
        runtimePorts = Set.copyOf(runtimePorts);
    }

    /** This config with {@code added} (ports added at run time, from the drop-in) after its own ports. */
    DaemonConfig withRuntimePorts(List<PortConfig> added) {
        List<PortConfig> all = new ArrayList<>(ports);
        all.addAll(added);
        Set<String> names = new LinkedHashSet<>(runtimePorts);
        added.forEach(p -> names.add(p.name()));
        return new DaemonConfig(name, fdbCapacity, reversePathCheckPromisc, threads, loops, placement, macMove,
            portGroups, all, tunnels, api, evpn, ipfix, names, mirrors, runtimeMirrors);
    }

    /** This config with {@code added} (mirror sessions added at run time, from their drop-in) after its own. */
    DaemonConfig withRuntimeMirrors(List<MirrorSession> added) {
        List<MirrorSession> all = new ArrayList<>(mirrors);
        all.addAll(added);
        Set<String> names = new LinkedHashSet<>(runtimeMirrors);
        added.forEach(m -> names.add(m.name()));
        return new DaemonConfig(name, fdbCapacity, reversePathCheckPromisc, threads, loops, placement, macMove,
            portGroups, ports, tunnels, api, evpn, ipfix, runtimePorts, all, names);
    }
}
