package io.vxswitch.forwarding;

import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.flow.FlowObserver;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.trace.Trace;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * One host's proxy switch of a distributed switch: port groups, ports (vNICs and uplinks), the MAC table.
 *
 * <p>Pure: no I/O, no threads, no clock. A driver (the lab, or the Linux poll loops) hands each received frame
 * to {@link #forward} with the current time and sends the copies the decision names.
 *
 * <p>Threads: with {@link SwitchOptions#lanes} lanes, that many threads may forward at once, each through its own
 * {@link #lane}. Configuration methods are not synchronized: call them from one thread while no lane forwards
 * (the Linux dataplane runs them between its loops' turns). The FDB is the exception: it takes its own lock, so
 * aging and listing may run beside forwarding.
 */
public final class Switch {
    private final SwitchOptions options;
    private final Map<String, PortGroup> portGroups = new LinkedHashMap<>();
    private final Port[] ports;
    private final Map<String, Port> portsByName = new LinkedHashMap<>();
    /** Learned and static MACs, and the effective MACs of the local vNICs, which a VDS knows without learning. */
    /** ARP bindings a lane can hold for the control plane between two drains (100 ms). */
    static final int SNOOP_RING = 1024;

    private final Fdb fdb;
    private final ArpSuppression arpSuppression = new ArpSuppression();
    /** Per lane, the ARP bindings it saw for the control plane (see {@link NeighborSnoop}). */
    private final NeighborSnoop[] snoops;
    private final UplinkTeam team;
    private final ForwardingLane[] lanes;
    /** One past the highest port id in use: scans over the port table stop here. */
    private int portScanEnd;
    /** vNIC ports whose group allows promiscuous mode: with none, the data path skips looking for them. */
    private int promiscuousPorts;
    /** Ports whose group shapes egress: with none, the data path skips the egress shaping pass. */
    private int egressShapedPorts;
    /** At most this many ERSPAN sessions at once: each has a slot its copies name ({@link Mirror#remoteSlot}). */
    public static final int MAX_REMOTE_MIRRORS = 64;
    /** The ERSPAN sessions by slot; null where free. */
    private final Mirror[] remoteMirrors = new Mirror[MAX_REMOTE_MIRRORS];
    private final ErspanLoopGuard erspanLoopGuard = new ErspanLoopGuard();
    /** Mirror sessions by name, in the order they were added. */
    private final Map<String, Mirror> mirrors = new LinkedHashMap<>();
    /** The sessions that send copies now, and how many: with none, the data path's one test is of that int. */
    private Mirror[] activeMirrors = new Mirror[0];
    private int activeMirrorCount;
    private IntFunction<String> remoteNamer = id -> "#" + id;
    private final MacMoveLog macMoveLog = new MacMoveLog(this, MacMoveLog.DEFAULT_INTERVAL_NANOS);
    /** Every counter of this switch, its ports', its tunnels' and its devices': what every reader reads. */
    private final CounterRegistry counters = new CounterRegistry();

    public Switch(SwitchOptions options) {
        this.options = options;
        this.ports = new Port[options.maxPorts()];
        this.snoops = new NeighborSnoop[options.lanes()];
        for (int lane = 0; lane < snoops.length; lane++) {
            snoops[lane] = new NeighborSnoop(SNOOP_RING);
        }
        this.fdb = new Fdb(options.fdbCapacity(), options.maxPorts(), options.hashSecret(), options.lanes(),
            Fdb.SWITCH_REFRESH_NANOS);
        this.team = new UplinkTeam(options.maxPorts());
        this.lanes = new ForwardingLane[options.lanes()];
        for (int i = 0; i < lanes.length; i++) {
            lanes[i] = new ForwardingLane(this, i);
        }
        counters.poll(List.of(FdbCounter.values()), CounterInstance.SWITCH,
            () -> FdbCounter.values(fdb.stats()));
    }

    public String name() {
        return options.name();
    }

    public SwitchOptions options() {
        return options;
    }

    /**
     * The counter registry of this switch: its ports' and FDB's counters from the start, and whatever its drivers
     * register (tunnels, devices). Read it with {@link CounterRegistry#read}, from any thread.
     */
    public CounterRegistry counters() {
        return counters;
    }

    // ---- flow export

    /**
     * Makes every lane record one forwarded frame in {@code sampling} into a ring of its own (IPFIX's observations,
     * drained off the forwarding path); returns the lanes' observers, by lane. Replaces observers set before. Call
     * while no lane forwards.
     */
    public FlowObserver[] observeFlows(int sampling, int ringBytes) {
        FlowObserver[] observers = new FlowObserver[lanes.length];
        for (int i = 0; i < lanes.length; i++) {
            observers[i] = new FlowObserver(sampling, ringBytes);
            lanes[i].flowObserver(observers[i]);
        }
        return observers;
    }

    /** No more flow observations; call while no lane forwards. */
    public void stopObservingFlows() {
        for (ForwardingLane lane : lanes) {
            lane.flowObserver(null);
        }
    }

    // ---- port groups

    public PortGroup addPortGroup(PortGroupPolicy policy) {
        if (portGroups.containsKey(policy.name())) {
            throw new IllegalArgumentException("port group '" + policy.name() + "' already exists");
        }
        PortGroup pg = new PortGroup(portGroups.size(), policy);
        portGroups.put(policy.name(), pg);
        return pg;
    }

    /**
     * Replaces a port group's policy; its ports follow at once (a vNIC's MAC is known in the group's new VLANs).
     * Learned MACs stay (they age out if no longer used).
     */
    public void updatePortGroup(PortGroupPolicy policy) {
        PortGroup pg = requirePortGroup(policy.name());
        boolean reshape = !pg.policy.shaping().equals(policy.shaping()); // unchanged shaping keeps its buckets' state
        pg.policy = policy;
        for (int i = 0; i < portScanEnd; i++) {
            Port p = ports[i];
            if (p != null && p.portGroup == pg) {
                applyAging(p);
                if (reshape) {
                    p.applyShaping(policy.shaping());
                }
                if (p.isVnic() && p.effectiveMac != Port.NO_MAC) {
                    fdb.setVnic(p.id(), p.effectiveMac, policy.vlan()::carries);
                }
            }
        }
        countPortsByPolicy();
    }

    public PortGroup portGroup(String name) {
        return portGroups.get(name);
    }

    public List<PortGroup> portGroups() {
        return List.copyOf(portGroups.values());
    }

    // ---- ports

    /**
     * Adds a vNIC port whose configured (and, until the guest changes it, effective) MAC is {@code mac}, or
     * {@link Port#NO_MAC} when the switch is not told the MAC behind the port: then every frame from it is a
     * forged transmit, so its port group must accept forged transmits (and should learn).
     */
    public int addVnicPort(String name, String portGroup, long mac) {
        if (mac == Port.NO_MAC) {
            return addPort(name, PortKind.VNIC, portGroup, mac).id();
        }
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("vNIC '" + name + "': MAC " + MacAddress.format(mac)
                + " is a group address; a vNIC needs a unicast MAC");
        }
        int owner = fdb.vnicPort(mac);
        if (owner != Fdb.NOT_FOUND) {
            throw new IllegalArgumentException("vNIC '" + name + "': MAC " + MacAddress.format(mac)
                + " is already used by vNIC '" + ports[owner].name() + "'");
        }
        Port p = addPort(name, PortKind.VNIC, portGroup, mac);
        fdb.setVnic(p.id(), mac, p.portGroup.policy.vlan()::carries);
        return p.id();
    }

    /**
     * Adds a tunnel port: the switch side of a VTEP. Its port group says which VLANs it carries (their VNIs are
     * the tunnel layer's business) and whether MACs behind it are learned.
     */
    public int addTunnelPort(String name, String portGroup) {
        return addPort(name, PortKind.TUNNEL, portGroup, Port.NO_MAC).id();
    }

    /** Adds an uplink; all uplinks together form the team. */
    public int addUplink(String name, String portGroup) {
        Port p = addPort(name, PortKind.UPLINK, portGroup, Port.NO_MAC);
        team.rebuild(ports, portScanEnd);
        return p.id();
    }

    private Port addPort(String name, PortKind kind, String portGroup, long mac) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("port name is empty");
        }
        if (portsByName.containsKey(name)) {
            throw new IllegalArgumentException("port '" + name + "' already exists");
        }
        PortGroup pg = requirePortGroup(portGroup);
        int id = freePortId();
        Port p = new Port(id, name, kind, pg, mac, lanes.length);
        ports[id] = p;
        portsByName.put(name, p);
        p.registration = counters.register(p.counterSet(), p.counterInstance());
        portScanEnd = Math.max(portScanEnd, id + 1);
        applyAging(p);
        p.applyShaping(pg.policy.shaping());
        countPortsByPolicy();
        resolveMirrors();
        return p;
    }

    /** Removes a port and every FDB entry pointing at it, its vNIC MAC too. */
    public void removePort(String name) {
        Port p = requirePort(name);
        ports[p.id()] = null;
        portsByName.remove(name);
        p.registration.close();
        fdb.removePort(p.id());
        while (portScanEnd > 0 && ports[portScanEnd - 1] == null) {
            portScanEnd--;
        }
        team.rebuild(ports, portScanEnd);
        countPortsByPolicy();
        resolveMirrors();
    }

    /** The guest changed its MAC (what a VDS sees as the vNIC's effective MAC). */
    public void setEffectiveMac(String portName, long mac) {
        Port p = requirePort(portName);
        if (!p.isVnic()) {
            throw new IllegalArgumentException("port '" + portName + "' is " + p.kind().label() + ": only vNICs have a MAC");
        }
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("MAC " + MacAddress.format(mac) + " is a group address");
        }
        int owner = fdb.vnicPort(mac);
        if (owner != Fdb.NOT_FOUND && owner != p.id()) {
            throw new IllegalArgumentException("MAC " + MacAddress.format(mac) + " is already used by vNIC '"
                + ports[owner].name() + "'");
        }
        p.effectiveMac = mac;
        fdb.setVnic(p.id(), mac, p.portGroup.policy.vlan()::carries);
    }

    /**
     * Link state of a port. A port that goes down stops forwarding both ways and loses its learned MACs, as on a
     * physical switch, so traffic for them floods to where they are now; static entries stay. Returns how many
     * learned entries were flushed.
     */
    public int setPortUp(String portName, boolean up) {
        Port p = requirePort(portName);
        p.setUp(up);
        team.rebuild(ports, portScanEnd);
        return up ? 0 : fdb.flushPort(p.id());
    }

    /** The port with this id, or null. */
    public Port port(int id) {
        return id >= 0 && id < portScanEnd ? ports[id] : null;
    }

    public Port port(String name) {
        return portsByName.get(name);
    }

    public List<Port> ports() {
        return new ArrayList<>(portsByName.values());
    }

    /** The uplink that vNIC port {@code vnicPort} is pinned to, or null without active uplinks. */
    public Port pinnedUplink(int vnicPort) {
        int u = team.pinnedUplink(vnicPort);
        return u < 0 ? null : ports[u];
    }

    // ---- port mirroring

    /**
     * Adds a mirror session. Its ports may be added later (a session waits for its destination, and a source port
     * joins when it is added). Refused if the name is taken, if its destination is a source of any session (copies
     * would be mirrored again), if a source is any session's destination, or if another session sends to the same
     * destination (one analyzer port, one session: its copies are then the session's alone).
     */
    public Mirror addMirror(MirrorSession session) {
        if (mirrors.containsKey(session.name())) {
            throw new IllegalArgumentException("mirror session '" + session.name() + "' already exists: delete it first"
                + " or pick another name");
        }
        for (Mirror other : mirrors.values()) {
            String conflict = session.conflictWith(other.session());
            if (conflict != null) {
                throw new IllegalArgumentException(conflict);
            }
        }
        Port destination = session.remote() ? null : portsByName.get(session.destinationPort());
        if (destination != null && !destination.isVnic()) {
            throw new IllegalArgumentException(notVnic(session, destination));
        }
        int slot = -1;
        if (session.remote()) {
            for (int i = 0; i < remoteMirrors.length && slot < 0; i++) {
                slot = remoteMirrors[i] == null ? i : -1;
            }
            if (slot < 0) {
                throw new IllegalArgumentException("mirror session '" + session.name() + "': the switch has "
                    + MAX_REMOTE_MIRRORS + " ERSPAN sessions already, the most it takes: delete one first");
            }
        }
        Mirror m = new Mirror(session, ports.length, lanes.length);
        m.registration = counters.register(m.counterSet(), m.counterInstance());
        if (slot >= 0) {
            m.remoteSlot = slot;
            remoteMirrors[slot] = m;
        }
        mirrors.put(session.name(), m);
        resolveMirrors();
        return m;
    }

    /** Removes a mirror session; its destination port goes back to normal forwarding. */
    public void removeMirror(String name) {
        Mirror m = mirrors.remove(name);
        if (m == null) {
            throw new IllegalArgumentException("no mirror session '" + name + "' (have: "
                + String.join(", ", mirrors.keySet()) + ")");
        }
        m.registration.close();
        if (m.remoteSlot >= 0) {
            remoteMirrors[m.remoteSlot] = null;
        }
        resolveMirrors();
    }

    /** The ERSPAN session in slot {@code slot} ({@link Mirror#remoteSlot}), or null. */
    public Mirror remoteMirror(int slot) {
        return slot >= 0 && slot < remoteMirrors.length ? remoteMirrors[slot] : null;
    }

    /** What keeps ERSPAN sessions from copying their own packets (the data path's view). */
    ErspanLoopGuard erspanLoopGuard() {
        return erspanLoopGuard;
    }

    public Mirror mirror(String name) {
        return mirrors.get(name);
    }

    public List<Mirror> mirrors() {
        return List.copyOf(mirrors.values());
    }

    /** The sessions that send copies now (the data path's view). */
    Mirror[] activeMirrors() {
        return activeMirrors;
    }

    int activeMirrorCount() {
        return activeMirrorCount;
    }

    /**
     * Resolves every session's ports to ids and marks the destination ports, after any change to ports or sessions.
     * A session whose destination is missing or cannot be one keeps its place, inactive, with the reason.
     */
    private void resolveMirrors() {
        for (int q = 0; q < portScanEnd; q++) {
            if (ports[q] != null) {
                ports[q].setMirrorDestination(false);
            }
        }
        List<Mirror> active = new ArrayList<>();
        List<java.net.InetAddress> collectors = new ArrayList<>();
        for (Mirror m : mirrors.values()) {
            if (m.session().remote()) { // nothing to wait for: the driver sends, and counts what it cannot
                m.resolve(ports, portScanEnd, null, null);
                collectors.add(m.session().erspan().remote());
                active.add(m);
                continue;
            }
            Port d = portsByName.get(m.session().destinationPort());
            String why = d == null ? "waiting for destination port '" + m.session().destinationPort() + "' to be added"
                : d.isVnic() ? null : notVnic(m.session(), d);
            m.resolve(ports, portScanEnd, why == null ? d : null, why);
            if (why == null) {
                d.setMirrorDestination(true);
                active.add(m);
            }
        }
        erspanLoopGuard.set(collectors);
        activeMirrors = active.toArray(new Mirror[0]);
        activeMirrorCount = activeMirrors.length;
    }

    private static String notVnic(MirrorSession s, Port p) {
        return "mirror session '" + s.name() + "': destination port '" + p.name() + "' is " + p.kind().label()
            + "; a SPAN destination is a vNIC port (an analyzer's interface): add one and name it";
    }

    // ---- FDB

    /** The ARP suppression bindings; change them only as the switch is changed (see {@link ArpSuppression}). */
    public ArpSuppression arpSuppression() {
        return arpSuppression;
    }

    /** The ARP bindings forwarding lane {@code lane} saw on local ports, for the control plane to drain. */
    public NeighborSnoop neighborSnoop(int lane) {
        return snoops[lane];
    }

    public Fdb fdb() {
        return fdb;
    }

    /** Adds a static MAC in {@code vlan} behind remote VTEP {@code remote} of a tunnel port. */
    public void addStaticRemoteMac(int vlan, long mac, String tunnelPort, int remote) {
        Port p = requirePort(tunnelPort);
        if (!p.isTunnel()) {
            throw new IllegalArgumentException("port '" + tunnelPort + "' is not a tunnel port");
        }
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("static MAC " + MacAddress.format(mac) + " is a group address");
        }
        if (!fdb.addStatic(vlan, mac, p.id(), remote)) {
            throw new IllegalStateException("FDB is full of static entries (" + fdb.capacity() + ")");
        }
    }

    /** Adds a static MAC in {@code vlan} on a port: never ages, never moves. */
    public void addStaticMac(int vlan, long mac, String portName) {
        Port p = requirePort(portName);
        if (!MacAddress.isUnicast(mac)) {
            throw new IllegalArgumentException("static MAC " + MacAddress.format(mac) + " is a group address");
        }
        if (!fdb.addStatic(vlan, mac, p.id())) {
            throw new IllegalStateException("FDB is full of static entries (" + fdb.capacity() + ")");
        }
    }

    /** Ages the MAC table; returns how many entries expired. */
    public int expire(long now) {
        return fdb.expire(now);
    }

    public List<FdbRow> fdbRows(long now) {
        return FdbRow.collect(this, now);
    }

    /** The MAC table as {@code ovs-appctl fdb/show} would print it: learned, then static, then vNIC entries. */
    public String showFdb(long now) {
        return FdbRow.render(fdbRows(now), remoteNamer);
    }

    // ---- data path

    /**
     * Decides where one received frame goes. Counts it on the ingress port, counts each copy on its egress
     * port, and fills {@code out}; the caller then sends each copy with {@link ForwardingDecision#writeEgress}.
     *
     * @param trace null on the data path; a trace to record every step of the decision
     */
    public void forward(int inPort, MemorySegment frame, long offset, int length, long now,
                        ForwardingDecision out, Trace trace) {
        lanes[0].forward(inPort, frame, offset, length, now, out, trace);
    }

    public void forward(int inPort, MemorySegment frame, long offset, int length, long now, ForwardingDecision out) {
        lanes[0].forward(inPort, frame, offset, length, now, out);
    }

    /** The way into the data path for forwarding thread {@code index}, 0 to {@link SwitchOptions#lanes} - 1. */
    public ForwardingLane lane(int index) {
        return lanes[index];
    }

    /**
     * Decides where a decapsulated frame goes.
     *
     * @param tunnelPort the tunnel port it came in on
     * @param remote     the id of the remote VTEP that sent it (learned with its source MAC)
     * @param vlan       the VLAN its VNI maps to
     */
    public void forwardFromTunnel(int tunnelPort, int remote, int vlan, MemorySegment frame, long offset, int length,
                                  long now, ForwardingDecision out, Trace trace) {
        lanes[0].forwardFromTunnel(tunnelPort, remote, vlan, frame, offset, length, now, out, trace);
    }

    /** Sets how MAC flapping is detected and whether a flapping MAC is frozen (see {@link MacMoveGuard}). */
    public void setMacMoveGuard(MacMoveGuard.Options options) {
        fdb.setMacMoveGuard(options);
    }

    /** The lines to log about MAC moves and flaps; poll it from housekeeping. */
    public MacMoveLog macMoveLog() {
        return macMoveLog;
    }

    /** How traces and FDB listings name remote VTEP ids (the tunnel layer knows their addresses). */
    public void setRemoteNamer(IntFunction<String> namer) {
        this.remoteNamer = namer;
    }

    /** A remote VTEP id as traces and listings show it (its address, once the tunnel layer set a namer). */
    public String remoteName(int remote) {
        return remoteNamer.apply(remote);
    }

    /** A decision buffer sized for this switch. */
    public ForwardingDecision newDecision() {
        return new ForwardingDecision(options.maxPorts());
    }

    // ---- package-private views for the pipeline

    Port[] portTable() {
        return ports;
    }

    /** One past the highest port id in use: where a scan of {@link #portTable} stops. */
    int portScanEnd() {
        return portScanEnd;
    }

    UplinkTeam team() {
        return team;
    }

    /** Recounts the promiscuous vNIC ports and the egress-shaped ports after any change to ports or port groups. */
    private void countPortsByPolicy() {
        int n = 0;
        int shaped = 0;
        for (int i = 0; i < portScanEnd; i++) {
            Port p = ports[i];
            if (p != null && p.isVnic() && p.portGroup.policy.security().allowPromiscuous()) {
                n++;
            }
            if (p != null && p.egressShapers != null) {
                shaped++;
            }
        }
        promiscuousPorts = n;
        egressShapedPorts = shaped;
    }

    int promiscuousPorts() {
        return promiscuousPorts;
    }

    int egressShapedPorts() {
        return egressShapedPorts;
    }

    private void applyAging(Port p) {
        fdb.setAging(p.id(), p.portGroup.policy.macLearning().agingSeconds() * 1_000_000_000L);
        fdb.setMacLimit(p.id(), p.portGroup.policy.macLearning().limit());
    }

    private int freePortId() {
        for (int i = 0; i < ports.length; i++) {
            if (ports[i] == null) {
                return i;
            }
        }
        throw new IllegalStateException("switch '" + name() + "' has no free port (max " + ports.length + ")");
    }

    private PortGroup requirePortGroup(String name) {
        PortGroup pg = portGroups.get(name);
        if (pg == null) {
            throw new IllegalArgumentException("no port group '" + name + "' (have: "
                + String.join(", ", portGroups.keySet()) + ")");
        }
        return pg;
    }

    private Port requirePort(String name) {
        Port p = portsByName.get(name);
        if (p == null) {
            throw new IllegalArgumentException("no port '" + name + "' on switch '" + name() + "'");
        }
        return p;
    }
}
