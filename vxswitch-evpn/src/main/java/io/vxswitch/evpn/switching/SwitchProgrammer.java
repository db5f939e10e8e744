package io.vxswitch.evpn.switching;

import io.vxswitch.evpn.EvpnDataplane;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VtepAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What EVPN decides, done to the switch: each change is a command run where the switch may be changed (in the
 * daemon, the dataplane's command path: the conductor runs it between two turns while the other forwarding agents
 * are held, so forwarding takes no lock and never sees half a change; in the lab, at once). Type-3 routes fill the VNI's flood list beside any static {@code remotes}; type-2 routes become
 * {@code evpn} FDB entries on the tunnel port, behind the remote VTEP.
 *
 * <p>A remote VTEP stays registered while a flood list or an EVPN MAC names it; when neither does (and it is not a
 * static remote) it is removed, so {@code vxswitch tunnels} shows the fabric as it is. Address bindings (MAC/IP
 * routes, local ARP) fill the switch's ARP suppression table for VNIs with {@code arpSuppression}.
 */
public final class SwitchProgrammer implements EvpnDataplane {
    /** One EVPN tunnel as the switch knows it. */
    public record Tunnel(int vni, int vlan, int tunnelPort, FloodList flood, RemoteVteps remotes, Set<VtepAddress> staticRemotes,
                  boolean arpSuppression) {
    }

    private static final long REFUSAL_LOG_NANOS = 10_000_000_000L;

    /** Runs a change to the switch where changes are safe: the daemon's command path, or at once in the lab. */
    private final Consumer<Consumer<Switch>> dataplane;
    /** Remote MACs the FDB refused, and when that was last logged. Conductor only. */
    private long refusedMacs;
    private long lastRefusalLog;
    private boolean refusalLogged;
    private final Map<Integer, Tunnel> tunnels = new HashMap<>();
    private final Consumer<String> log;
    /** Per VNI and VTEP: how many things name it (flood membership counts one, each EVPN MAC one). Conductor only. */
    private final Map<Integer, Map<VtepAddress, Integer>> uses = new HashMap<>();
    /** Per VNI, the VTEP each remote MAC was installed behind. Conductor only. */
    private final Map<Integer, Map<Long, VtepAddress>> installed = new HashMap<>();

    /**
     * @param commands runs each change where the switch may be changed: the daemon passes its dataplane's command
     *                 path ({@code Dataplane.submit}: the conductor, between two turns, the other agents held), the lab
     *                 runs it at once on its one thread
     */
    public SwitchProgrammer(Consumer<Consumer<Switch>> commands, List<Tunnel> tunnels, Consumer<String> log) {
        this.dataplane = commands;
        this.log = log;
        for (Tunnel t : tunnels) {
            this.tunnels.put(t.vni(), t);
            uses.put(t.vni(), new HashMap<>());
            installed.put(t.vni(), new HashMap<>());
        }
    }

    @Override
    public void addFloodVtep(int vni, InetAddress vtep) {
        Tunnel t = tunnels.get(vni);
        VtepAddress a = address(vtep);
        dataplane.accept(sw -> {
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
        dataplane.accept(sw -> {
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
        dataplane.accept(sw -> {
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
        dataplane.accept(sw -> {
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
        if (t.arpSuppression() && ip instanceof Inet4Address) {
            int ipv4 = ByteBuffer.wrap(ip.getAddress()).getInt();
            dataplane.accept(sw -> sw.arpSuppression().bind(t.vlan(), ipv4, mac));
        }
    }

    @Override
    public void unbindAddress(int vni, InetAddress ip, long mac) {
        Tunnel t = tunnels.get(vni);
        if (t.arpSuppression() && ip instanceof Inet4Address) {
            int ipv4 = ByteBuffer.wrap(ip.getAddress()).getInt();
            dataplane.accept(sw -> sw.arpSuppression().unbind(t.vlan(), ipv4, mac));
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
        Map<VtepAddress, Integer> u = uses.get(t.vni());
        int n = u.getOrDefault(a, 0) + delta;
        if (n > 0) {
            u.put(a, n);
            return;
        }
        u.remove(a);
        if (!t.staticRemotes().contains(a)) {
            t.remotes().remove(a); // forgets the FDB entries and flood memberships that still named it
        }
    }

    static VtepAddress address(InetAddress ip) {
        byte[] b = ip.getAddress();
        if (ip instanceof Inet4Address) {
            return VtepAddress.ipv4(ByteBuffer.wrap(b).getInt());
        }
        ByteBuffer buf = ByteBuffer.wrap(b);
        return VtepAddress.ipv6(buf.getLong(), buf.getLong());
    }
}
