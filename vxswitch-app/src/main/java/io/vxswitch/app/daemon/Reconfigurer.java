package io.vxswitch.app.daemon;

import io.vxswitch.config.ConfigException;
import io.vxswitch.config.MirrorParser;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortGroup;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.dataplane.ErspanSender;
import io.vxswitch.linux.dataplane.PortDevice;
import io.vxswitch.linux.lacp.LacpAgent;
import io.vxswitch.mgmt.ApiException;
import io.vxswitch.mgmt.TunnelInfo;
import io.vxswitch.vxlan.FloodTargets;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Changes a running host switch without a restart: ports added and removed through the API, and {@code config
 * reload}, which reads the config file again and applies the difference. Every change runs on the switch loop
 * between two turns, so ports that a change does not touch keep forwarding; a Linux device is opened off the loop.
 *
 * <p>A LAG is a port like the others here: added, its members' sockets open and its LACP starts (the LACP agent's
 * thread starts with the first LAG, and ends with the last); removed, each member tells the partner it leaves, its
 * LACP stops and its members close, and its learned MACs go with its port; changed in how it runs LACP only (mode,
 * rate, hash, priorities, system id, key), it changes in place and keeps its aggregation; changed in its members (or
 * anything else), it is removed and added again.
 *
 * <p>A reload is all or nothing about what it cannot do live: if the file changes the switch's name, FDB capacity,
 * threads, the API, or a tunnel other than its flood list, nothing is applied and the answer lists those changes.
 * The files are the truth after a reload: the config and the drop-in of ports added at run time ({@link RuntimePorts},
 * which every port added or removed through the API rewrites), so those ports outlive a reload and a restart; port
 * group policies, flood lists and mirror sessions are set to what the files say (mirror sessions added through the API
 * are kept in their own drop-in, {@link RuntimeMirrors}).
 */
final class Reconfigurer {
    private final LoopAccess loop;
    private final Dataplane dataplane;
    private final Path configFile;
    private final Path dropIn;
    /** The ports as configured now: the file's at start or last reload, plus API changes. */
    private final Map<String, PortConfig> ports = new LinkedHashMap<>();
    /** Those of {@link #ports} that the drop-in keeps: added at run time. */
    private final Map<String, PortConfig> runtime = new LinkedHashMap<>();
    private final Consumer<String> log;
    /** The drop-in of mirror sessions added at run time, and those sessions. */
    private final Path mirrorDropIn;
    private final Map<String, MirrorSession> runtimeMirrors = new LinkedHashMap<>();
    private DaemonConfig config;

    Reconfigurer(LoopAccess loop, Dataplane dataplane, DaemonConfig config, Path configFile, Consumer<String> log) {
        this.loop = loop;
        this.log = log;
        this.dataplane = dataplane;
        this.config = config;
        this.configFile = configFile;
        this.dropIn = RuntimePorts.fileFor(configFile);
        for (PortConfig p : config.ports()) {
            ports.put(p.name(), p);
        }
        keepRuntimePorts(config);
        this.mirrorDropIn = RuntimeMirrors.fileFor(configFile);
        keepRuntimeMirrors(config);
    }

    private void keepRuntimeMirrors(DaemonConfig c) {
        runtimeMirrors.clear();
        for (MirrorSession m : c.mirrors()) {
            if (c.runtimeMirrors().contains(m.name())) {
                runtimeMirrors.put(m.name(), m);
            }
        }
    }

    /** Adds a mirror session described in the config's format (JSON is YAML too); returns its line. */
    synchronized String addMirror(String description) {
        MirrorSession m;
        try {
            m = MirrorParser.session(YamlDocument.parse("request body", description,
                "a mirror session like {name: span1, sources: {ports: [vm1]}, destination: {port: analyzer}}"));
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        if (config.mirrors().stream().anyMatch(o -> o.name().equals(m.name())) && !runtimeMirrors.containsKey(m.name())) {
            throw new ApiException(409, "mirror session " + m.name() + " is defined in " + configFile + ": change it"
                + " there and run 'vxswitch config reload'");
        }
        for (MirrorSession fileSession : config.mirrors()) {
            String conflict = runtimeMirrors.containsKey(fileSession.name()) ? null : m.conflictWith(fileSession);
            if (conflict != null) { // deleted at run time perhaps, but back at the next reload or restart
                throw new ApiException(409, conflict + " (session '" + fileSession.name() + "' is in " + configFile
                    + " and comes back at the next reload or restart: change it there and run 'vxswitch config"
                    + " reload' first)");
            }
        }
        if (loop.call(s -> s.mirror(m.name()) != null)) {
            throw new ApiException(409, "mirror session " + m.name() + " exists already: delete it first");
        }
        List<ErspanSender> senders = m.remote() ? openErspan(m, "") : null; // off the loop: a refusal is a 400 now
        String line = loop.call(s -> {
            if (s.mirror(m.name()) != null) {
                if (senders != null) {
                    senders.forEach(ErspanSender::close);
                }
                throw new ApiException(409, "mirror session " + m.name() + " exists already: delete it first");
            }
            try {
                return HostSwitch.addMirror(s, dataplane, m, senders);
            } catch (IllegalArgumentException e) {
                throw new ApiException(409, e.getMessage());
            }
        });
        runtimeMirrors.put(m.name(), m);
        try {
            RuntimeMirrors.write(mirrorDropIn, runtimeMirrors.values());
        } catch (IOException e) {
            runtimeMirrors.remove(m.name());
            loop.call(s -> {
                HostSwitch.removeMirror(s, dataplane, m.name());
                return null;
            });
            throw new ApiException(500, "mirror session " + m.name() + " was not added: it could not be kept for a"
                + " restart in " + mirrorDropIn + " (" + e + "); make that directory writable by vxswitch");
        }
        return "added " + line + " (kept in " + mirrorDropIn + ")";
    }

    /** Removes a mirror session; its destination port goes back to normal forwarding. */
    synchronized String removeMirror(String name) {
        loop.call(s -> {
            if (s.mirror(name) == null) {
                throw ApiException.notFound("no mirror session '" + name + "' (sessions: "
                    + String.join(", ", s.mirrors().stream().map(Mirror::name).toList()) + ")");
            }
            HostSwitch.removeMirror(s, dataplane, name);
            return null;
        });
        String line = "removed mirror session " + name;
        if (runtimeMirrors.remove(name) != null) {
            try {
                RuntimeMirrors.write(mirrorDropIn, runtimeMirrors.values());
            } catch (IOException e) {
                throw new ApiException(500, line + ", but " + mirrorDropIn + " could not be rewritten (" + e + "): the"
                    + " session comes back at the next restart or reload unless it is removed from that file");
            }
            return line + " (and from " + mirrorDropIn + ")";
        }
        return line + " (it is in " + configFile + ": it comes back at the next reload or restart unless it is"
            + " removed there)";
    }

    private void keepRuntimePorts(DaemonConfig c) {
        runtime.clear();
        for (PortConfig p : c.ports()) {
            if (c.runtimePorts().contains(p.name())) {
                runtime.put(p.name(), p);
            }
        }
    }

    /** Adds a port described in the config's format; returns its start-up line. */
    synchronized String addPort(String description) {
        List<PortGroupPolicy> groups = loop.call(s -> s.portGroups().stream().map(PortGroup::policy).toList());
        PortConfig p;
        try {
            p = DaemonConfigParser.parsePort("request body", description, groups);
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String shared = LagConfigParser.interfaceTaken(p, ports.values());
        if (shared != null) {
            throw new ApiException(409, shared);
        }
        if (config.ports().stream().anyMatch(q -> q.name().equals(p.name())) && !runtime.containsKey(p.name())
                && !ports.containsKey(p.name())) {
            // removed through the API, still in the file: both would define it at the next start
            throw new ApiException(409, "port " + p.name() + " is defined in " + configFile + ": change it there and"
                + " run 'vxswitch config reload'");
        }
        loop.call(s -> {
            if (s.port(p.name()) != null) {
                throw new ApiException(409, "port " + p.name() + " exists already");
            }
            return null;
        });
        String line = add(open(p, ""));
        runtime.put(p.name(), p);
        try {
            RuntimePorts.write(dropIn, runtime.values());
        } catch (IOException e) {
            runtime.remove(p.name());
            remove(p.name());
            throw new ApiException(500, "port " + p.name() + " was not added: it could not be kept for a restart in "
                + dropIn + " (" + e + "); make that directory writable by vxswitch");
        }
        ports.put(p.name(), p);
        loop.portsChanged();
        return line + " (kept in " + dropIn + ")";
    }

    /** Removes a port and its device; returns what was done. */
    synchronized String removePort(String name) {
        if (config.tunnels().stream().anyMatch(t -> t.name().equals(name))) {
            throw ApiException.badRequest("port " + name + " is a tunnel: tunnels change with the config file and a"
                + " restart");
        }
        String line = remove(name);
        ports.remove(name);
        loop.portsChanged();
        if (runtime.remove(name) != null) {
            try {
                RuntimePorts.write(dropIn, runtime.values());
            } catch (IOException e) {
                throw new ApiException(500, line + ", but " + dropIn + " could not be rewritten (" + e + "): the port"
                    + " comes back at the next restart or reload unless it is removed from that file");
            }
            return line + " (and from " + dropIn + ")";
        }
        return line + " (it is in " + configFile + ": it comes back at the next reload or restart unless it is"
            + " removed there)";
    }

    /** Reads the config file again and applies the difference; returns one line per change. */
    synchronized List<String> reload() {
        DaemonConfig next;
        try {
            next = DaemonConfigParser.read(configFile);
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read " + configFile + ": " + e.getMessage());
        } catch (ConfigException e) {
            throw ApiException.badRequest(e.getMessage() + " (nothing was changed)");
        }
        List<String> restart = needsRestart(config, next);
        if (!restart.isEmpty()) {
            throw new ApiException(409, "these changes need a restart of vxswitch: " + String.join("; ", restart)
                + " (nothing was changed)");
        }
        Map<String, PortConfig> wanted = new LinkedHashMap<>();
        for (PortConfig p : next.ports()) {
            wanted.put(p.name(), p);
        }
        Map<String, OpenedPort> opened = openNewPorts(wanted);
        try {
            return apply(next, wanted, opened);
        } finally {
            opened.values().forEach(OpenedPort::close); // those a failure left unattached
        }
    }

    /** The reload's changes, once the new ports' devices are open. */
    private List<String> apply(DaemonConfig next, Map<String, PortConfig> wanted, Map<String, OpenedPort> opened) {
        List<String> done = new ArrayList<>();
        done.addAll(loop.call(s -> portGroups(s, next)));
        for (PortConfig p : List.copyOf(ports.values())) {
            PortConfig w = wanted.get(p.name());
            if (w != null && !p.equals(w) && lacpOnly(p, w)) {
                done.add(reconfigureLag(w));
                ports.put(w.name(), w);
            } else if (!p.equals(w)) {
                done.add(remove(p.name()) + (w == null ? "" : " (changed: added again below)"));
                ports.remove(p.name());
            }
        }
        for (PortConfig w : wanted.values()) {
            if (!ports.containsKey(w.name())) {
                OpenedPort devices = opened.containsKey(w.name()) ? opened.get(w.name())
                    : open(w, " (the reload stopped at this port; the changes before it were applied)");
                done.add(add(devices) + (w.type() == PortConfig.Type.TAP ? " (a new tap: hand it to its VM again)"
                    : ""));
                ports.put(w.name(), w);
            }
        }
        done.addAll(loop.call(s -> floodLists(next)));
        Map<String, List<ErspanSender>> erspan = new LinkedHashMap<>();
        List<String> refused = openErspan(next, erspan);
        try {
            done.addAll(loop.call(s -> mirrors(s, next, dataplane, erspan)));
        } finally {
            erspan.values().forEach(ss -> ss.forEach(ErspanSender::close)); // those not added
        }
        done.addAll(refused);
        if (!next.macMove().equals(config.macMove())) {
            loop.call(s -> {
                s.setMacMoveGuard(next.macMove());
                return null;
            });
            done.add("MAC move guard: " + next.macMove());
        }
        if (!Objects.equals(next.ipfix(), config.ipfix())) {
            try {
                done.add(loop.flowExport().apply(next.ipfix()));
            } catch (RuntimeException e) {
                throw ApiException.badRequest("ipfix: " + e.getMessage() + " (the changes before it were applied: "
                    + String.join("; ", done) + ")");
            }
        }
        config = next;
        keepRuntimePorts(next);
        keepRuntimeMirrors(next);
        loop.portsChanged();
        if (done.isEmpty()) {
            done.add("no changes");
        }
        return done;
    }

    /**
     * Opens the devices of every wanted port whose name is new, before the reload changes anything: a port the host
     * refuses (an interface it does not have, a tap name another device holds) then refuses the whole reload. A port
     * that keeps its name but changes is opened once its old devices are closed (a tap's name is taken until then).
     */
    private Map<String, OpenedPort> openNewPorts(Map<String, PortConfig> wanted) {
        Map<String, OpenedPort> opened = new LinkedHashMap<>();
        for (PortConfig w : wanted.values()) {
            if (!ports.containsKey(w.name())) {
                try {
                    opened.put(w.name(), open(w, " (nothing was changed)"));
                } catch (ApiException e) {
                    opened.values().forEach(OpenedPort::close);
                    throw e;
                }
            }
        }
        return opened;
    }

    /** The port's devices, opened; a refusal becomes a bad request that ends with {@code outcome}. */
    private OpenedPort open(PortConfig p, String outcome) {
        try {
            return OpenedPort.open(p, dataplane.loops(), config.placement().tapReads(), log);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(e.getMessage() + outcome);
        }
    }

    /** Adds the port of {@code opened} to the switch and its devices to the loops; they are closed if that fails. */
    private String add(OpenedPort opened) {
        PortConfig p = opened.config();
        int id;
        try {
            id = loop.call(s -> {
                if (s.port(p.name()) != null) {
                    throw new ApiException(409, "port " + p.name() + " exists already");
                }
                return HostSwitch.addToSwitch(s, p);
            });
        } catch (RuntimeException e) {
            opened.close();
            throw e;
        }
        List<PortDevice> devices;
        try {
            devices = opened.attach(id); // a vhost-user port opens its socket only here
        } catch (RuntimeException e) {
            loop.call(s -> {
                s.removePort(p.name());
                return null;
            });
            throw ApiException.badRequest(e.getMessage());
        }
        String line = loop.call(s -> {
            for (int i = 0; i < devices.size(); i++) {
                dataplane.add(devices.get(i), i);
            }
            return "added " + HostSwitch.describe(s, p, devices.get(0));
        });
        if (p.type() == PortConfig.Type.LAG) {
            try {
                startLacp(p, devices);
            } catch (RuntimeException e) {
                remove(p.name());
                throw ApiException.badRequest("port " + p.name() + " was not added: its LACP could not start: "
                    + e.getMessage());
            }
            line += "; LACP started (" + p.lag().brief() + ")";
        }
        return line;
    }

    /** Starts LACP on a LAG whose devices are in the loops: the agent's thread too if this is the first LAG. */
    private void startLacp(PortConfig p, List<PortDevice> devices) {
        LacpAgent.Lag lag = HostSwitch.lag(p, devices, log);
        LacpAgent agent = loop.lacp();
        if (agent == null) {
            loop.lacp(LacpAgent.start(loop.switchForCounters(), List.of(lag), System::nanoTime, log));
        } else {
            agent.add(lag);
        }
    }

    /**
     * Stops LAG {@code name}'s LACP if it runs (its members tell the partner they leave, its sockets close), and the
     * agent's thread with its last LAG.
     */
    private void stopLacp(String name) {
        LacpAgent agent = loop.lacp();
        if (agent == null || !agent.remove(name)) {
            return;
        }
        if (agent.names().isEmpty()) {
            loop.lacp(null);
            agent.close();
        }
    }

    /**
     * True if LAG {@code now} becomes {@code next} by changing only how it runs LACP (mode, rate, hash, priorities,
     * system id, key): the same members, port group and sockets.
     */
    static boolean lacpOnly(PortConfig now, PortConfig next) {
        return now.type() == PortConfig.Type.LAG && next.type() == PortConfig.Type.LAG
            && now.lag().members().equals(next.lag().members())
            && withoutLag(now).equals(withoutLag(next));
    }

    private static PortConfig withoutLag(PortConfig p) {
        return new PortConfig(p.name(), p.type(), p.kind(), p.portGroup(), p.interfaceName(), p.mac(), p.mtu(),
            p.offload(), p.ring(), p.socket(), p.vhostMode(), p.socketGroup(), null);
    }

    /** LAG {@code w}'s new LACP settings, applied in place by the LACP agent; its line. */
    private String reconfigureLag(PortConfig w) {
        int id = loop.call(s -> {
            Port port = s.port(w.name());
            if (port == null) {
                throw ApiException.notFound("no port '" + w.name() + "'");
            }
            return port.id();
        });
        LacpAgent agent = loop.lacp();
        if (agent == null || !agent.names().contains(w.name())) {
            throw new ApiException(500, "LAG " + w.name() + " runs no LACP (nothing was changed for it)");
        }
        LagOptions next = HostSwitch.resolved(w, id);
        agent.reconfigure(next);
        return "LAG " + w.name() + ": " + w.lag().brief() + ", " + next.actor() + " (in place, its members kept)";
    }

    private String remove(String name) {
        stopLacp(name); // before its devices go: the partner is told while the members can still send
        return loop.call(s -> {
            Port port = s.port(name);
            if (port == null) {
                throw ApiException.notFound("no port '" + name + "'");
            }
            for (PortDevice d : dataplane.devices()) {
                if (d.switchPort() == port.id()) {
                    dataplane.remove(d);
                }
            }
            s.removePort(name);
            return "removed port " + name;
        });
    }

    /** New port groups added, changed ones updated in place; runs on the switch loop. */
    private static List<String> portGroups(Switch s, DaemonConfig next) {
        List<String> done = new ArrayList<>();
        Set<String> inFile = new LinkedHashSet<>();
        for (PortGroupPolicy g : next.portGroups()) {
            inFile.add(g.name());
            PortGroup live = s.portGroup(g.name());
            if (live == null) {
                s.addPortGroup(g);
                done.add("added port group " + g.name());
            } else if (!live.policy().equals(g)) {
                s.updatePortGroup(g);
                done.add("port group " + g.name() + ": " + g.vlan() + ", " + g.security() + ", " + g.macLearning() + ", "
                    + g.shaping());
            }
        }
        for (PortGroup g : s.portGroups()) {
            if (!inFile.contains(g.name()) && !g.name().startsWith("tunnel-")) {
                done.add("port group " + g.name() + " is no longer in the file; it stays, unused, until a restart");
            }
        }
        return done;
    }

    /**
     * The mirror sessions set to the files' (the config's and the drop-in's): a session gone or changed is removed
     * (its counters with it), a new or changed one added. Removals first, so a session may take over another's
     * destination. Runs on the switch loop.
     */
    static List<String> mirrors(Switch s, DaemonConfig next) {
        return mirrors(s, next, null, new LinkedHashMap<>());
    }

    /**
     * The same with the senders of the ERSPAN sessions to add, opened off the loop ({@link #openErspan}); those it
     * adds leave {@code erspan}. An ERSPAN session without senders there is not added (its socket was refused).
     */
    static List<String> mirrors(Switch s, DaemonConfig next, Dataplane dataplane,
                                Map<String, List<ErspanSender>> erspan) {
        List<String> done = new ArrayList<>();
        Map<String, MirrorSession> wanted = new LinkedHashMap<>();
        next.mirrors().forEach(m -> wanted.put(m.name(), m));
        for (Mirror live : s.mirrors()) {
            if (!live.session().equals(wanted.get(live.name()))) {
                HostSwitch.removeMirror(s, dataplane, live.name());
                done.add("removed mirror session " + live.name()
                    + (wanted.containsKey(live.name()) ? " (changed: added again below)" : ""));
            }
        }
        for (MirrorSession m : wanted.values()) {
            if (s.mirror(m.name()) == null && (!m.remote() || erspan.containsKey(m.name()))) {
                try {
                    done.add("added " + HostSwitch.addMirror(s, dataplane, m, erspan.remove(m.name())));
                } catch (IllegalArgumentException e) {
                    done.add("mirror session " + m.name() + " not added: " + e.getMessage());
                }
            }
        }
        return done;
    }

    /**
     * Opens the senders of the ERSPAN sessions of {@code next} that the switch does not run as they are, into
     * {@code opened}; returns a line for each the host refused (that session is then not added).
     */
    private List<String> openErspan(DaemonConfig next, Map<String, List<ErspanSender>> opened) {
        List<MirrorSession> live = loop.call(s -> s.mirrors().stream().map(Mirror::session).toList());
        List<String> refused = new ArrayList<>();
        for (MirrorSession m : next.mirrors()) {
            if (m.remote() && !live.contains(m)) {
                try {
                    opened.put(m.name(), HostSwitch.openErspan(m, dataplane.loops()));
                } catch (RuntimeException e) {
                    refused.add("mirror session " + m.name() + " not added: " + e.getMessage());
                }
            }
        }
        return refused;
    }

    /** An ERSPAN session's senders, opened; a refusal becomes a bad request that ends with {@code outcome}. */
    private List<ErspanSender> openErspan(MirrorSession m, String outcome) {
        try {
            return HostSwitch.openErspan(m, dataplane.loops());
        } catch (RuntimeException e) {
            throw ApiException.badRequest("mirror session " + m.name() + " not added: " + e.getMessage() + outcome);
        }
    }

    /** Each tunnel's flood list set to the file's remotes; runs on the switch loop. */
    private List<String> floodLists(DaemonConfig next) {
        List<String> done = new ArrayList<>();
        for (TunnelConfig t : next.tunnels()) {
            if (t.evpn() != null) {
                continue; // EVPN owns this flood list; its static remotes change with a restart (needsRestart)
            }
            TunnelInfo info = loop.tunnels().stream().filter(i -> i.name().equals(t.name())).findFirst().orElseThrow();
            Vtep v = info.vtep();
            Set<VtepAddress> live = new LinkedHashSet<>();
            FloodTargets targets = v.floodTargets(t.vni());
            for (int i = 0; targets != null && i < targets.size(); i++) {
                live.add(v.remotes().address(targets.vtepId(i)));
            }
            for (VtepAddress r : t.remotes()) {
                if (!live.contains(r)) {
                    v.floodList().add(t.vni(), r);
                    done.add("tunnel " + t.name() + ": VNI " + t.vni() + " floods to " + r);
                }
            }
            for (VtepAddress r : live) {
                if (!t.remotes().contains(r)) {
                    v.floodList().remove(t.vni(), r);
                    done.add("tunnel " + t.name() + ": VNI " + t.vni() + " no longer floods to " + r);
                }
            }
        }
        return done;
    }

    /** What differs between {@code now} and {@code next} that only a restart can change. */
    static List<String> needsRestart(DaemonConfig now, DaemonConfig next) {
        List<String> out = new ArrayList<>();
        differs(out, "switch name", now.name(), next.name());
        differs(out, "fdbCapacity", now.fdbCapacity(), next.fdbCapacity());
        differs(out, "reversePathCheckPromisc", now.reversePathCheckPromisc(), next.reversePathCheckPromisc());
        differs(out, "threads", now.threads(), next.threads());
        differs(out, "switch.cpu, switch.poll or switch.tapReads:", now.placement(), next.placement());
        differs(out, "api", now.api(), next.api());
        differs(out, "evpn", now.evpn(), next.evpn());
        Map<String, TunnelConfig> before = new LinkedHashMap<>();
        for (TunnelConfig t : now.tunnels()) {
            before.put(t.name(), t);
        }
        for (TunnelConfig t : next.tunnels()) {
            TunnelConfig b = before.remove(t.name());
            if (b == null) {
                out.add("tunnel " + t.name() + " is new");
            } else if (!withoutRemotes(b).equals(withoutRemotes(t))) {
                out.add("tunnel " + t.name() + " changed beyond its remotes");
            } else if (t.evpn() != null && !b.remotes().equals(t.remotes())) {
                out.add("tunnel " + t.name() + ": the static remotes of an EVPN tunnel");
            }
        }
        before.keySet().forEach(name -> out.add("tunnel " + name + " is gone"));
        return out;
    }

    private static TunnelConfig withoutRemotes(TunnelConfig t) {
        return new TunnelConfig(t.name(), t.vni(), t.vlan(), t.local(), List.of(), t.port(), t.learning(),
            t.underlayMtu(), t.strict(), t.gro(), t.evpn(), t.acceptFrom());
    }

    private static void differs(List<String> out, String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(what + " " + a + " -> " + b);
        }
    }
}
