package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.MpUnreach;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three control planes and an in-memory route reflector, deterministic and without sockets: every UPDATE is encoded
 * and decoded by the real codec on its way, and reflected as RFC 4456 says (to the other clients, with ORIGINATOR_ID
 * and CLUSTER_LIST). What the socket tests show against GoBGP, here step by step.
 */
class ControlPlaneFabricTest {
    private static final long VM = MacAddress.parseBits("02:00:00:00:01:19");

    /** The reflector: a queue of UPDATEs in flight; {@link #settle} delivers until nothing moves. */
    private static final class Reflector {
        final List<Host> hosts = new ArrayList<>();
        final ArrayDeque<Runnable> inFlight = new ArrayDeque<>();
        final List<Host> flushes = new ArrayList<>();
        /** Per client, the routes it advertised and has not withdrawn: what the reflector withdraws when it leaves. */
        final Map<Host, Map<Object, EvpnRoute>> learned = new HashMap<>();

        void fromClient(Host from, Update u) {
            Map<Object, EvpnRoute> routes = learned.computeIfAbsent(from, h -> new LinkedHashMap<>());
            if (u.attributes().mpReach() != null) {
                u.attributes().mpReach().routes().forEach(r -> routes.put(r.key(), r));
            }
            if (u.attributes().mpUnreach() != null) {
                u.attributes().mpUnreach().routes().forEach(r -> routes.remove(r.key()));
            }
            byte[] wire = MessageCodec.FOUR_OCTET_AS.encode(u);
            for (Host to : hosts) {
                if (to != from && to.up) {
                    Update decoded = (Update) MessageCodec.FOUR_OCTET_AS.decode(wire);
                    Update reflected = Update.of(reflect(decoded.attributes(), from.routerId));
                    inFlight.add(() -> to.control.received(0, reflected));
                }
            }
        }

        static PathAttributes reflect(PathAttributes a, int originator) {
            return new PathAttributes(a.origin(), a.asPath(), a.nextHop(), a.med(), a.localPref(), a.atomicAggregate(),
                    originator & 0xFFFF_FFFFL, List.of(Ipv4Address.parse("192.0.2.254")), a.communities(),
                    a.extendedCommunities(), a.pmsiTunnel(), a.mpReach(), a.mpUnreach(), a.others());
        }

        void settle() {
            while (!inFlight.isEmpty() || !flushes.isEmpty()) {
                for (Host h : List.copyOf(flushes)) {
                    flushes.remove(h);
                    h.control.flush();
                }
                Runnable next = inFlight.poll();
                if (next != null) {
                    next.run();
                }
            }
        }
    }

    private static final class Host implements EvpnControlPlane.Neighbors {
        final Reflector reflector;
        final int routerId;
        final RecordingDataplane dataplane = new RecordingDataplane();
        final EvpnControlPlane control;
        boolean up;

        Host(Reflector reflector, String vtep) throws Exception {
            this.reflector = reflector;
            this.routerId = Ipv4Address.parse(vtep);
            VniConfig vni = VniConfig.defaults(119, 65000, routerId, 1, InetAddress.getByName(vtep), true);
            this.control = new EvpnControlPlane(65000, routerId, 1, List.of(vni), dataplane, this);
            reflector.hosts.add(this);
        }

        void connect() {
            up = true;
            control.start();
            control.sessionUp(0);
            // the reflector sends the newcomer what it holds: the others' tables
            for (Host other : reflector.hosts) {
                if (other != this && other.up) {
                    other.control.routeRefresh(0);
                }
            }
        }

        /** The session goes down: the reflector withdraws from the others everything this host advertised. */
        void disconnect() {
            up = false;
            List<EvpnRoute> gone = List.copyOf(reflector.learned.getOrDefault(this, Map.of()).values());
            Update withdrawal = Update.of(PathAttributes.builder().mpUnreach(MpUnreach.evpn(gone)).build());
            for (Host other : reflector.hosts) {
                if (other != this && other.up) {
                    reflector.inFlight.add(() -> other.control.received(0, withdrawal));
                }
            }
        }

        @Override
        public boolean established(int neighbor) {
            return up;
        }

        @Override
        public boolean internal(int neighbor) {
            return true;
        }

        @Override
        public void send(int neighbor, Update update) {
            reflector.fromClient(this, update);
        }

        @Override
        public void flushSoon() {
            reflector.flushes.add(this);
        }
    }

    private static InetAddress ip(String a) throws Exception {
        return InetAddress.getByName(a);
    }

    @Test
    void threeHostsFindEachOtherFollowAMovingVmAndForgetAHostThatLeaves() throws Exception {
        Reflector rr = new Reflector();
        Host a = new Host(rr, "192.0.2.1");
        Host b = new Host(rr, "192.0.2.2");
        Host c = new Host(rr, "192.0.2.3");
        a.connect();
        b.connect();
        c.connect();
        rr.settle();
        assertThat(a.dataplane.flood.get(119)).isEqualTo(Set.of(ip("192.0.2.2"), ip("192.0.2.3")));
        assertThat(c.dataplane.flood.get(119)).isEqualTo(Set.of(ip("192.0.2.1"), ip("192.0.2.2")));

        a.control.localMacLearned(119, VM, false);
        a.control.localMacAddress(119, VM, ip("10.0.0.9"));
        a.control.localMacAddress(119, VM, ip("2001:db8:119::9")); // dual stack: both routes, both bindings
        rr.settle();
        assertThat(b.dataplane.remoteMacs).containsEntry("119 02:00:00:00:01:19", "192.0.2.1 seq 0");
        assertThat(c.dataplane.calls).contains("bind 119 10.0.0.9 02:00:00:00:01:19",
                "bind 119 2001:db8:119::9 02:00:00:00:01:19");
        assertThat(c.control.routes(i -> "rr").stream().map(RouteView::prefix))
                .anyMatch(p -> p.contains("[02:00:00:00:01:19]:[128]:[2001:db8:119::9]"));

        b.control.localMacLearned(119, VM, false); // the VM moved to b
        rr.settle();
        assertThat(a.dataplane.remoteMacs).containsEntry("119 02:00:00:00:01:19", "192.0.2.2 seq 1");
        assertThat(c.dataplane.remoteMacs).containsEntry("119 02:00:00:00:01:19", "192.0.2.2 seq 1");
        assertThat(a.control.routes(i -> "rr").stream().filter(r -> r.source().equals("local") && r.type() == 2))
                .as("a withdrew its routes for the VM").isEmpty();

        b.disconnect();
        rr.settle();
        assertThat(a.dataplane.flood.get(119)).isEqualTo(Set.of(ip("192.0.2.3")));
        assertThat(c.dataplane.remoteMacs).doesNotContainKey("119 02:00:00:00:01:19");
    }

    @Test
    void aRouteThatCarriesOurOwnAsIsALoopAndIgnored() throws Exception {
        Reflector rr = new Reflector();
        Host a = new Host(rr, "192.0.2.1");
        Host b = new Host(rr, "192.0.2.2");
        a.connect();
        b.connect();
        rr.settle();
        // an eBGP path that went through our AS once already (RFC 4271 §9.1.2): b's type-3, with 65000 in AS_PATH
        Update looped = UpdatePacker.advertisements(List.of(new LocalRoute(119, new io.vxswitch.bgp.evpn.InclusiveMulticastRoute(
                io.vxswitch.bgp.evpn.RouteDistinguisher.parse("192.0.2.9:1"), 0, ip("192.0.2.9")), ip("192.0.2.9"),
                List.of(io.vxswitch.bgp.evpn.ExtendedCommunities.routeTarget(65000, 119)), null)), 65000, false).getFirst();
        a.control.received(0, looped);
        assertThat(a.dataplane.flood.get(119)).doesNotContain(ip("192.0.2.9"));
    }
}
