package io.vxswitch.app.daemon;

import io.vxswitch.config.MirrorParser;
import io.vxswitch.config.PolicyParser;
import io.vxswitch.config.Values;
import io.vxswitch.config.Where;
import io.vxswitch.config.YamlDocument;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.config.YamlValue;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.forwarding.lacp.LagOptions;
import io.vxswitch.forwarding.mirror.MirrorSession;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.linux.CpuAffinity;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.linux.dataplane.TapReadMode;
import io.vxswitch.linux.ffi.UnixCalls;
import io.vxswitch.linux.vhost.VhostUserEndpoint;
import io.vxswitch.mgmt.ApiOptions;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Vxlan;
import io.vxswitch.vxlan.AcceptFrom;
import io.vxswitch.vxlan.VtepAddress;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the daemon's YAML config (docs/config.md has the schema) into a validated {@link DaemonConfig}.
 * Every error names the file, line and column, the setting, what is expected and what was found.
 */
public final class DaemonConfigParser {
    private static final List<String> ROOT_KEYS = List.of("switch", "portGroups", "ports", "tunnels", "api",
        "evpn", "ipfix", "mirrors");
    private static final List<String> SWITCH_KEYS = List.of("name", "fdbCapacity", "reversePathCheckPromisc", "threads", "macMove",
        "cpu", "poll", "loops", "tapReads");
    private static final List<String> PORT_KEYS = List.of("name", "type", "kind", "portGroup", "interface", "mac", "mtu",
        "offload", "ring", "socket", "mode", "socketGroup", "members", "lacp", "rate", "hash", "systemPriority",
        "systemId", "key", "portPriority");
    /** The keys only a {@code type: lag} port takes. */
    private static final List<String> LAG_KEYS = List.of("members", "lacp", "rate", "hash", "systemPriority", "systemId",
        "key", "portPriority");
    private static final List<String> TUNNEL_KEYS = List.of("name", "vni", "vlan", "local", "remotes", "port",
        "learning", "underlayMtu", "strictReservedBits", "gro", "controlPlane", "rd", "routeTargets", "arpSuppression",
        "acceptFrom");
    /** IFNAMSIZ is 16 with the terminating NUL. */
    private static final int MAX_INTERFACE_NAME = 15;

    private DaemonConfigParser() {
    }

    /** The config file, with the ports added at run time that its drop-in keeps ({@link RuntimePorts}). */
    public static DaemonConfig read(Path file) throws IOException {
        DaemonConfig config = parse(YamlDocument.read(file, "a switch config with switch, portGroups, ports and tunnels"));
        return RuntimeMirrors.addTo(RuntimePorts.addTo(config, file), file);
    }

    public static DaemonConfig parse(String source, String text) {
        return parse(YamlDocument.parse(source, text, "a switch config with switch, portGroups, ports and tunnels"));
    }

    /**
     * One port in the config's format (JSON is YAML too), for a port added at run time; {@code groups} are the
     * running switch's port groups.
     */
    public static PortConfig parsePort(String source, String text, List<PortGroupPolicy> groups) {
        Map<String, PortGroupPolicy> byName = new LinkedHashMap<>();
        for (PortGroupPolicy g : groups) {
            byName.put(g.name(), g);
        }
        return port(YamlDocument.parse(source, text, "a port like {name: vm3, type: tap, portGroup: vlan119}"),
            byName);
    }

    private static DaemonConfig parse(YamlValue rootValue) {
        YamlMap root = Values.map(rootValue, "the config");
        root.allowOnly("the config", ROOT_KEYS);
        YamlMap sw = Values.map(root.require("switch", "the config"), "switch");
        sw.allowOnly("switch", SWITCH_KEYS);
        String name = Values.name(sw.require("name", "switch"), "switch.name");
        int fdbCapacity = sw.get("fdbCapacity").map(v -> Values.integer(v, "switch.fdbCapacity", 1, 1 << 24))
            .orElse(SwitchOptions.DEFAULT_FDB_CAPACITY);
        boolean rpf = sw.get("reversePathCheckPromisc").map(v -> Values.bool(v, "switch.reversePathCheckPromisc"))
            .orElse(false);
        Dataplane.Threads threads = sw.get("threads")
            .map(v -> Values.integer(v, "switch.threads", 1, 2) == 1 ? Dataplane.Threads.ONE : Dataplane.Threads.TWO)
            .orElse(Dataplane.Threads.forThisMachine());
        MacMoveGuard.Options macMove = sw.get("macMove").map(DaemonConfigParser::macMove)
            .orElse(MacMoveGuard.Options.DEFAULT);
        LoopPlacement placement = placement(sw);
        Optional<YamlValue> loopsValue = sw.get("loops");
        int loops = loopsValue.map(v -> Values.integer(v, "switch.loops", 1, SwitchOptions.MAX_LANES)).orElse(1);
        if (loops > 1) {
            Optional<YamlValue> threadsValue = sw.get("threads");
            if (threadsValue.isPresent() && threads == Dataplane.Threads.TWO) {
                throw threadsValue.get().where().error("switch.threads: 2 gives the one switch loop a sender thread;"
                    + " with switch.loops: " + loops + " each loop transmits itself (remove switch.threads)");
            }
            if (placement.cpu() != Dataplane.NO_CPU) {
                throw sw.get("cpu").orElseThrow().where().error("switch.cpu pins the one switch loop; with"
                    + " switch.loops: " + loops + " the kernel places the loops (remove switch.cpu)");
            }
            threads = Dataplane.Threads.ONE;
        }

        Map<String, PortGroupPolicy> groups = new LinkedHashMap<>();
        for (YamlValue v : section(root, "portGroups")) {
            PortGroupPolicy pg = PolicyParser.portGroup(v, "the config");
            if (groups.put(pg.name(), pg) != null) {
                throw v.where().error("port group '" + pg.name() + "' is defined twice");
            }
        }
        Map<String, Where> names = new HashMap<>();
        List<PortConfig> ports = new ArrayList<>();
        Map<String, Where> sockets = new HashMap<>();
        for (YamlValue v : section(root, "ports")) {
            PortConfig p = port(v, groups);
            unique(names, p.name(), v.where());
            if (p.type() == PortConfig.Type.VHOSTUSER) {
                Where first = sockets.putIfAbsent(p.socket(), v.where());
                if (first != null) {
                    throw v.where().error("port '" + p.name() + "': socket " + p.socket() + " is already the socket of"
                        + " the port at " + first);
                }
            }
            ports.add(p);
        }
        LagConfigParser.checkInterfacesOnce(section(root, "ports"), ports);
        List<TunnelConfig> tunnels = new ArrayList<>();
        Map<Integer, Where> vnis = new HashMap<>();
        for (YamlValue v : section(root, "tunnels")) {
            TunnelConfig t = tunnel(v);
            unique(names, t.name(), v.where());
            Where first = vnis.putIfAbsent(t.vni(), v.where());
            if (first != null) {
                throw v.where().error("tunnel '" + t.name() + "': VNI " + t.vni() + " is already carried by the tunnel at "
                    + first);
            }
            tunnels.add(t);
        }
        EvpnSection evpn = evpn(root, tunnels);
        Optional<YamlValue> apiValue = root.get("api");
        ApiOptions api = apiValue.isPresent() ? api(apiValue.get()) : ApiOptions.defaults(); // null: api: off
        // No ports is a switch waiting for 'vxswitch ports add' (a libvirt hook, the packaged default config); with
        // the API off nothing could ever add one.
        if (ports.isEmpty() && tunnels.isEmpty() && api == null) {
            throw root.where().error("the config has no ports and no tunnels, and api: off: nothing could add a port"
                + " at run time; give the switch a port, or the API for 'vxswitch ports add'");
        }
        IpfixOptions ipfix = IpfixConfigParser.parse(root.get("ipfix"));
        List<MirrorSession> mirrors = new ArrayList<>();
        for (YamlValue v : section(root, "mirrors")) {
            mirrors.add(mirror(v, mirrors, ports));
        }
        return new DaemonConfig(name, fdbCapacity, rpf, threads, loops, placement, macMove,
            List.copyOf(groups.values()),
            ports, tunnels, api, evpn, ipfix, Set.of(), mirrors, Set.of());
    }

    /**
     * One mirror session, checked against the sessions before it and the ports the config has. A port it names that
     * the config does not have is allowed: a port added at run time may come later (the session waits for it).
     */
    static MirrorSession mirror(YamlValue v, List<MirrorSession> before, List<PortConfig> ports) {
        MirrorSession m = MirrorParser.session(v);
        for (MirrorSession o : before) {
            if (o.name().equals(m.name())) {
                throw v.where().error("mirror session '" + m.name() + "' is defined twice");
            }
            String conflict = m.conflictWith(o);
            if (conflict != null) {
                throw v.where().error(conflict);
            }
        }
        for (PortConfig p : ports) {
            if (p.name().equals(m.destinationPort()) && p.kind() != PortKind.VNIC) {
                throw v.where().error("mirror session '" + m.name() + "': destination port '" + p.name() + "' is an "
                    + "uplink; a SPAN destination is a vNIC port (an analyzer's interface): name a tap or vhostuser"
                    + " port, or an interface port with kind: vnic");
            }
        }
        return m;
    }

    /** The {@code evpn} section, checked against the tunnels that use it; null when there is none. */
    private static EvpnSection evpn(YamlMap root, List<TunnelConfig> tunnels) {
        Optional<YamlValue> section = root.get("evpn");
        List<TunnelConfig> evpnTunnels = tunnels.stream().filter(t -> t.evpn() != null).toList();
        if (section.isEmpty()) {
            if (!evpnTunnels.isEmpty()) {
                throw root.where().error("tunnel '" + evpnTunnels.getFirst().name() + "' has controlPlane: evpn, but"
                    + " the config has no evpn section: add evpn: {asn: ..., neighbors: [{address: ..., asn: ...}]}");
            }
            return null;
        }
        if (evpnTunnels.isEmpty()) {
            throw section.get().where().error("evpn: no tunnel has controlPlane: evpn, so the speaker would have no"
                + " VNI to advertise; set controlPlane: evpn on a tunnel, or remove the evpn section");
        }
        int routerId = evpnTunnels.stream().filter(t -> t.local().isIpv4()).map(t -> t.local().ipv4()).findFirst()
            .orElse(0);
        return EvpnConfigParser.section(section.get(), routerId);
    }

    /**
     * {@code switch.cpu} (an online CPU, not the only one), {@code switch.poll} (wait, or busy with a cpu) and
     * {@code switch.tapReads} (auto, io_uring or read).
     */
    private static LoopPlacement placement(YamlMap sw) {
        int cpu = Dataplane.NO_CPU;
        Optional<YamlValue> cpuValue = sw.get("cpu");
        if (cpuValue.isPresent()) {
            BitSet online = CpuAffinity.online();
            cpu = Values.integer(cpuValue.get(), "switch.cpu", 0, 1023);
            if (!online.get(cpu)) {
                throw cpuValue.get().where().error("switch.cpu: CPU " + cpu + " is not online here (online: "
                    + online.toString().replaceAll("[{}]", "") + ")");
            }
            if (online.cardinality() < 2) {
                throw cpuValue.get().where().error("switch.cpu: this machine has one CPU; the switch loop cannot have "
                    + "one to itself (remove switch.cpu)");
            }
        }
        boolean busy = false;
        Optional<YamlValue> pollValue = sw.get("poll");
        if (pollValue.isPresent()) {
            busy = switch (Values.text(pollValue.get(), "switch.poll")) {
                case "wait" -> false;
                case "busy" -> true;
                default -> throw pollValue.get().where().error("switch.poll must be wait or busy, got "
                    + pollValue.get().describe());
            };
            if (busy && cpu == Dataplane.NO_CPU) {
                throw pollValue.get().where().error("switch.poll: busy needs switch.cpu: a loop that never sleeps on a "
                    + "core it shares slows down everything else there, the switch included");
            }
        }
        TapReadMode tapReads = LoopPlacement.DEFAULT_TAP_READS;
        Optional<YamlValue> readsValue = sw.get("tapReads");
        if (readsValue.isPresent()) {
            tapReads = switch (Values.text(readsValue.get(), "switch.tapReads")) {
                case "auto" -> TapReadMode.AUTO;
                case "io_uring" -> TapReadMode.RING;
                case "read" -> TapReadMode.READ;
                default -> throw readsValue.get().where().error("switch.tapReads must be auto, io_uring or read, got "
                    + readsValue.get().describe());
            };
        }
        return new LoopPlacement(cpu, busy, tapReads);
    }

    private static final List<String> MAC_MOVE_KEYS = List.of("maxMoves", "windowSeconds", "holdSeconds");

    /** {@code macMove: {maxMoves: 5, windowSeconds: 10, holdSeconds: 0}}: flap detection, and freezing when hold > 0. */
    private static MacMoveGuard.Options macMove(YamlValue v) {
        YamlMap m = Values.map(v, "switch.macMove");
        m.allowOnly("switch.macMove", MAC_MOVE_KEYS);
        MacMoveGuard.Options d = MacMoveGuard.Options.DEFAULT;
        int maxMoves = m.get("maxMoves").map(x -> Values.integer(x, "switch.macMove.maxMoves", 1, 1_000_000))
            .orElse(d.maxMoves());
        int window = m.get("windowSeconds").map(x -> Values.integer(x, "switch.macMove.windowSeconds", 1, 3600))
            .orElse((int) (d.windowNanos() / 1_000_000_000L));
        int hold = m.get("holdSeconds").map(x -> Values.integer(x, "switch.macMove.holdSeconds", 0, 86_400))
            .orElse((int) (d.holdNanos() / 1_000_000_000L));
        return new MacMoveGuard.Options(maxMoves, window * 1_000_000_000L, hold * 1_000_000_000L);
    }

    private static final List<String> API_KEYS = List.of("listen", "token", "tokenFile");

    /** {@code api: {listen: 127.0.0.1:7739, token: ..., tokenFile: ...}}, or {@code api: off}; null when off. */
    private static ApiOptions api(YamlValue v) {
        if (v instanceof YamlValue.Scalar s && "off".equals(s.text())) {
            return null;
        }
        YamlMap m = Values.map(v, "api");
        m.allowOnly("api", API_KEYS);
        ApiOptions d = ApiOptions.defaults();
        String host = d.host();
        int port = d.port();
        Optional<YamlValue> listen = m.get("listen");
        if (listen.isPresent()) {
            String text = Values.text(listen.get(), "api.listen");
            int colon = text.lastIndexOf(':');
            try {
                host = text.substring(0, colon).replace("[", "").replace("]", "");
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (RuntimeException e) {
                throw listen.get().where().error("api.listen must be ADDRESS:PORT, like 127.0.0.1:7739, got '"
                    + text + "'");
            }
        }
        String token = m.get("token").map(t -> Values.text(t, "api.token")).orElse(null);
        Path tokenFile = m.get("tokenFile").map(t -> Path.of(Values.text(t, "api.tokenFile")))
            .orElse(d.tokenFile());
        try {
            return new ApiOptions(host, port, token, tokenFile);
        } catch (IllegalArgumentException e) {
            throw v.where().error("api: " + e.getMessage());
        }
    }

    private static List<YamlValue> section(YamlMap root, String key) {
        return root.get(key).map(v -> Values.list(v, key)).orElse(List.of());
    }

    private static void unique(Map<String, Where> names, String name, Where where) {
        Where first = names.putIfAbsent(name, where);
        if (first != null) {
            throw where.error("port name '" + name + "' is already used at " + first);
        }
    }

    static PortConfig port(YamlValue v, List<PortGroupPolicy> groups) {
        Map<String, PortGroupPolicy> byName = new LinkedHashMap<>();
        groups.forEach(g -> byName.put(g.name(), g));
        return port(v, byName);
    }

    private static PortConfig port(YamlValue v, Map<String, PortGroupPolicy> groups) {
        YamlMap m = Values.map(v, "port");
        m.allowOnly("port", PORT_KEYS);
        String name = Values.name(m.require("name", "port"), "port name");
        String what = "port '" + name + "'";
        YamlValue typeValue = m.require("type", what);
        PortConfig.Type type = switch (Values.text(typeValue, what + ": type")) {
            case "tap" -> PortConfig.Type.TAP;
            case "interface" -> PortConfig.Type.INTERFACE;
            case "vhostuser" -> PortConfig.Type.VHOSTUSER;
            case "lag" -> PortConfig.Type.LAG;
            default -> throw typeValue.where().error(what + ": type must be tap (vxswitch creates a TAP device), "
                + "interface (an existing interface) or vhostuser (a VM's virtio-net NIC on a vhost-user socket), got "
                + typeValue.describe() + " (existing interfaces aggregated with LACP are one port of type lag)");
        };
        LagOptions lag = null;
        if (type == PortConfig.Type.LAG) {
            lag = LagConfigParser.lag(m, name, what);
        } else {
            for (String key : LAG_KEYS) {
                m.get(key).ifPresent(x -> {
                    throw x.where().error(what + ": " + key + " is for type lag (a link aggregation group)");
                });
            }
        }
        PortKind kind = m.get("kind").map(k -> switch (Values.text(k, what + ": kind")) {
            case "vnic" -> PortKind.VNIC;
            case "uplink" -> PortKind.UPLINK;
            default -> throw k.where().error(what + ": kind must be vnic or uplink, got " + k.describe());
        }).orElse(type == PortConfig.Type.INTERFACE || type == PortConfig.Type.LAG ? PortKind.UPLINK : PortKind.VNIC);
        if (type == PortConfig.Type.LAG && kind != PortKind.UPLINK) {
            throw m.require("kind", what).where().error(what + ": a LAG is an uplink (its partner is a physical switch);"
                + " remove kind");
        }
        YamlValue groupValue = m.require("portGroup", what);
        String group = Values.name(groupValue, what + ": portGroup");
        PortGroupPolicy pg = groups.get(group);
        if (pg == null) {
            throw groupValue.where().error(what + ": no port group '" + group + "' ("
                + (groups.isEmpty() ? "the file defines none: add it under portGroups"
                : "defined: " + String.join(", ", groups.keySet())) + ")");
        }
        String iface = null;
        if (type == PortConfig.Type.INTERFACE) {
            YamlValue i = m.require("interface", what + " (type interface)");
            iface = Values.name(i, what + ": interface");
            checkInterfaceName(iface, i, what + ": interface");
        } else if (type == PortConfig.Type.VHOSTUSER) {
            m.get("interface").ifPresent(i -> {
                throw i.where().error(what + ": interface is for type interface; a vhostuser port is a socket");
            });
        } else if (type == PortConfig.Type.LAG) {
            m.get("interface").ifPresent(i -> {
                throw i.where().error(what + ": interface is for type interface; a LAG's interfaces are its members");
            });
        } else {
            checkInterfaceName(name, v, what + ": a tap's name");
            m.get("interface").ifPresent(i -> {
                throw i.where().error(what + ": interface is for type interface; a tap is named after the port");
            });
        }
        long mac = m.get("mac").map(x -> Values.mac(x, what + ": mac")).orElse(Port.NO_MAC);
        if (kind == PortKind.UPLINK && mac != Port.NO_MAC) {
            throw m.require("mac", what).where().error(what + ": an uplink has no vNIC MAC; remove mac or use kind: vnic");
        }
        if (kind == PortKind.VNIC && mac == Port.NO_MAC && !pg.security().forgedTransmits()) {
            throw v.where().error(what + ": give the MAC of the VM behind this vNIC port (mac: ...), or its port group '"
                + group + "' must accept forged transmits (and should learn MACs): with forged transmits reject "
                + "and no MAC, every frame from it would be dropped");
        }
        int mtu = m.get("mtu").map(x -> Values.integer(x, what + ": mtu", 68, 9000)).orElse(0);
        if (mtu != 0 && type != PortConfig.Type.TAP) {
            throw m.require("mtu", what).where().error(what + ": mtu is set on taps vxswitch creates; "
                + (type == PortConfig.Type.VHOSTUSER ? "set a VM's MTU inside the VM (or QEMU's host_mtu)"
                : "set an existing interface's MTU with ip link"));
        }
        boolean offload = m.get("offload").map(x -> Values.bool(x, what + ": offload"))
            .orElse(type != PortConfig.Type.INTERFACE && type != PortConfig.Type.LAG);
        boolean ring = m.get("ring").map(x -> Values.bool(x, what + ": ring")).orElse(false);
        if (ring && type != PortConfig.Type.INTERFACE && type != PortConfig.Type.LAG) {
            throw m.require("ring", what).where().error(what + ": ring is for interface ports (a TPACKET_V3 receive "
                + "ring on the packet socket); a tap is read with read(2)");
        }
        String socket = null;
        VhostUserEndpoint.Mode mode = null;
        String socketGroup = null;
        if (type == PortConfig.Type.VHOSTUSER) {
            YamlValue sv = m.require("socket", what + " (type vhostuser)");
            socket = Values.text(sv, what + ": socket");
            if (!socket.startsWith("/") || socket.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                > UnixCalls.MAX_PATH) {
                throw sv.where().error(what + ": socket must be an absolute path of at most " + UnixCalls.MAX_PATH
                    + " bytes (a Unix socket's limit), got '" + socket + "'");
            }
            mode = m.get("mode").map(x -> switch (Values.text(x, what + ": mode")) {
                case "server" -> VhostUserEndpoint.Mode.SERVER;
                case "client" -> VhostUserEndpoint.Mode.CLIENT;
                default -> throw x.where().error(what + ": mode must be server (vxswitch creates the socket) or client"
                    + " (QEMU creates it, vxswitch connects and reconnects), got " + x.describe());
            }).orElse(VhostUserEndpoint.Mode.SERVER);
            YamlValue gv = m.get("socketGroup").orElse(null);
            if (gv != null) {
                socketGroup = Values.text(gv, what + ": socketGroup");
                if (mode != VhostUserEndpoint.Mode.SERVER) {
                    throw gv.where().error(what + ": socketGroup is for mode server (vxswitch creates the socket); in "
                        + "mode client QEMU creates it and vxswitch, as root, can connect to it");
                }
                if (!socketGroup.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
                    throw gv.where().error(what + ": socketGroup must be a group name like kvm or libvirt-qemu, got '"
                        + socketGroup + "'");
                }
            }
        } else {
            for (String key : List.of("socket", "mode", "socketGroup")) {
                m.get(key).ifPresent(x -> {
                    throw x.where().error(what + ": " + key + " is for type vhostuser");
                });
            }
        }
        return new PortConfig(name, type, kind, group, iface, mac, mtu, offload, ring, socket, mode, socketGroup, lag);
    }

    private static void checkInterfaceName(String name, YamlValue v, String what) {
        if (name.length() > MAX_INTERFACE_NAME || name.contains("/")) {
            throw v.where().error(what + " '" + name + "' is not a Linux interface name (at most 15 characters, no '/')");
        }
    }

    private static TunnelConfig tunnel(YamlValue v) {
        YamlMap m = Values.map(v, "tunnel");
        m.allowOnly("tunnel", TUNNEL_KEYS);
        String name = Values.name(m.require("name", "tunnel"), "tunnel name");
        String what = "tunnel '" + name + "'";
        int vni = Values.integer(m.require("vni", what), what + ": vni", 1, Vxlan.MAX_VNI);
        int vlan = Values.integer(m.require("vlan", what), what + ": vlan", 0, Dot1q.MAX_VID);
        VtepAddress local = address(m.require("local", what), what + ": local");
        if (local.isMulticast() || local.isUnspecified()) {
            throw m.require("local", what).where().error(what + ": local must be a unicast address of this host");
        }
        List<VtepAddress> remotes = new ArrayList<>();
        for (YamlValue r : m.get("remotes").map(x -> Values.list(x, what + ": remotes")).orElse(List.of())) {
            VtepAddress a = address(r, what + ": remotes");
            if (a.isMulticast() || a.isUnspecified()) {
                throw r.where().error(what + ": remote " + a + " is not a unicast VTEP address");
            }
            if (a.isIpv4() != local.isIpv4()) {
                throw r.where().error(what + ": remote " + a + " is not of the local address's family (" + local + ")");
            }
            remotes.add(a);
        }
        int port = m.get("port").map(x -> Values.integer(x, what + ": port", 1, 65535)).orElse(TunnelConfig.DEFAULT_PORT);
        int mtu = m.get("underlayMtu").map(x -> Values.integer(x, what + ": underlayMtu", 1280, 65535))
            .orElse(TunnelConfig.DEFAULT_UNDERLAY_MTU);
        boolean strict = m.get("strictReservedBits").map(x -> Values.bool(x, what + ": strictReservedBits"))
            .orElse(false);
        boolean gro = m.get("gro").map(x -> Values.bool(x, what + ": gro")).orElse(true);
        TunnelEvpn evpn = controlPlane(m, what);
        // an EVPN tunnel learns remote MACs from type-2 routes, not from frames (FRR's vxlan device: nolearning)
        boolean learning = m.get("learning").map(x -> Values.bool(x, what + ": learning")).orElse(evpn == null);
        AcceptFrom acceptFrom = m.get("acceptFrom").map(x -> acceptFrom(x, what)).orElse(AcceptFrom.KNOWN);
        return new TunnelConfig(name, vni, vlan, local, remotes, port, learning, mtu, strict, gro, evpn, acceptFrom);
    }

    private static AcceptFrom acceptFrom(YamlValue v, String what) {
        try {
            return AcceptFrom.parse(Values.text(v, what + ": acceptFrom"));
        } catch (IllegalArgumentException e) {
            throw v.where().error(what + ": " + e.getMessage());
        }
    }

    /** {@code controlPlane: static} (the default: the flood list is {@code remotes}) or {@code evpn}. */
    private static TunnelEvpn controlPlane(YamlMap m, String what) {
        String plane = m.get("controlPlane").map(x -> Values.text(x, what + ": controlPlane")).orElse("static");
        switch (plane) {
            case "static" -> {
                for (String key : List.of("rd", "routeTargets", "arpSuppression")) {
                    m.get(key).ifPresent(x -> {
                        throw x.where().error(what + ": " + key + " is for controlPlane: evpn");
                    });
                }
                return null;
            }
            case "evpn" -> {
                return EvpnConfigParser.tunnel(m, what);
            }
            default -> throw m.require("controlPlane", what).where().error(what + ": controlPlane must be static"
                + " (the flood list is remotes) or evpn (BGP EVPN routes fill it), got '" + plane + "'");
        }
    }

    private static VtepAddress address(YamlValue v, String what) {
        String text = Values.text(v, what);
        try {
            return VtepAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw v.where().error(what + ": " + e.getMessage());
        }
    }
}
