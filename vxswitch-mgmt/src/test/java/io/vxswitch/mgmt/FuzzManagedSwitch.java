package io.vxswitch.mgmt;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;

import java.util.List;
import java.util.function.Function;

/**
 * The switch behind the API fuzz target: rebuilt for every input ({@link #reset}), so that an input's requests meet
 * the same switch each time it runs, however many inputs ran before. Small: an FDB of {@link #FDB_CAPACITY} entries,
 * so a few requests fill it. vm1 and vm2 (VLAN 119), a learning port, an uplink, tunnel vx119 (VNI 119, flood list
 * 192.0.2.2, local 192.0.2.1). Requests run on the HTTP thread that serves them: the daemon hands them to its switch
 * loop instead, which changes when they run, not what they do.
 */
final class FuzzManagedSwitch implements ManagedSwitch {
    static final int FDB_CAPACITY = 4;

    private volatile Switch sw;
    private volatile List<TunnelInfo> tunnels;
    private volatile boolean evpn;

    FuzzManagedSwitch() {
        reset(false);
    }

    void reset(boolean withEvpn) {
        Switch s = new Switch(SwitchOptions.defaults("fuzz").withMaxPorts(8).withFdbCapacity(FDB_CAPACITY));
        s.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        s.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        s.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        s.addPortGroup(new PortGroupPolicy("tunnel-vx119", VlanPolicy.trunk(List.of(new VlanRange(119, 119)), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        s.addUplink("uplink1", "uplinks");
        s.addVnicPort("vm1", "vlan119", MacAddress.parseBits("00:50:56:00:00:01"));
        s.addVnicPort("vm2", "vlan119", MacAddress.parseBits("00:50:56:00:00:02"));
        s.addVnicPort("nested", "nested", MacAddress.parseBits("00:50:56:00:00:09"));
        s.addTunnelPort("vx119", "tunnel-vx119");
        VniMap vnis = VniMap.of(119, 119);
        RemoteVteps remotes = new RemoteVteps(4);
        FloodList flood = new FloodList(remotes);
        flood.add(119, VtepAddress.parse("192.0.2.2"));
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(s, "vx119", vnis, remotes, flood,
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters);
        remotes.serve(s);
        tunnels = List.of(new TunnelInfo("vx119", vtep, "192.0.2.1", 4789));
        evpn = withEvpn;
        sw = s;
    }

    @Override
    public boolean evpnEnabled() {
        return evpn;
    }

    @Override
    public String name() {
        return "fuzz";
    }

    @Override
    public synchronized <T> T call(Function<Switch, T> function) {
        return function.apply(sw);
    }

    @Override
    public List<TunnelInfo> tunnels() {
        return tunnels;
    }

    @Override
    public CaptureSession capture(String port, int snaplen) {
        throw new ApiException(501, "no captures in the fuzz target");
    }

    @Override
    public String addPort(String description) {
        throw new ApiException(501, "adding ports needs the daemon: DaemonConfigFuzzTest fuzzes its parser");
    }

    @Override
    public String removePort(String name) {
        throw new ApiException(501, "removing ports needs the daemon");
    }

    @Override
    public List<String> reloadConfig() {
        throw new ApiException(501, "reloading needs the daemon: DaemonConfigFuzzTest fuzzes its parser");
    }
}
