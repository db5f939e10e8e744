package io.vxswitch.mgmt;

import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.DeviceCounter;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A switch owned by one thread, as the daemon's switch loop owns its switch: vm1 and vm2 (vNICs with their MACs) in
 * VLAN 119, a "nested" port that learns, an uplink, and a tunnel vx119 (VNI 119, flood list 192.0.2.2). {@link #send} injects frames on the owner thread.
 */
final class TestSwitch implements ManagedSwitch, AutoCloseable {
    static final long VM1 = MacAddress.parseBits("00:50:56:00:00:01");
    static final long VM2 = MacAddress.parseBits("00:50:56:00:00:02");
    static final long NESTED_VM = MacAddress.parseBits("52:54:00:00:00:03");

    private final ExecutorService owner = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-switch-loop"));
    private final Switch sw;
    private final ForwardingDecision decision;
    private final List<TunnelInfo> tunnels;
    /** What flow export reports; null: no ipfix block. */
    volatile io.vxswitch.ipfix.IpfixStatus ipfix;

    TestSwitch() {
        sw = new Switch(SwitchOptions.defaults("esxi-test").withMaxPorts(16));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("uplinks", VlanPolicy.trunkAll()));
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119),
            SecurityPolicy.VDS_DEFAULT.withForgedTransmits(true), MacLearningPolicy.ENABLED));
        sw.addUplink("uplink1", "uplinks");
        sw.addVnicPort("vm1", "vlan119", VM1);
        sw.addVnicPort("vm2", "vlan119", VM2);
        sw.addVnicPort("nested", "nested", MacAddress.parseBits("00:50:56:00:00:09"));
        sw.addPortGroup(new PortGroupPolicy("tunnel-vx119", VlanPolicy.trunk(List.of(new VlanRange(119, 119)), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        sw.addTunnelPort("vx119", "tunnel-vx119");
        VniMap vnis = VniMap.of(119, 119);
        RemoteVteps remotes = new RemoteVteps(16);
        FloodList flood = new FloodList(remotes);
        flood.add(119, VtepAddress.parse("192.0.2.2"));
        VxlanCounters counters = new VxlanCounters();
        Vtep vtep = new Vtep(sw, "vx119", vnis, remotes, flood,
            new VxlanDecapsulator(vnis, DecapOptions.defaults(), counters), counters);
        remotes.serve(sw);
        tunnels = List.of(new TunnelInfo("vx119", vtep, "192.0.2.1", 4789));
        decision = sw.newDecision();
        deviceCounts(sw, "vm2");
    }

    /**
     * What port {@code port}'s device would have counted, registered as the Linux dataplane registers a device's
     * counters: 3 copies dropped with the queue full, 1 refused, 2 frames read and refused, 2 super-frames cut into 90
     * segments, 5 coalesced from 40.
     */
    static void deviceCounts(Switch sw, String port) {
        CounterSet device = CounterSet.single(List.of(DeviceCounter.values()));
        sw.counters().register(device, sw.port(port).counterInstance());
        long[] counts = {3, 1, 2, 2, 90, 5, 40, 0}; // no guest broke its rings
        for (DeviceCounter c : DeviceCounter.values()) {
            device.writer(0).add(device.slot(c), counts[c.ordinal()]);
        }
    }

    /** Forwards an ICMP echo from {@code src} to {@code dst} received on {@code port}, on the owner thread. */
    void send(String port, long src, long dst) {
        call(s -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment f = arena.allocate(128);
                int n = FrameBuilder.icmpEcho(f, 0, src, dst, 0xC0000201, 0xC0000202, true, 1, 1);
                s.forward(s.port(port).id(), f, 0, n, System.nanoTime(), decision);
            }
            return null;
        });
    }

    /** What the LACP agent reports; empty: no LAGs. */
    volatile List<io.vxswitch.forwarding.lacp.LagStatus> lags = List.of();

    /**
     * The uplink as a LAG in sync with an Open vSwitch bond on member eth1, eth2's partner silent (expired), as
     * {@code ovs-appctl lacp/show} would show the far end.
     */
    static io.vxswitch.forwarding.lacp.LagStatus lag() {
        var ovs = new io.vxswitch.forwarding.lacp.LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 65535, 1, 0x3f);
        var us = new io.vxswitch.forwarding.lacp.LacpPortInfo(32768, 0x6e0e_4248_fb13L, 2, 32768, 1, 0x3f);
        var eth1 = new io.vxswitch.forwarding.lacp.LagStatus.Member("eth1", true, "current", "collecting/distributing",
            true, false, true, us, ovs, 40, 41, 0, 0, 0, 0, 0, 3, 0, 0, 1000, 150_000, 900, 120_000);
        var eth2 = new io.vxswitch.forwarding.lacp.LagStatus.Member("eth2", true, "expired", "attached", true, false,
            false, new io.vxswitch.forwarding.lacp.LacpPortInfo(32768, 0x6e0e_4248_fb13L, 2, 32768, 2, 0x8f),
            new io.vxswitch.forwarding.lacp.LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 65535, 2, 0x37),
            30, 35, 2, 0, 0, 1, 0, 0, 1, 0, 500, 60_000, 450, 50_000);
        return new io.vxswitch.forwarding.lacp.LagStatus("uplink1", "active", "fast", "l3l4", 32768,
            "6e:0e:42:48:fb:13", 2, new io.vxswitch.forwarding.lacp.LacpPortInfo(65534, 0xaeb0_f818_b943L, 1, 0, 0, 0),
            1, List.of(eth1, eth2));
    }

    @Override
    public List<io.vxswitch.forwarding.lacp.LagStatus> lags() {
        return lags;
    }

    /** Whether it plays a switch with the BGP-EVPN control plane, whose views are the samples below. */
    volatile boolean evpn;

    /** Two route reflectors: one up for an hour, one never reached. */
    static final List<NeighborView> NEIGHBORS = List.of(
        new NeighborView("192.0.2.11", 65000, "Established", 3723, 3, 2, 42, 40, 5, 3, 1, "", ""),
        new NeighborView("192.0.2.12", 65000, "Active", 0, 0, 0, 0, 0, 0, 0, 0,
            "connect failed: Connection refused", ""));

    /** VNI 119: this switch's VTEP and a MAC of vm1, a remote VTEP and a MAC that moved there once; VNI 120: a VTEP. */
    static final List<RouteView> ROUTES = List.of(
        new RouteView(2, 119, "192.0.2.1:119", "[2]:[0]:[48]:[00:50:56:00:00:01]", "192.0.2.1",
            List.of("RT:65000:119", "ET:8"), -1, "local"),
        new RouteView(3, 119, "192.0.2.1:119", "[3]:[0]:[32]:[192.0.2.1]", "192.0.2.1",
            List.of("RT:65000:119", "ET:8"), -1, "local"),
        new RouteView(2, 119, "192.0.2.2:119", "[2]:[0]:[48]:[52:54:00:00:00:07]:[32]:[10.0.0.7]", "192.0.2.2",
            List.of("RT:65000:119"), 1, "192.0.2.11"),
        new RouteView(3, 119, "192.0.2.2:119", "[3]:[0]:[32]:[192.0.2.2]", "192.0.2.2", List.of("RT:65000:119"), -1,
            "192.0.2.11"),
        new RouteView(3, 120, "192.0.2.2:120", "[3]:[0]:[32]:[192.0.2.2]", "192.0.2.2", List.of("RT:65000:120"), -1,
            "192.0.2.11"));

    @Override
    public boolean evpnEnabled() {
        return evpn;
    }

    /** The threads the control plane's views were asked on: the daemon answers them on the speaker's, not the loop. */
    final java.util.Set<String> evpnAskedOn = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Override
    public List<NeighborView> bgpNeighbors() {
        evpnAskedOn.add(Thread.currentThread().getName());
        return evpn ? NEIGHBORS : List.of();
    }

    @Override
    public List<RouteView> evpnRoutes() {
        evpnAskedOn.add(Thread.currentThread().getName());
        return evpn ? ROUTES : List.of();
    }

    @Override
    public String name() {
        return sw.name();
    }

    @Override
    public <T> T call(Function<Switch, T> function) {
        try {
            return owner.submit(() -> function.apply(sw)).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "interrupted");
        }
    }

    @Override
    public List<TunnelInfo> tunnels() {
        return tunnels;
    }

    @Override
    public String addPort(String description) {
        throw new ApiException(501, "adding ports needs the daemon (ManagementIT)");
    }

    /** As the daemon's, without the drop-in that keeps a session for a restart (MirrorIT runs the daemon's). */
    @Override
    public String addMirror(String description) {
        io.vxswitch.forwarding.mirror.MirrorSession m;
        try {
            m = io.vxswitch.config.MirrorParser.session(io.vxswitch.config.YamlDocument.parse("request body",
                description, "a mirror session"));
        } catch (io.vxswitch.config.ConfigException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        return call(s -> {
            try {
                return "added mirror " + s.addMirror(m).name();
            } catch (IllegalArgumentException e) {
                throw new ApiException(409, e.getMessage());
            }
        });
    }

    @Override
    public String removeMirror(String name) {
        return call(s -> {
            if (s.mirror(name) == null) {
                throw ApiException.notFound("no mirror session '" + name + "'");
            }
            s.removeMirror(name);
            return "removed mirror session " + name;
        });
    }

    @Override
    public String removePort(String name) {
        throw new ApiException(501, "removing ports needs the daemon (ManagementIT)");
    }

    @Override
    public List<String> reloadConfig() {
        throw new ApiException(501, "reloading needs the daemon (ManagementIT)");
    }

    /** Frames "captured" on any port: the test puts them here, the session hands them out. */
    final java.util.concurrent.BlockingQueue<byte[]> captured = new java.util.concurrent.LinkedBlockingQueue<>();
    volatile boolean captureClosed;

    @Override
    public CaptureSession capture(String port, int snaplen) {
        call(s -> SwitchRoutes.requirePort(s, port));
        return new CaptureSession() {
            @Override
            public Frame next(byte[] buffer) {
                byte[] f = captured.poll();
                if (f == null) {
                    return null;
                }
                int keep = Math.min(f.length, snaplen);
                System.arraycopy(f, 0, buffer, 0, keep);
                return new Frame(1_700_000_000_123_456_789L, keep, f.length);
            }

            @Override
            public long dropped() {
                return 0;
            }

            @Override
            public boolean ended() {
                return false;
            }

            @Override
            public void close() {
                captureClosed = true;
            }
        };
    }

    @Override
    public void close() {
        owner.shutdownNow();
    }

    @Override
    public io.vxswitch.ipfix.IpfixStatus ipfix() {
        return ipfix;
    }
}
