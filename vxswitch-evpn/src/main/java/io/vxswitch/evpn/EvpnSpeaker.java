package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.AsPathSegment;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.bgp.session.BgpSession;
import io.vxswitch.bgp.session.BgpSpeaker;
import io.vxswitch.bgp.session.SessionState;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The EVPN control plane of one host, on the BGP speaker's thread: sessions to the reflectors, the RIB of what they
 * send, the VNIs that turn routes into flood lists and remote MACs, and the routes this VTEP originates (a type-3
 * per VNI, a type-2 per local MAC). The three layers of FRR (bgpd's RIB, the per-VNI state, the dataplane) in one
 * direction: UPDATE → {@link EvpnRib} → {@link EvpnVni} → {@link EvpnDataplane}; and local MAC → {@link EvpnVni} →
 * UPDATE. Methods called from other threads queue their work on the speaker's thread.
 */
public final class EvpnSpeaker implements AutoCloseable {
    private final EvpnConfig config;
    private final EvpnDataplane dataplane;
    private final Consumer<String> log;
    private final BgpSpeaker speaker;
    private final EvpnRib rib;
    private final Map<Integer, EvpnVni> vnis = new LinkedHashMap<>();
    private final List<BgpSession> sessions = new ArrayList<>();
    /** What this VTEP advertises (the Adj-RIB-Out, the same for every neighbor), by route key. */
    private final Map<Object, LocalRoute> originated = new LinkedHashMap<>();
    /** The keys of the type-2 routes of each local MAC (MAC only, MAC/IP), to withdraw them together. */
    private final Map<VniMac, List<Object>> macRoutes = new HashMap<>();
    private final Map<Object, LocalRoute> pendingAdvertise = new LinkedHashMap<>();
    private final Map<Object, EvpnRoute> pendingWithdraw = new LinkedHashMap<>();
    private boolean flushQueued;

    public EvpnSpeaker(EvpnConfig config, EvpnDataplane dataplane, Consumer<String> log) {
        this.config = config;
        this.log = log;
        this.speaker = new BgpSpeaker(log);
        this.rib = new EvpnRib(config.neighbors().size(), this::routeChanged);
        this.dataplane = dataplane;
        Originator originator = new Originator();
        EvpnDataplane burst = new Burst();
        for (VniConfig v : config.vnis()) {
            vnis.put(v.vni(), new EvpnVni(v, burst, originator));
        }
    }

    /** Opens the sessions and originates each VNI's type-3 route. */
    public void start() {
        speaker.start();
        speaker.execute(() -> vnis.values().forEach(v -> originate(inclusiveMulticast(v.config()))));
        for (int i = 0; i < config.neighbors().size(); i++) {
            int neighbor = i;
            speaker.addNeighbor(config.neighbors().get(i), new NeighborEvents(neighbor));
        }
        speaker.execute(() -> sessions.addAll(speaker.sessions()));
    }

    // ---- local MACs, from the switch (any thread)

    public void localMacLearned(int vni, long mac, boolean sticky) {
        onVni(vni, v -> v.localLearned(mac, sticky));
    }

    public void localMacRemoved(int vni, long mac) {
        onVni(vni, v -> v.localRemoved(mac));
    }

    /** The switch rescanned its table: the local MACs of {@code vni} are exactly {@code macs} (MAC → sticky). */
    public void syncLocalMacs(int vni, Map<Long, Boolean> macs) {
        Map<Long, Boolean> copy = new HashMap<>(macs);
        onVni(vni, v -> v.syncLocal(copy));
    }

    /** Runs {@code task} on the speaker's thread every 100 ms: how the switch's changes are polled. */
    public void everyTick(Runnable task) {
        speaker.everyTick(task);
    }

    public void localMacAddress(int vni, long mac, InetAddress ip) {
        onVni(vni, v -> v.localAddress(mac, ip));
    }

    private void onVni(int vni, Consumer<EvpnVni> action) {
        speaker.execute(() -> {
            EvpnVni v = vnis.get(vni);
            if (v != null) {
                action.accept(v);
            }
        });
    }

    // ---- views (any thread; computed on the speaker's)

    public List<NeighborView> neighbors() {
        return onSpeaker(() -> {
            List<NeighborView> out = new ArrayList<>();
            long now = System.nanoTime();
            for (int i = 0; i < sessions.size(); i++) {
                BgpSession s = sessions.get(i);
                var st = s.statistics();
                boolean up = s.state() == SessionState.ESTABLISHED;
                out.add(new NeighborView(s.config().peerAddress().getHostAddress(), s.config().peerAsn(),
                        s.state().toString(), up ? (now - st.establishedAt()) / 1_000_000_000L : 0, rib.received(i),
                        up ? originated.size() : 0, st.messagesIn(), st.messagesOut(), st.updatesIn(), st.updatesOut(),
                        st.establishedTransitions(), st.lastError(), st.lastDown()));
            }
            return out;
        });
    }

    public List<RouteView> routes() {
        return onSpeaker(() -> {
            List<RouteView> out = new ArrayList<>();
            for (LocalRoute r : originated.values()) {
                out.add(view(r.route(), r.vni(), r.nextHop(), r.communities(), "local"));
            }
            for (EvpnRib.Selected s : rib.selected()) {
                ReceivedRoute r = s.route();
                List<Long> communities = new ArrayList<>(r.routeTargets());
                out.add(view(r.route(), vniOf(r), r.nextHop(), communities,
                        config.neighbors().get(s.neighbor()).peerAddress().getHostAddress(), r.sequence()));
            }
            return out;
        });
    }

    private <T> T onSpeaker(Supplier<T> view) {
        CompletableFuture<T> f = new CompletableFuture<>();
        speaker.execute(() -> f.complete(view.get()));
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the BGP speaker", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the BGP speaker did not answer within 5 s", e);
        }
    }

    @Override
    public void close() {
        speaker.close();
    }

    // ---- received routes

    private void received(int neighbor, Update u) {
        PathAttributes a = u.attributes();
        if (a.mpUnreach() != null) {
            for (EvpnRoute r : a.mpUnreach().routes()) {
                rib.withdraw(neighbor, r);
            }
        }
        if (a.mpReach() == null || !a.mpReach().family().equals(AddressFamily.L2VPN_EVPN)) {
            return;
        }
        if (a.originatorId() == (config.routerId() & 0xFFFF_FFFFL) || loops(a)) {
            return; // RFC 4456 §8 / RFC 4271 §9.1.2: our own route come back, or an AS loop
        }
        ReceivedRoute first = null;
        for (EvpnRoute r : a.mpReach().routes()) {
            // the attributes are read once per UPDATE; its routes share them
            rib.announce(neighbor, first == null ? first = ReceivedRoute.of(r, a.mpReach().nextHop(), a) : first.withRoute(r));
        }
    }

    private boolean loops(PathAttributes a) {
        if (a.asPath() == null) {
            return false;
        }
        for (AsPathSegment s : a.asPath()) {
            for (long asn : s.asns()) {
                if (asn == config.asn()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The route in use for a key changed: each VNI that imports it (by route target) hears about it. */
    private void routeChanged(Object key, ReceivedRoute now, ReceivedRoute before) {
        for (EvpnVni v : vnis.values()) {
            List<Long> targets = v.config().importTargets();
            ReceivedRoute n = now != null && now.importedBy(targets) ? now : null;
            ReceivedRoute b = before != null && before.importedBy(targets) ? before : null;
            if (n == null && b == null) {
                continue;
            }
            EvpnRoute route = (n != null ? n : b).route();
            if (route instanceof MacIpRoute) {
                v.macRoute(key, n, b);
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
        queueFlush();
    }

    private void withdrawOriginated(Object key) {
        LocalRoute r = originated.remove(key);
        if (r != null) {
            pendingAdvertise.remove(key);
            pendingWithdraw.put(key, r.route());
            queueFlush();
        }
    }

    /**
     * Changes made by the tasks queued so far go out together once those tasks have run (the speaker's thread runs
     * queued tasks after the reads of one turn): routes to the neighbors packed, dataplane changes as one burst.
     */
    private void queueFlush() {
        if (!flushQueued) {
            flushQueued = true;
            speaker.execute(this::flush);
        }
    }

    private void flush() {
        flushQueued = false;
        dataplane.commit();
        for (BgpSession s : sessions) {
            if (s.state() == SessionState.ESTABLISHED) {
                UpdatePacker.withdrawals(pendingWithdraw.values()).forEach(s::send);
                UpdatePacker.advertisements(pendingAdvertise.values(), config.asn(), s.config().internal()).forEach(s::send);
            }
        }
        pendingWithdraw.clear();
        pendingAdvertise.clear();
    }

    private void sendAll(BgpSession s) {
        UpdatePacker.advertisements(originated.values(), config.asn(), s.config().internal()).forEach(s::send);
        s.send(Update.endOfRib(AddressFamily.L2VPN_EVPN)); // RFC 4724: the initial table is complete
    }

    private RouteView view(EvpnRoute r, int vni, InetAddress nextHop, List<Long> communities, String source) {
        long sequence = -1;
        for (long c : communities) {
            if (ExtendedCommunities.isMacMobility(c)) {
                sequence = ExtendedCommunities.mobilitySequence(c);
            }
        }
        return view(r, vni, nextHop, communities, source, sequence);
    }

    private static RouteView view(EvpnRoute r, int vni, InetAddress nextHop, List<Long> communities, String source,
                                  long sequence) {
        String prefix = r.toString();
        int cut = prefix.indexOf(" rd ");
        return new RouteView(r.routeType(), vni, String.valueOf(r.rd()), cut < 0 ? prefix : prefix.substring(0, cut),
                nextHop.getHostAddress(), communities.stream().map(ExtendedCommunities::format).toList(), sequence, source);
    }

    private record VniMac(int vni, long mac) {
    }

    /** The VNIs' dataplane changes, passed on and committed together at the next {@link #flush}. */
    private final class Burst implements EvpnDataplane {
        @Override
        public void addFloodVtep(int vni, InetAddress vtep) {
            dataplane.addFloodVtep(vni, vtep);
            queueFlush();
        }

        @Override
        public void removeFloodVtep(int vni, InetAddress vtep) {
            dataplane.removeFloodVtep(vni, vtep);
            queueFlush();
        }

        @Override
        public void installRemoteMac(int vni, long mac, InetAddress vtep, long sequence) {
            dataplane.installRemoteMac(vni, mac, vtep, sequence);
            queueFlush();
        }

        @Override
        public void removeRemoteMac(int vni, long mac) {
            dataplane.removeRemoteMac(vni, mac);
            queueFlush();
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
            VniMac id = new VniMac(v.vni(), mac);
            List<Object> keys = macRoutes.computeIfAbsent(id, k -> new ArrayList<>(2));
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
                keys.forEach(EvpnSpeaker.this::withdrawOriginated);
            }
        }
    }

    /** One neighbor's session events, on the speaker's thread. */
    private final class NeighborEvents implements io.vxswitch.bgp.session.SessionEvents {
        private final int neighbor;

        NeighborEvents(int neighbor) {
            this.neighbor = neighbor;
        }

        @Override
        public void established(BgpSession s, io.vxswitch.bgp.message.Open peer) {
            sendAll(s);
        }

        @Override
        public void update(BgpSession s, Update update) {
            received(neighbor, update);
        }

        @Override
        public void routeRefresh(BgpSession s, io.vxswitch.bgp.message.RouteRefresh request) {
            if (request.family().equals(AddressFamily.L2VPN_EVPN)) {
                sendAll(s);
            }
        }

        @Override
        public void down(BgpSession s, String reason) {
            int n = rib.dropNeighbor(neighbor);
            log.accept("neighbor " + s.config().peerAddress().getHostAddress() + ": " + n + " routes withdrawn (" + reason + ")");
        }
    }

}
