package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.MacIpRoute;

import org.agrona.collections.Long2ObjectHashMap;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of one VNI (FRR's zebra "VNI"): the remote VTEPs of its flood list, the remote MACs with every VTEP
 * that claims them, and the local MACs this VTEP advertises. It decides where a MAC lives (RFC 7432 §15, MAC
 * mobility) and tells the dataplane and the route originator; it holds no BGP sessions and no devices.
 *
 * <p>Where a MAC lives: among the VTEPs advertising it, the highest sequence number wins, then the lowest VTEP
 * address (§15.1); a sticky route wins over a non-sticky one (§15.2). A MAC learned locally while a remote VTEP
 * advertises it has moved here: it is advertised with that VTEP's sequence number plus one. A remote advertisement
 * with a higher sequence number than ours means the MAC moved away: the remote entry replaces the local one and
 * our route is withdrawn.
 */
final class EvpnVni {
    /** Where the local routes of this VNI go: originated or withdrawn by the speaker. */
    interface Originator {
        void advertise(VniConfig vni, long mac, InetAddress ip, long sequence, boolean sticky);

        void withdraw(VniConfig vni, long mac);

        /** Withdraws the MAC/IP route of one address of the MAC; its other routes stay. */
        void withdrawAddress(VniConfig vni, long mac, InetAddress ip);
    }

    /**
     * Addresses advertised per local MAC (IPv4, IPv6 global, privacy, ULA...); a ninth replaces the oldest, so a guest
     * that sprays neighbour discovery from random addresses costs the fabric eight routes, not one per packet.
     */
    static final int MAX_ADDRESSES_PER_MAC = 8;

    private final VniConfig config;
    private final EvpnDataplane dataplane;
    private final Originator originator;
    /** VTEP → how many type-3 routes name it (one per RD it uses). */
    private final Map<InetAddress, Integer> floodRoutes = new HashMap<>();
    private final RemoteClaims remoteMacs = new RemoteClaims();
    private final Long2ObjectHashMap<LocalMac> localMacs = new Long2ObjectHashMap<>();

    EvpnVni(VniConfig config, EvpnDataplane dataplane, Originator originator) {
        this.config = config;
        this.dataplane = dataplane;
        this.originator = originator;
    }

    VniConfig config() {
        return config;
    }

    // ---- type 3: the flood list

    void floodRoute(InetAddress vtep, boolean present) {
        if (vtep.equals(config.localVtep())) {
            return;
        }
        int before = floodRoutes.getOrDefault(vtep, 0);
        int after = before + (present ? 1 : -1);
        if (after <= 0) {
            floodRoutes.remove(vtep);
            if (before > 0) {
                dataplane.removeFloodVtep(config.vni(), vtep);
            }
        } else {
            floodRoutes.put(vtep, after);
            if (before == 0) {
                dataplane.addFloodVtep(config.vni(), vtep);
            }
        }
    }

    // ---- type 2: remote MACs

    /**
     * A type-2 route for this VNI appeared ({@code now}), changed, or went ({@code now} null); {@code id} is its id in
     * the RIB, the same while the route exists.
     */
    void macRoute(int id, ReceivedRoute now, ReceivedRoute before) {
        ReceivedRoute any = now != null ? now : before;
        long mac = ((MacIpRoute) any.route()).mac();
        if (any.nextHop().equals(config.localVtep())) {
            return; // our own route, reflected back
        }
        RouteAttributes chosenBefore = remoteMacs.chosen(mac);
        if (now == null && chosenBefore == null) {
            return; // a withdrawal of a claim this VNI never had
        }
        if (now == null) {
            remoteMacs.remove(mac, id);
        } else {
            remoteMacs.put(mac, id, now.attributes());
        }
        RouteAttributes chosen = remoteMacs.chosen(mac);
        decide(mac, chosenBefore, chosen);
        bindings(mac, now, before);
    }

    /** A MAC/IP route's address binding follows the route (ARP suppression uses it). */
    private void bindings(long mac, ReceivedRoute now, ReceivedRoute before) {
        InetAddress was = before == null ? null : ((MacIpRoute) before.route()).ip();
        InetAddress is = now == null ? null : ((MacIpRoute) now.route()).ip();
        if (was != null && !was.equals(is)) {
            dataplane.unbindAddress(config.vni(), was, mac);
        }
        if (is != null && !is.equals(was)) {
            dataplane.bindAddress(config.vni(), is, mac);
        }
    }

    // ---- local MACs

    /** A MAC is now local (learned on, or configured for, a local port of the VNI's VLAN). */
    void localLearned(long mac, boolean sticky) {
        LocalMac existing = localMacs.get(mac);
        if (existing != null) {
            return;
        }
        RouteAttributes remote = remoteMacs.chosen(mac);
        if (remote != null && remote.sticky() && !sticky) {
            return; // RFC 7432 §15.2: a sticky MAC does not move; the frame came from a host that must not have it
        }
        // RFC 7432 §15.1: a MAC that moved here is advertised with one more than the highest sequence seen
        long sequence = remote == null ? 0 : remoteMacs.highestSequence(mac) + 1;
        LocalMac local = new LocalMac(sequence, sticky);
        localMacs.put(mac, local);
        if (remote != null) {
            // the frame that taught the switch this MAC has replaced the remote entry already; say so to the
            // dataplane anyway, so that its state and this VNI's agree whatever the order of events
            dataplane.removeRemoteMac(config.vni(), mac);
        }
        originator.advertise(config, mac, null, sequence, sticky);
    }

    /** The local MAC aged out, was flushed, or its port went: withdraw it and use a remote claim if one is left. */
    void localRemoved(long mac) {
        LocalMac local = localMacs.remove(mac);
        if (local == null) {
            return;
        }
        originator.withdraw(config, mac);
        for (InetAddress ip : local.addresses) {
            dataplane.unbindAddress(config.vni(), ip, mac);
        }
        RouteAttributes remote = remoteMacs.chosen(mac);
        if (remote != null) {
            install(mac, remote);
        }
    }

    /**
     * The switch saw an IPv4/IPv6 address of a local MAC (ARP, neighbour discovery): advertise the binding, beside the
     * MAC's other addresses (a dual-stack host has several), at most {@link #MAX_ADDRESSES_PER_MAC} of them.
     */
    void localAddress(long mac, InetAddress ip) {
        LocalMac local = localMacs.get(mac);
        if (local == null || local.addresses.contains(ip)) {
            return;
        }
        if (local.addresses.size() == MAX_ADDRESSES_PER_MAC) {
            InetAddress oldest = local.addresses.removeFirst();
            dataplane.unbindAddress(config.vni(), oldest, mac);
            originator.withdrawAddress(config, mac, oldest);
        }
        local.addresses.add(ip);
        dataplane.bindAddress(config.vni(), ip, mac);
        originator.advertise(config, mac, ip, local.sequence, local.sticky);
    }

    /**
     * Makes the local MACs exactly {@code macs} (MAC → sticky), after the switch lost track of changes: MACs no longer
     * local are withdrawn, new ones advertised, the rest left alone.
     */
    void syncLocal(Map<Long, Boolean> macs) {
        long[] before = new long[localMacs.size()];
        int n = 0;
        for (Long2ObjectHashMap<LocalMac>.KeyIterator it = localMacs.keySet().iterator(); it.hasNext(); ) {
            before[n++] = it.nextLong();
        }
        for (long mac : before) {
            if (!macs.containsKey(mac)) {
                localRemoved(mac);
            }
        }
        macs.forEach(this::localLearned);
    }

    boolean isLocal(long mac) {
        return localMacs.containsKey(mac);
    }

    private void decide(long mac, RouteAttributes before, RouteAttributes chosen) {
        LocalMac local = localMacs.get(mac);
        if (local != null) {
            if (chosen != null && remoteWins(chosen, local)) {
                localMacs.remove(mac);
                originator.withdraw(config, mac);
                install(mac, chosen); // the dataplane replaces the local entry: the MAC moved away
            }
            return;
        }
        if (chosen == null) {
            if (before != null) {
                dataplane.removeRemoteMac(config.vni(), mac);
            }
        } else if (!RemoteClaims.sameInstall(chosen, before)) {
            install(mac, chosen);
        }
    }

    /** RFC 7432 §15.1/§15.2: a higher sequence, or a sticky claim over a non-sticky local MAC; same sequence: lower IP. */
    private boolean remoteWins(RouteAttributes remote, LocalMac local) {
        if (local.sticky) {
            return false;
        }
        if (remote.sticky()) {
            return true;
        }
        if (remote.effectiveSequence() != local.sequence) {
            return remote.effectiveSequence() > local.sequence;
        }
        return compare(remote.nextHop(), config.localVtep()) < 0;
    }

    private void install(long mac, RouteAttributes claim) {
        dataplane.installRemoteMac(config.vni(), mac, claim.nextHop(), claim.effectiveSequence());
    }

    static int compare(InetAddress a, InetAddress b) {
        return Arrays.compareUnsigned(a.getAddress(), b.getAddress());
    }

    /** A local MAC: its sequence and stickiness, fixed while it stays local, and its addresses, oldest first. */
    private static final class LocalMac {
        final long sequence;
        final boolean sticky;
        final List<InetAddress> addresses = new ArrayList<>(2);

        LocalMac(long sequence, boolean sticky) {
            this.sequence = sequence;
            this.sticky = sticky;
        }
    }
}
