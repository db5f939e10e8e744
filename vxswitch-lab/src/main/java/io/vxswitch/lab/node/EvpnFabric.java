package io.vxswitch.lab.node;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.evpn.EvpnControlPlane;
import io.vxswitch.evpn.VniConfig;
import io.vxswitch.evpn.switching.LocalMacFeed;
import io.vxswitch.evpn.switching.SwitchProgrammer;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.vxlan.Vtep;
import io.vxswitch.vxlan.VtepAddress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The lab's BGP EVPN fabric: one route reflector (AS {@value #ASN}) and, as its clients, the VTEP hosts whose VNIs say
 * {@code controlPlane: evpn}. Each client runs the daemon's own {@link EvpnControlPlane} with the daemon's {@link
 * SwitchProgrammer} and {@link LocalMacFeed} on its switch; only the transport differs: instead of TCP, each UPDATE is
 * encoded and decoded by the real codec and delivered {@value #DELAY_MILLIS} ms later in virtual time, reflected as
 * RFC 4456 says (to every other client, with ORIGINATOR_ID and CLUSTER_LIST). The sessions are up from the start.
 */
public final class EvpnFabric {
    public static final long ASN = 65000;
    static final int DELAY_MILLIS = 1;
    private static final long DELAY = DELAY_MILLIS * 1_000_000L;
    private static final long POLL = 100_000_000L;
    /** Virtual time the lab gives the fabric before the first ping: sessions, type-3 routes, the first MAC poll. */
    public static final long SETTLE_NANOS = 250_000_000L;
    private static final int CLUSTER_ID = Ipv4Address.parse("192.0.2.254");

    private final Simulator simulator;
    private final List<Client> clients = new ArrayList<>();
    /** Per client, what it advertised and has not withdrawn: the reflector's Adj-RIB-In. */
    private final Map<Client, Map<Object, EvpnRoute>> learned = new HashMap<>();
    private long updates;

    public EvpnFabric(Simulator simulator) {
        this.simulator = simulator;
    }

    /** Makes {@code host} a client for {@code vnis} (its VNIs with controlPlane: evpn) and brings its session up. */
    public void join(VtepHost host, List<VniBinding> vnis) {
        Client c = new Client(host, vnis);
        clients.add(c);
        learned.put(c, new LinkedHashMap<>());
        simulator.after(0, c::start);
    }

    /** UPDATEs the reflector received, for the run's report. */
    public long updates() {
        return updates;
    }

    private void fromClient(Client from, Update u) {
        updates++;
        Map<Object, EvpnRoute> adj = learned.get(from);
        if (u.attributes().mpReach() != null) {
            u.attributes().mpReach().routes().forEach(r -> adj.put(r.key(), r));
        }
        if (u.attributes().mpUnreach() != null) {
            u.attributes().mpUnreach().routes().forEach(r -> adj.remove(r.key()));
        }
        byte[] wire = MessageCodec.FOUR_OCTET_AS.encode(u);
        for (Client to : clients) {
            if (to != from) {
                Update decoded = (Update) MessageCodec.FOUR_OCTET_AS.decode(wire);
                PathAttributes a = decoded.attributes();
                Update reflected = Update.of(new PathAttributes(a.origin(), a.asPath(), a.nextHop(), a.med(),
                        a.localPref(), a.atomicAggregate(), from.routerId & 0xFFFF_FFFFL, List.of(CLUSTER_ID),
                        a.communities(), a.extendedCommunities(), a.pmsiTunnel(), a.mpReach(), a.mpUnreach(),
                        a.others()));
                byte[] out = MessageCodec.FOUR_OCTET_AS.encode(reflected);
                simulator.after(DELAY, () -> to.control.received(0,
                        (Update) MessageCodec.FOUR_OCTET_AS.decode(out)));
            }
        }
    }

    /** A VTEP host as the reflector's client: its control plane, wired to its switch. */
    private final class Client implements EvpnControlPlane.Neighbors {
        final VtepHost host;
        final int routerId;
        final EvpnControlPlane control;
        final LocalMacFeed feed;
        boolean flushQueued;

        Client(VtepHost host, List<VniBinding> vnis) {
            this.host = host;
            this.routerId = host.tunnel().settings().ip();
            Vtep vtep = host.tunnel().vtep();
            InetAddress local = inet(routerId);
            List<VniConfig> configs = new ArrayList<>();
            List<SwitchProgrammer.Tunnel> tunnels = new ArrayList<>();
            List<LocalMacFeed.Segment> segments = new ArrayList<>();
            int index = 0;
            for (VniBinding b : vnis) {
                configs.add(VniConfig.defaults(b.vni(), ASN, routerId, ++index, local, false));
                tunnels.add(new SwitchProgrammer.Tunnel(b.vni(), b.vlan(), vtep.tunnelPort(), vtep.floodList(),
                        vtep.remotes(), Set.<VtepAddress>of(), false));
                segments.add(new LocalMacFeed.Segment(b.vni(), b.vlan()));
                host.sw().arpSuppression().snoop(b.vlan()); // MAC/IP routes carry the hosts' addresses
            }
            SwitchProgrammer programmer = new SwitchProgrammer(change -> change.accept(host.sw()), tunnels,
                    line -> { });
            this.control = new EvpnControlPlane(ASN, routerId, 1, configs, programmer, this);
            host.sw().fdb().enableJournal(1 << 12);
            Set<Integer> tunnelPorts = new HashSet<>(List.of(vtep.tunnelPort()));
            this.feed = new LocalMacFeed(host.sw(), control, segments, tunnelPorts);
        }

        void start() {
            control.start();
            control.sessionUp(0);
            simulator.everyAsDaemon(POLL, feed::poll);
        }

        @Override
        public boolean established(int neighbor) {
            return true;
        }

        @Override
        public boolean internal(int neighbor) {
            return true;
        }

        @Override
        public void send(int neighbor, Update update) {
            fromClient(this, update);
        }

        @Override
        public void flushSoon() {
            if (!flushQueued) {
                flushQueued = true;
                simulator.after(0, () -> {
                    flushQueued = false;
                    control.flush();
                });
            }
        }
    }

    private static InetAddress inet(int ipv4) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) (ipv4 >>> 24), (byte) (ipv4 >>> 16),
                (byte) (ipv4 >>> 8), (byte) ipv4});
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
