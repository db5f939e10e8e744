package io.vxswitch.app.daemon;

import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.ipfix.IpfixStatus;
import io.vxswitch.linux.InterfaceControl;
import io.vxswitch.linux.LinuxException;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.dataplane.ErspanSender;
import io.vxswitch.linux.dataplane.LagPort;
import io.vxswitch.linux.dataplane.PortDevice;
import io.vxswitch.linux.dataplane.TapPort;
import io.vxswitch.linux.dataplane.TapReadMode;
import io.vxswitch.linux.dataplane.TunnelPort;
import io.vxswitch.linux.dataplane.VhostUserPort;
import io.vxswitch.linux.lacp.LacpAgent;
import io.vxswitch.linux.udp.IpAddress;
import io.vxswitch.linux.udp.UdpSocketPool;
import io.vxswitch.mgmt.ManagedSwitch;
import io.vxswitch.mgmt.TunnelInfo;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.vxlan.AcceptFrom;
import io.vxswitch.vxlan.DecapOptions;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.MtuCheck;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VniMap;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;
import io.vxswitch.vxlan.VxlanCounters;
import io.vxswitch.vxlan.VxlanDecapsulator;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A running host switch: the {@link Switch} built from a {@link DaemonConfig}, its Linux devices, and the poll
 * loop thread that drives them. {@link #close} stops the loop and removes every device it created, so nothing
 * is left behind; a start that fails half way closes what it had opened.
 */
public final class HostSwitch implements AutoCloseable {
    /** Largest frame a port reads: a 9000-byte MTU plus Ethernet and two tags. */
    static final int MAX_FRAME = 9000 + 22;
    static final int REMOTE_VTEPS = 1024;
    static final int EVPN_REMOTE_VTEPS = 4096;

    private final Switch sw;
    private final Dataplane dataplane;
    private final List<String> summary;
    /** A line per mirror session, after the ports' (which {@link #summary} counts). */
    private List<String> mirrorSummary = List.of();
    private final LoopAccess access;
    private EvpnControl evpn;
    private FlowExport flowExport;

    private HostSwitch(Switch sw, Dataplane dataplane, List<String> summary, List<TunnelInfo> tunnels,
                       DaemonConfig config, Path configFile, Consumer<String> log) {
        this.sw = sw;
        this.dataplane = dataplane;
        this.summary = List.copyOf(summary);
        this.access = new LoopAccess(sw, dataplane, tunnels);
        access.reconfigurer(new Reconfigurer(access, dataplane, config, configFile, log));
    }

    /**
     * Builds the switch, opens every device, and starts the loops.
     *
     * @param configFile where {@code config} came from, read again by {@code vxswitch config reload}
     * @throws HostSwitchException a port or tunnel the host cannot open; the message says which and why
     */
    public static HostSwitch start(DaemonConfig config, Path configFile, Consumer<String> log) {
        int loops = config.loops();
        Switch sw = new Switch(new SwitchOptions(config.name(), config.fdbCapacity(), SwitchOptions.DEFAULT_MAX_PORTS,
            config.reversePathCheckPromisc(), new SecureRandom().nextLong(), loops));
        sw.setMacMoveGuard(config.macMove());
        for (PortGroupPolicy pg : config.portGroups()) {
            sw.addPortGroup(pg);
        }
        List<List<PortDevice>> opened = new ArrayList<>(); // per port, one device per loop
        java.util.Map<String, List<ErspanSender>> erspan = new java.util.LinkedHashMap<>(); // per ERSPAN session
        List<String> summary = new ArrayList<>();
        List<TunnelInfo> tunnels = new ArrayList<>();
        try {
            for (PortConfig p : config.ports()) {
                List<PortDevice> devices = openDevices(p, addToSwitch(sw, p), loops, config.placement().tapReads(),
                    log);
                opened.add(devices);
                summary.add(describe(sw, p, devices.get(0)) + queues(p, loops));
            }
            for (TunnelConfig t : config.tunnels()) {
                List<PortDevice> devices = openTunnel(sw, t, loops, log);
                opened.add(devices);
                List<Vtep> vteps = devices.stream().map(d -> ((TunnelPort) d).vtep()).toList();
                tunnels.add(new TunnelInfo(t.name(), vteps, t.local().toString(), t.port()));
                summary.add(String.format("port %-10s tunnel VNI %d <-> VLAN %d, local %s:%d, flood list %s, %s, %s",
                    t.name(), t.vni(), t.vlan(), t.local(), t.port(), t.remotes(), accepts(t), devices.get(0).describe())
                    + (loops > 1 ? ", a socket per loop (SO_REUSEPORT)" : ""));
            }
            for (MirrorSession m : config.mirrors()) {
                if (m.remote()) {
                    try {
                        erspan.put(m.name(), openErspan(m, loops));
                    } catch (LinuxException e) {
                        throw new HostSwitchException("mirror " + m.name() + ": " + e.getMessage(), e);
                    }
                }
            }
            List<String> mirrors = new ArrayList<>();
            for (MirrorSession m : config.mirrors()) {
                mirrors.add(addMirror(sw, m));
            }
            Dataplane dataplane = new Dataplane(sw, loops, config.threads(), config.placement().busyPoll(),
                config.placement().cpu(), log);
            for (List<PortDevice> devices : opened) {
                for (int i = 0; i < devices.size(); i++) {
                    dataplane.add(devices.get(i), i);
                }
            }
            for (var e : List.copyOf(erspan.entrySet())) {
                dataplane.attachErspan(sw.mirror(e.getKey()), e.getValue());
                erspan.remove(e.getKey()); // the dataplane's now: it closes them
            }
            HostSwitch hs = new HostSwitch(sw, dataplane, summary, tunnels, config, configFile, log);
            hs.mirrorSummary = List.copyOf(mirrors);
            dataplane.start();
            hs.access.lacp(startLacp(sw, config, opened, log));
            hs.flowExport = new FlowExport(hs.access, config.tunnels(), log);
            hs.access.flowExport(hs.flowExport);
            if (config.ipfix() != null) {
                try {
                    hs.flowExport.apply(config.ipfix());
                } catch (RuntimeException e) { // as an EVPN speaker that cannot start: the daemon exits
                    throw new HostSwitchException("ipfix: " + e.getMessage(), e);
                }
            }
            if (config.evpn() != null) {
                hs.evpn = EvpnControl.start(config, sw, dataplane, tunnels, log);
                hs.access.evpn(hs.evpn.speaker(), hs.evpn::rescanSoon);
            }
            return hs;
        } catch (RuntimeException e) {
            for (List<PortDevice> devices : opened) {
                devices.forEach(PortDevice::close);
            }
            erspan.values().forEach(ss -> ss.forEach(ErspanSender::close));
            throw e;
        }
    }

    /**
     * Opens an ERSPAN session's senders, one per forwarding loop, each with its GRE socket connected to the collector:
     * off the switch loop, before the session is added.
     *
     * @throws LinuxException the host refused (no route to the collector, no CAP_NET_RAW, a local address it lacks)
     */
    static List<ErspanSender> openErspan(MirrorSession m, int loops) {
        return ErspanSender.open(m.erspan(), loops, MAX_FRAME + 64);
    }

    /**
     * Adds a session to the switch and an ERSPAN session's senders to the loops, in one command on the switch loop;
     * returns its line. The senders are closed if it fails.
     */
    static String addMirror(Switch sw, Dataplane dataplane, MirrorSession m, List<ErspanSender> senders) {
        Mirror added;
        try {
            added = sw.addMirror(m);
        } catch (RuntimeException e) {
            if (senders != null) {
                senders.forEach(ErspanSender::close);
            }
            throw e;
        }
        if (added.remote()) {
            try {
                dataplane.attachErspan(added, senders);
            } catch (RuntimeException e) {
                sw.removeMirror(m.name());
                senders.forEach(ErspanSender::close);
                throw e;
            }
        }
        return describe(added);
    }

    /** Removes a session from the switch and an ERSPAN session's senders from the loops; on the switch loop. */
    static void removeMirror(Switch sw, Dataplane dataplane, String name) {
        Mirror m = sw.mirror(name);
        if (m != null && m.remote() && dataplane != null) {
            dataplane.detachErspan(m);
        }
        sw.removeMirror(name);
    }

    /**
     * Starts the LACP agent for the config's LAGs, or returns null without any. A LAG's system id is its first
     * member's MAC unless configured (unique to this host, as a Linux bond's), its key its switch port id + 1.
     */
    private static LacpAgent startLacp(Switch sw, DaemonConfig config, List<List<PortDevice>> opened,
                                       Consumer<String> log) {
        List<LacpAgent.Lag> lags = new ArrayList<>();
        for (int i = 0; i < config.ports().size(); i++) {
            PortConfig p = config.ports().get(i);
            if (p.type() != PortConfig.Type.LAG) {
                continue;
            }
            lags.add(lag(p, opened.get(i), log));
        }
        if (lags.isEmpty()) {
            return null;
        }
        try {
            return LacpAgent.start(sw, lags, System::nanoTime, log);
        } catch (LinuxException e) {
            throw new HostSwitchException("lacp: " + e.getMessage(), e);
        }
    }

    /**
     * LAG port {@code p} as the LACP agent runs it, from its devices (one {@link LagPort} per loop): the system id its
     * first member's MAC unless configured, the key its switch port id + 1 unless configured. Says so in the log.
     *
     * @throws LinuxException the first member has no MAC to read (it does not exist)
     */
    static LacpAgent.Lag lag(PortConfig p, List<PortDevice> devices, Consumer<String> log) {
        List<LagPort> ports = devices.stream().map(d -> (LagPort) d).toList();
        LagOptions options = resolved(p, ports.getFirst().switchPort());
        log.accept("lag " + p.name() + ": system " + MacAddress.format(options.systemId()) + " priority "
            + options.systemPriority() + ", key " + options.key() + ", members " + String.join(", ",
            options.members()) + " (" + options.brief() + ")");
        return new LacpAgent.Lag(options, ports);
    }

    /** {@code p}'s LAG options with the system id and key resolved for switch port {@code switchPort}. */
    static LagOptions resolved(PortConfig p, int switchPort) {
        return p.lag().resolved(InterfaceControl.macAddress(p.lag().members().getFirst()), switchPort + 1);
    }

    /** Whose VXLAN the tunnel takes, for its start-up line. */
    static String accepts(TunnelConfig t) {
        if (t.acceptFrom() == AcceptFrom.ANY) {
            return "accepts VXLAN from any sender (acceptFrom: any)";
        }
        return t.evpn() != null ? "accepts VXLAN from its remotes and EVPN's VTEPs"
            : t.remotes().isEmpty() ? "accepts VXLAN from no one until a VTEP joins its flood list (acceptFrom: known)"
            : "accepts VXLAN from its remotes only";
    }

    private static String queues(PortConfig p, int loops) {
        return loops <= 1 ? "" : ", " + loops + (p.type() == PortConfig.Type.VHOSTUSER ? " queue pairs" : " queues");
    }

    /** The start-up line of a port: what it is in the switch and on the host. */
    static String describe(Switch sw, PortConfig p, PortDevice device) {
        Port port = sw.port(device.switchPort());
        String shaping = port.portGroup().policy().shaping().brief();
        return String.format("port %-10s %-6s %-8s port group %s (%s%s)%s", p.name(), port.kind().label(),
            p.type().label(), p.portGroup(), port.portGroup().policy().vlan(), shaping == null ? "" : "; shaping " + shaping,
            p.mac() == Port.NO_MAC ? "" : ", MAC " + MacAddress.format(p.mac())) + " on " + device.describe()
            + (device instanceof TapPort t && t.tap().options().offloads() != 0
                ? " (offload: " + t.tap().options().offloadNames() + ")" : "")
            + (device instanceof VhostUserPort v && v.offloads() ? " (offered: csum, tso, uso)" : "")
            + (device instanceof TapPort t ? reads(t) : "");
    }

    /** How a tap is read, where it is not the plain {@code read(2)} that {@code tapReads: read} asks for. */
    private static String reads(TapPort t) {
        if (t.readsThroughIoUring()) {
            return " (io_uring reads)";
        }
        LinuxException e = t.ringRefusal();
        return e == null ? "" : " (read(2) reads: io_uring refused [" + e.syscall() + ": " + e.errnoName() + "])";
    }

    /** Adds a mirror session to the switch (on the switch loop once it runs); returns its start-up line. */
    static String addMirror(Switch sw, MirrorSession m) {
        try {
            return describe(sw.addMirror(m));
        } catch (IllegalArgumentException e) {
            throw new HostSwitchException(e.getMessage());
        }
    }

    /** A session's line: what it copies, where, and whether it runs. */
    static String describe(Mirror m) {
        MirrorSession s = m.session();
        List<String> sources = new ArrayList<>(s.sourcePorts());
        if (!s.sourceVlans().isEmpty()) {
            sources.add("VLAN " + VlanRange.format(s.sourceVlans()));
        }
        return String.format("mirror %-10s %s of %s to %s%s%s (%s)", s.name(), s.direction().label(),
            String.join(", ", sources), s.destinationLabel(), s.truncate() == 0 ? "" : ", truncate " + s.truncate(),
            s.sample() == 1 ? "" : ", 1 in " + s.sample(), m.status());
    }

    /** Adds the port to the switch (on the switch loop once it runs); returns its id. */
    static int addToSwitch(Switch sw, PortConfig p) {
        return p.kind() == PortKind.UPLINK ? sw.addUplink(p.name(), p.portGroup())
            : sw.addVnicPort(p.name(), p.portGroup(), p.mac());
    }

    /**
     * Opens the port's Linux devices, one per forwarding loop, for switch port {@code id}: see {@link OpenedPort}.
     *
     * @param log where a vhost-user port's control thread says what its front-end does
     * @throws HostSwitchException the host refused a device
     */
    static List<PortDevice> openDevices(PortConfig p, int id, int loops, TapReadMode tapReads,
                                        Consumer<String> log) {
        return OpenedPort.open(p, loops, tapReads, log).attach(id);
    }

    /** The tunnel port's devices, one per loop: each its own sockets and VTEP (shared remote VTEPs, flood lists). */
    private static List<PortDevice> openTunnel(Switch sw, TunnelConfig t, int loops, Consumer<String> log) {
        String group = "tunnel-" + t.name();
        VlanPolicy vlan = t.vlan() == 0 ? VlanPolicy.none() : VlanPolicy.trunk(List.of(new VlanRange(t.vlan(), t.vlan())), 0);
        sw.addPortGroup(new PortGroupPolicy(group, vlan, SecurityPolicy.VDS_DEFAULT,
            t.learning() ? MacLearningPolicy.ENABLED : MacLearningPolicy.DISABLED));
        sw.addTunnelPort(t.name(), group);
        VniMap vnis = VniMap.of(t.vni(), t.vlan());
        // an EVPN fabric names its VTEPs itself: room for a thousand hosts and more (issue 14's scale goal)
        RemoteVteps remotes = new RemoteVteps(t.evpn() == null ? REMOTE_VTEPS : EVPN_REMOTE_VTEPS, loops);
        // a static tunnel's flood list is its only source of known VTEPs; EVPN's routes name VTEPs too (SwitchProgrammer)
        FloodList flood = t.evpn() == null ? FloodList.ofStaticTunnel(remotes) : new FloodList(remotes);
        for (VtepAddress r : t.remotes()) {
            flood.add(t.vni(), r);
        }
        VxlanCounters counters = new VxlanCounters();
        DecapOptions decap = (t.strict() ? DecapOptions.linuxStrict() : DecapOptions.defaults()).withDstPort(t.port());
        Vtep vtep = new Vtep(sw, t.name(), vnis, remotes, flood, new VxlanDecapsulator(vnis, decap, counters), counters,
            t.acceptFrom(), line -> log.accept("tunnel " + t.name() + ": " + line));
        remotes.serve(sw);
        IpAddress underlay = new IpAddress(t.local().high(), t.local().low()); // the sockets know IP, not VTEPs
        List<PortDevice> devices = new ArrayList<>();
        try {
            for (int i = 0; i < loops; i++) {
                Vtep lane = i == 0 ? vtep : vtep.forLane(i);
                UdpSocketPool sockets = UdpSocketPool.open(underlay, t.port(), loops > 1);
                MtuCheck mtu = new MtuCheck(t.underlayMtu(), lane.counters(),
                    line -> log.accept("tunnel " + t.name() + ": " + line));
                devices.add(new TunnelPort(lane, sockets, t.port(), mtu, !t.local().isIpv4(), MAX_FRAME + 64, t.gro()));
            }
            return devices;
        } catch (LinuxException e) {
            devices.forEach(PortDevice::close);
            throw new HostSwitchException("tunnel " + t.name() + ": " + e.getMessage(), e);
        }
    }

    public Switch switchInstance() {
        return sw;
    }

    public Dataplane dataplane() {
        return dataplane;
    }

    /** The switch as the management API reaches it: through the switch loop. */
    public ManagedSwitch managed() {
        return access;
    }

    /** One line per port, for the start-up log. */
    public List<String> summary() {
        return summary;
    }

    /** The start-up line of each mirror session. */
    public List<String> mirrorSummary() {
        return mirrorSummary;
    }

    /** The start-up line of the EVPN control plane, or null without one. */
    public String evpnSummary() {
        return evpn == null ? null : evpn.summary();
    }

    /** The start-up line of IPFIX flow export, or null without an ipfix block. */
    public String ipfixSummary() {
        IpfixStatus s = flowExport == null ? null : flowExport.status();
        return s == null ? null : "ipfix export to " + s.options().brief();
    }

    /** Waits until the loops end (after {@link #close} from another thread). */
    public void join() throws InterruptedException {
        dataplane.awaitStop();
    }

    @Override
    public void close() {
        LacpAgent lacp = access.lacp(); // the one of the LAGs now: reloads and ports add/del start and stop it
        if (lacp != null) {
            lacp.close(); // each member tells its partner it leaves: traffic moves now, not after a timeout
        }
        if (evpn != null) {
            evpn.close(); // a Cease to each neighbor first: the fabric withdraws this host's routes at once
        }
        if (flowExport != null) {
            flowExport.close(); // every flow it holds is sent while the collectors are still reachable
        }
        dataplane.stop();
        dataplane.close();
    }
}
