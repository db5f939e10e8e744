package io.vxswitch.evpn.switching;

import io.vxswitch.evpn.EvpnDataplane;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VtepAddress;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.Object2IntHashMap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What EVPN decides, done to the switch: the changes of one burst (see {@link EvpnDataplane#commit}) become one
 * command run where the switch may be changed (in the daemon, the dataplane's command path: the conductor runs it
 * between two turns while the other forwarding agents are held, so forwarding takes no lock and never sees half a
 * change; in the lab, at once), and 100,000 routes cost about a hundred commands and wake-ups, not 100,000. Type-3
 * routes fill the VNI's flood list beside any static {@code remotes}; type-2 routes become {@code evpn} FDB entries on
 * the tunnel port, behind the remote VTEP; address bindings (MAC/IP routes, local ARP) fill the switch's ARP
 * suppression table for VNIs with {@code arpSuppression}.
 *
 * <p>A remote VTEP stays registered while a flood list or an EVPN MAC names it; when neither does (and it is not a
 * static remote) it is removed, so {@code vxswitch tunnels} shows the fabric as it is.
 *
 * <p>Threads: the change methods and {@link #commit} on the control plane's thread; the commands where they run.
 */
public final class SwitchProgrammer implements EvpnDataplane {
    /**
     * Most changes in one command: bounds how long one command keeps the switch from forwarding (a few hundred
     * microseconds; the conductor gives forwarding a turn after half a millisecond of commands).
     */
    static final int MAX_BATCH = 512;
    /** Interned VTEP addresses beyond this many are forgotten (a fabric has thousands of VTEPs, not millions). */
    private static final int MAX_INTERNED = 1 << 16;

    /** One EVPN tunnel as the switch knows it. */
    public record Tunnel(int vni, int vlan, int tunnelPort, FloodList flood, RemoteVteps remotes,
                         Set<VtepAddress> staticRemotes, boolean arpSuppression) {
    }

    private static final long REFUSAL_LOG_NANOS = 10_000_000_000L;

    private final Consumer<Consumer<Switch>> commands;
    private final Map<Integer, Tunnel> tunnels = new HashMap<>();
    private final Consumer<String> log;
    /** The changes told since the last commit, in order. Speaker's thread only. */
    private List<Consumer<Switch>> pending = new ArrayList<>();
    /** One VtepAddress per VTEP, shared by every MAC behind it. Speaker's thread only. */
    private final Map<InetAddress, VtepAddress> interned = new HashMap<>();
    /** Per VNI and VTEP: how many things name it (flood membership counts one, each EVPN MAC one). Conductor only. */
    private final Map<Integer, Object2IntHashMap<VtepAddress>> uses = new HashMap<>();
    /** Per VNI, the VTEP each remote MAC was installed behind. Conductor only. */
    private final Map<Integer, Long2ObjectHashMap<VtepAddress>> installed = new HashMap<>();

    /** Remote MACs the FDB refused, and when that was last logged. Where the commands run only. */
    private long refusedMacs;
    private long lastRefusalLog;
    private boolean refusalLogged;

    /**
     * @param commands runs a change where the switch may be changed: the daemon's {@code Dataplane::submit} (the
     *                 conductor, between two turns, the other agents held); the lab runs it at once on its one thread
     */
    public SwitchProgrammer(Consumer<Consumer<Switch>> commands, List<Tunnel> tunnels, Consumer<String> log) {
        this.commands = commands;
        this.log = log;
        for (Tunnel t : tunnels) {
            this.tunnels.put(t.vni(), t);
            uses.put(t.vni(), new Object2IntHashMap<>(0));
            installed.put(t.vni(), new Long2ObjectHashMap<>());
        }
    }

    @Override
    public void addFloodVtep(int vni, InetAddress vtep) {
        Tunnel t = tunnels.get(vni);
        VtepAddress a = address(vtep);
        change(sw -> {
            if (t.staticRemotes().contains(a)) {
                return; // a static remote: the flood list has it already
            }
            try {
                t.flood().add(vni, a);
                use(t, a, +1);
            } catch (RuntimeException e) {
                log.accept("EVPN: VNI " + vni + ": cannot flood to " + a + ": " + e.getMessage());
            }
        });
    }

    @Override
    public void removeFloodVtep(int vni, InetAddress vtep) {
        Tunnel t = tunnels.get(vni);
        VtepAddress a = address(vtep);
        change(sw -> {
            if (t.staticRemotes().contains(a)) {
                return; // the static flood list keeps it
            }
            if (t.flood().remove(vni, a)) {
                use(t, a, -1);
            }
        });
    }

    @Override
    public void installRemoteMac(int vni, long mac, InetAddress vtep, long sequence) {
        Tunnel t = tunnels.get(vni);
        VtepAddress a = address(vtep);
        change(sw -> {
            int id;
            try {
                id = t.remotes().register(a);
            } catch (RuntimeException e) {
                log.accept("EVPN: VNI " + vni + ": cannot install a MAC behind " + a + ": " + e.getMessage());
                return;
            }
            if (!sw.fdb().addEvpn(t.vlan(), mac, t.tunnelPort(), id, sequence)) {
                refused(vni, mac, a);
                return;
            }
            VtepAddress before = installed.get(vni).put(mac, a);
            if (!a.equals(before)) {
                use(t, a, +1);
                use(t, before, -1);
            }
        });
    }

    @Override
    public void removeRemoteMac(int vni, long mac) {
        Tunnel t = tunnels.get(vni);
        change(sw -> {
            VtepAddress before = installed.get(vni).remove(mac);
            if (before != null) {
                sw.fdb().removeEvpn(t.vlan(), mac); // false if a local frame has taken the MAC meanwhile: it stays
                use(t, before, -1);
            }
        });
    }

    @Override
    public void bindAddress(int vni, InetAddress ip, long mac) {
        Tunnel t = tunnels.get(vni);
        if (!t.arpSuppression()) {
            return;
        }
        ByteBuffer a = ByteBuffer.wrap(ip.getAddress());
        if (ip instanceof Inet4Address) {
            int ipv4 = a.getInt();
            change(sw -> sw.arpSuppression().bind(t.vlan(), ipv4, mac));
        } else {
            long high = a.getLong();
            long low = a.getLong();
            change(sw -> sw.arpSuppression().bind(t.vlan(), high, low, mac));
        }
    }

    @Override
    public void unbindAddress(int vni, InetAddress ip, long mac) {
        Tunnel t = tunnels.get(vni);
        if (!t.arpSuppression()) {
            return;
        }
        ByteBuffer a = ByteBuffer.wrap(ip.getAddress());
        if (ip instanceof Inet4Address) {
            int ipv4 = a.getInt();
            change(sw -> sw.arpSuppression().unbind(t.vlan(), ipv4, mac));
        } else {
            long high = a.getLong();
            long low = a.getLong();
            change(sw -> sw.arpSuppression().unbind(t.vlan(), high, low, mac));
        }
    }

    /** The burst's changes go to the switch as one command (or a few, of at most {@link #MAX_BATCH} each). */
    @Override
    public void commit() {
        if (pending.isEmpty()) {
            return;
        }
        List<Consumer<Switch>> batch = pending;
        pending = new ArrayList<>();
        commands.accept(sw -> {
            for (Consumer<Switch> c : batch) {
                c.accept(sw);
            }
        });
    }

    private void change(Consumer<Switch> c) {
        pending.add(c);
        if (pending.size() >= MAX_BATCH) {
            commit();
        }
    }

    /**
     * A remote MAC the FDB refused (a static or vNIC MAC has the key, or the table is full of static and EVPN
     * entries): one log line at most every 10 s, with how many were refused meanwhile, so 100,000 routes into a
     * small table do not write 100,000 lines.
     */
    private void refused(int vni, long mac, VtepAddress vtep) {
        refusedMacs++;
        long now = System.nanoTime();
        if (refusalLogged && now - lastRefusalLog < REFUSAL_LOG_NANOS) {
            return;
        }
        log.accept("EVPN: VNI " + vni + ": MAC " + io.vxswitch.packet.MacAddress.format(mac) + " behind " + vtep
            + " not installed: the FDB has it as a static or vNIC MAC, or is full of static and EVPN entries (raise"
            + " switch.fdbCapacity); " + refusedMacs + " refused so far");
        refusalLogged = true;
        lastRefusalLog = now;
    }

    /** Counts a use of {@code a} in VNI {@code t}; the last use gone, the VTEP is removed (unless static). */
    private void use(Tunnel t, VtepAddress a, int delta) {
        if (a == null) {
            return;
        }
        Object2IntHashMap<VtepAddress> u = uses.get(t.vni());
        int n = u.getValue(a) + delta;
        if (n > 0) {
            u.put(a, n);
            return;
        }
        u.removeKey(a);
        if (!t.staticRemotes().contains(a)) {
            t.remotes().remove(a); // forgets the FDB entries and flood memberships that still named it
        }
    }

    private VtepAddress address(InetAddress ip) {
        VtepAddress a = interned.get(ip);
        if (a == null) {
            if (interned.size() >= MAX_INTERNED) {
                interned.clear();
            }
            a = toVtep(ip);
            interned.put(ip, a);
        }
        return a;
    }

    static VtepAddress toVtep(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return VtepAddress.ipv4(ByteBuffer.wrap(b).getInt());
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return VtepAddress.ipv6(buf.getLong(), buf.getLong());
    }
}
