package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.Addresses;
import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.AsPathSegment;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;
import io.vxswitch.bgp.message.Update;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The EVPN control plane of one host without threads, sockets or clocks: UPDATEs in from neighbor {@code i}, the RIB
 * of what they send, the VNIs that turn routes into flood lists and remote MACs, the routes this VTEP originates (a
 * type-3 per VNI, a type-2 per local MAC), and UPDATEs out through {@link Neighbors}. FRR's three layers (bgpd's RIB,
 * the per-VNI state, the dataplane) in one direction: UPDATE → {@link EvpnRib} → {@link EvpnVni} → {@link
 * EvpnDataplane}; local MAC → {@link EvpnVni} → UPDATE. The daemon drives it from the BGP speaker's thread ({@link
 * EvpnSpeaker}); a test or the lab can drive it by hand, in virtual time.
 *
 * <p>Changes to what this host advertises are batched: the first one asks {@link Neighbors#flushSoon} to call
 * {@link #flush} once the work at hand is done, and the flush sends them packed into few UPDATEs.
 */
public final class EvpnControlPlane implements LocalMacs {
    /** The BGP sessions as the control plane sees them: by index, in configuration order. */
    public interface Neighbors {
        boolean established(int neighbor);

        /** iBGP (the reflector case: empty AS_PATH, LOCAL_PREF) or eBGP (our AS prepended). */
        boolean internal(int neighbor);

        void send(int neighbor, Update update);

        /** Call {@link #flush} soon, after the work queued now. */
        void flushSoon();
    }

    private final long asn;
    private final int routerId;
    private final EvpnDataplane dataplane;
    private final Neighbors neighbors;
    private final int neighborCount;
    private final EvpnRib rib;
    private final Map<Integer, EvpnVni> vnis = new LinkedHashMap<>();
    /** What this VTEP advertises (the Adj-RIB-Out, the same for every neighbor), by route key. */
    private final Map<Object, LocalRoute> originated = new LinkedHashMap<>();
    /** The keys of the type-2 routes of each local MAC (MAC only, MAC/IP), to withdraw them together. */
    private final Map<VniMac, List<Object>> macRoutes = new HashMap<>();
    private final Map<Object, LocalRoute> pendingAdvertise = new LinkedHashMap<>();
    private final Map<Object, EvpnRoute> pendingWithdraw = new LinkedHashMap<>();
    private boolean flushRequested;

    public EvpnControlPlane(long asn, int routerId, int neighborCount, List<VniConfig> vniConfigs,
                            EvpnDataplane dataplane, Neighbors neighbors) {
        this.asn = asn;
        this.routerId = routerId;
        this.neighbors = neighbors;
        this.neighborCount = neighborCount;
        this.rib = new EvpnRib(neighborCount, this::routeChanged);
        this.dataplane = dataplane;
        Originator originator = new Originator();
        EvpnDataplane burst = new Burst();
        for (VniConfig v : vniConfigs) {
            vnis.put(v.vni(), new EvpnVni(v, burst, originator));
        }
    }

    /** Originates each VNI's type-3 route (RFC 8365 §5.1.3: ingress replication to this VTEP). */
    public void start() {
        vnis.values().forEach(v -> originate(inclusiveMulticast(v.config())));
    }

    // ---- sessions

    /** A session reached Established: it gets the whole table, then End-of-RIB (RFC 4724). */
    public void sessionUp(int neighbor) {
        sendAll(neighbor);
    }

    /** The neighbor asked for our routes again (RFC 2918). */
    public void routeRefresh(int neighbor) {
        sendAll(neighbor);
    }

    /** A session ended: everything the neighbor taught goes (RFC 4271 §8.2.2). Returns how many routes it had. */
    public int sessionDown(int neighbor) {
        return rib.dropNeighbor(neighbor);
    }

    public void received(int neighbor, Update u) {
        PathAttributes a = u.attributes();
        if (a.mpUnreach() != null) {
            for (EvpnRoute r : a.mpUnreach().routes()) {
                rib.withdraw(neighbor, r);
            }
        }
        if (a.mpReach() == null || !a.mpReach().family().equals(AddressFamily.L2VPN_EVPN)) {
            return;
        }
        if (a.originatorId() == (routerId & 0xFFFF_FFFFL) || loops(a)) {
            return; // RFC 4456 §8 / RFC 4271 §9.1.2: our own route come back, or an AS loop
        }
        ReceivedRoute first = null;
        for (EvpnRoute r : a.mpReach().routes()) {
            // the attributes are read once per UPDATE; its routes share them
            rib.announce(neighbor, first == null ? first = ReceivedRoute.of(r, a.mpReach().nextHop(), a) : first.withRoute(r));
        }
    }

    // ---- local MACs

    @Override
    public void localMacLearned(int vni, long mac, boolean sticky) {
        EvpnVni v = vnis.get(vni);
        if (v != null) {
            v.localLearned(mac, sticky);
        }
    }

    @Override
    public void localMacRemoved(int vni, long mac) {
        EvpnVni v = vnis.get(vni);
        if (v != null) {
            v.localRemoved(mac);
        }
    }

    @Override
    public void localMacAddress(int vni, long mac, InetAddress ip) {
        EvpnVni v = vnis.get(vni);
        if (v != null) {
            v.localAddress(mac, ip);
        }
    }

    @Override
    public void syncLocalMacs(int vni, Map<Long, Boolean> macs) {
        EvpnVni v = vnis.get(vni);
        if (v != null) {
            v.syncLocal(macs);
        }
    }

    // ---- views

    /** Routes received from {@code neighbor} that are still valid (FRR's "PfxRcd"). */
    public int received(int neighbor) {
        return rib.received(neighbor);
    }

    public int originatedCount() {
        return originated.size();
    }

    /** Originated routes (source "local") and the received ones in use, named by {@code neighborName}. */
    public List<RouteView> routes(IntFunction<String> neighborName) {
        List<RouteView> out = new ArrayList<>();
        for (LocalRoute r : originated.values()) {
            long sequence = -1;
            for (long c : r.communities()) {
                if (ExtendedCommunities.isMacMobility(c)) {
                    sequence = ExtendedCommunities.mobilitySequence(c);
                }
            }
            out.add(view(r.route(), r.vni(), r.nextHop(), r.communities(), "local", sequence));
        }
        for (EvpnRib.Selected s : rib.selected()) {
            ReceivedRoute r = s.route();
            out.add(view(r.route(), vniOf(r), r.nextHop(), r.routeTargets(), neighborName.apply(s.neighbor()),
                    r.sequence()));
        }
        return out;
    }

    // ---- received routes

    private boolean loops(PathAttributes a) {
        if (a.asPath() == null) {
            return false;
        }
        for (AsPathSegment s : a.asPath()) {
            for (long x : s.asns()) {
                if (x == asn) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The route in use for a key changed: each VNI that imports it (by route target) hears about it. */
    private void routeChanged(int id, ReceivedRoute now, ReceivedRoute before) {
        for (EvpnVni v : vnis.values()) {
            List<Long> targets = v.config().importTargets();
            ReceivedRoute n = now != null && now.importedBy(targets) ? now : null;
            ReceivedRoute b = before != null && before.importedBy(targets) ? before : null;
            if (n == null && b == null) {
                continue;
            }
            EvpnRoute route = (n != null ? n : b).route();
            if (route instanceof MacIpRoute) {
                v.macRoute(id, n, b);
            } else if (route instanceof InclusiveMulticastRoute) {
                if (b != null) {
                    v.floodRoute(floodEndpoint(b), false);
                }
                if (n != null) {
                    v.floodRoute(floodEndpoint(n), true);
                }
            }
        }
    }

    /** RFC 8365 §5.1.3: ingress replication to the PMSI tunnel's endpoint, or the originating router's address. */
    private static InetAddress floodEndpoint(ReceivedRoute r) {
        PmsiTunnel p = r.pmsi();
        if (p != null && p.endpoint() != null) {
            return p.endpoint();
        }
        return ((InclusiveMulticastRoute) r.route()).originator();
    }

    private int vniOf(ReceivedRoute r) {
        for (EvpnVni v : vnis.values()) {
            if (r.importedBy(v.config().importTargets())) {
                return v.config().vni();
            }
        }
        return -1;
    }

    // ---- originated routes

    private static List<Long> communities(VniConfig v) {
        List<Long> c = new ArrayList<>();
        c.add(ExtendedCommunities.encapsulation(ExtendedCommunities.TUNNEL_VXLAN));
        c.addAll(v.exportTargets());
        return c;
    }

    private static LocalRoute inclusiveMulticast(VniConfig v) {
        return new LocalRoute(v.vni(), new InclusiveMulticastRoute(v.rd(), 0, v.localVtep()), v.localVtep(),
                communities(v), PmsiTunnel.ingressReplication(v.vni(), v.localVtep()));
    }

    private void originate(LocalRoute r) {
        Object key = r.route().key();
        originated.put(key, r);
        pendingWithdraw.remove(key);
        pendingAdvertise.put(key, r);
        requestFlush();
    }

    private void withdrawOriginated(Object key) {
        LocalRoute r = originated.remove(key);
        if (r != null) {
            pendingAdvertise.remove(key);
            pendingWithdraw.put(key, r.route());
            requestFlush();
        }
    }

    private void requestFlush() {
        if (!flushRequested) {
            flushRequested = true;
            neighbors.flushSoon();
        }
    }

    /**
     * Sends what changed since the last flush to every Established neighbor, packed, and hands the dataplane changes
     * made meanwhile to the switch as one burst ({@link EvpnDataplane#commit}).
     */
    public void flush() {
        flushRequested = false;
        dataplane.commit();
        for (int i = 0; i < neighborCount; i++) {
            if (neighbors.established(i)) {
                for (Update u : UpdatePacker.withdrawals(pendingWithdraw.values())) {
                    neighbors.send(i, u);
                }
                for (Update u : UpdatePacker.advertisements(pendingAdvertise.values(), asn, neighbors.internal(i))) {
                    neighbors.send(i, u);
                }
            }
        }
        pendingWithdraw.clear();
        pendingAdvertise.clear();
    }

    private void sendAll(int neighbor) {
        for (Update u : UpdatePacker.advertisements(originated.values(), asn, neighbors.internal(neighbor))) {
            neighbors.send(neighbor, u);
        }
        neighbors.send(neighbor, Update.endOfRib(AddressFamily.L2VPN_EVPN)); // RFC 4724: the table is complete
    }

    private static RouteView view(EvpnRoute r, int vni, InetAddress nextHop, List<Long> communities, String source,
                                  long sequence) {
        String prefix = r.toString();
        int cut = prefix.indexOf(" rd ");
        return new RouteView(r.routeType(), vni, String.valueOf(r.rd()), cut < 0 ? prefix : prefix.substring(0, cut),
                Addresses.format(nextHop), communities.stream().map(ExtendedCommunities::format).toList(), sequence, source);
    }

    private record VniMac(int vni, long mac) {
    }

    /** The VNIs' dataplane changes, passed on and committed together at the next {@link #flush}. */
    private final class Burst implements EvpnDataplane {
        @Override
        public void addFloodVtep(int vni, InetAddress vtep) {
            dataplane.addFloodVtep(vni, vtep);
            requestFlush();
        }

        @Override
        public void removeFloodVtep(int vni, InetAddress vtep) {
            dataplane.removeFloodVtep(vni, vtep);
            requestFlush();
        }

        @Override
        public void installRemoteMac(int vni, long mac, InetAddress vtep, long sequence) {
            dataplane.installRemoteMac(vni, mac, vtep, sequence);
            requestFlush();
        }

        @Override
        public void removeRemoteMac(int vni, long mac) {
            dataplane.removeRemoteMac(vni, mac);
            requestFlush();
        }

        @Override
        public void bindAddress(int vni, InetAddress ip, long mac) {
            dataplane.bindAddress(vni, ip, mac);
            requestFlush();
        }

        @Override
        public void unbindAddress(int vni, InetAddress ip, long mac) {
            dataplane.unbindAddress(vni, ip, mac);
            requestFlush();
        }
    }

    /** The VNIs' local routes: type-2 per local MAC, and per MAC/IP binding. */
    private final class Originator implements EvpnVni.Originator {
        @Override
        public void advertise(VniConfig v, long mac, InetAddress ip, long sequence, boolean sticky) {
            List<Long> c = communities(v);
            if (sequence > 0 || sticky) {
                c.add(ExtendedCommunities.macMobility(sequence, sticky));
            }
            List<Object> keys = macRoutes.computeIfAbsent(new VniMac(v.vni(), mac), k -> new ArrayList<>(2));
            // a new sequence number re-advertises every route of the MAC (MAC only and MAC/IP) with it
            List<InetAddress> addresses = new ArrayList<>();
            addresses.add(null);
            for (Object k : keys) {
                LocalRoute old = originated.get(k);
                if (old != null && ((MacIpRoute) old.route()).ip() != null) {
                    addresses.add(((MacIpRoute) old.route()).ip());
                }
            }
            if (ip != null && !addresses.contains(ip)) {
                addresses.add(ip);
            }
            keys.clear();
            for (InetAddress a : addresses) {
                MacIpRoute route = MacIpRoute.of(v.rd(), mac, a, v.vni());
                keys.add(route.key());
                originate(new LocalRoute(v.vni(), route, v.localVtep(), c, null));
            }
        }

        @Override
        public void withdraw(VniConfig v, long mac) {
            List<Object> keys = macRoutes.remove(new VniMac(v.vni(), mac));
            if (keys != null) {
                keys.forEach(EvpnControlPlane.this::withdrawOriginated);
            }
        }

        @Override
        public void withdrawAddress(VniConfig v, long mac, InetAddress ip) {
            Object key = MacIpRoute.of(v.rd(), mac, ip, v.vni()).key();
            List<Object> keys = macRoutes.get(new VniMac(v.vni(), mac));
            if (keys != null && keys.remove(key)) {
                withdrawOriginated(key);
            }
        }
    }
}
