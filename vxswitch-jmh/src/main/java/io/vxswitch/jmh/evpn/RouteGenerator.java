package io.vxswitch.jmh.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.MpReach;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.PmsiTunnel;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.bgp.session.BgpSession;
import io.vxswitch.bgp.session.BgpSpeaker;
import io.vxswitch.bgp.session.SessionConfig;
import io.vxswitch.bgp.session.SessionEvents;
import io.vxswitch.packet.Ipv4Address;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Plays a fabric of many EVPN VTEPs over ONE iBGP session to a route reflector, for bench/evpn-scale.sh: VTEP i
 * (addresses from {@code --first-vtep} up) originates, for one VNI, a type-3 route (RD VTEP:1, PMSI ingress
 * replication to itself) and {@code --macs} MAC-only type-2 routes, every route with route target {@code --rt},
 * the VXLAN encapsulation community and next hop = the VTEP. So a reflector holds what {@code --vteps} hosts would
 * have sent it, and every client it reflects them to sees {@code --vteps} next hops.
 *
 * <p>Routes of one VTEP share their attributes and go out packed, as a real VTEP's would (about 100 MAC routes per
 * 4096-byte UPDATE), then End-of-RIB (RFC 4724). MAC of VTEP v, host m: {@code 0a:00:vv:vv:mm:mm} (for v < 65536), locally
 * administered unicast: {@code 0x0A00_0000_0000 | v << 16 | m}.
 *
 * <p>Prints "established", then "sent N routes in U UPDATEs in T ms" once the last byte is queued, and stays up
 * (keepalives) until killed, so the reflector keeps the routes.
 *
 * <pre>
 * java -cp vxswitch-jmh/target/benchmarks.jar io.vxswitch.jmh.evpn.RouteGenerator \
 *      --reflector 198.51.100.254 --router-id 198.51.100.250 --asn 65000 \
 *      --vteps 1000 --macs 100 --vni 119 --rt 65000:119 --first-vtep 198.18.0.1
 * </pre>
 */
public final class RouteGenerator {
    /** Room for NLRI after the header, the attributes and MP_REACH's own fields, with margin (as UpdatePacker). */
    private static final int NLRI_BUDGET = MessageCodec.MAX_LENGTH - 19 - 4 - 200;
    private static final long MAC_BASE = 0x0A00_0000_0000L;

    record Options(InetAddress reflector, int port, InetAddress source, int routerId, long asn, int vteps, int macs,
                   int vni, long routeTarget, int firstVtep) {
    }

    private RouteGenerator() {
    }

    public static void main(String[] args) throws Exception {
        Options o = parse(args);
        CountDownLatch done = new CountDownLatch(1);
        BgpSpeaker speaker = new BgpSpeaker(line -> System.out.println("bgp: " + line));
        SessionConfig config = new SessionConfig(o.asn(), o.routerId(), o.reflector(), o.port(), o.asn(),
            Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(1), o.source());
        speaker.start();
        speaker.addNeighbor(config, new SessionEvents() {
            @Override
            public void established(BgpSession s, Open peer) {
                System.out.println("established");
                long t0 = System.nanoTime();
                int[] sent = sendAll(s, o);
                System.out.printf("sent %d routes in %d UPDATEs in %d ms%n", sent[0], sent[1],
                    (System.nanoTime() - t0) / 1_000_000);
                System.out.flush();
            }

            @Override
            public void update(BgpSession s, Update update) {
                // a client of the reflector: what it reflects back is not ours to keep
            }

            @Override
            public void routeRefresh(BgpSession s, RouteRefresh request) {
                sendAll(s, o);
            }

            @Override
            public void down(BgpSession s, String reason) {
                System.out.println("down: " + reason);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            speaker.close();
            done.countDown();
        }));
        done.await();
    }

    /** Every VTEP's routes, packed per VTEP, then End-of-RIB; returns {routes, UPDATEs}. */
    static int[] sendAll(BgpSession s, Options o) {
        List<Update> updates = updates(o);
        updates.forEach(s::send);
        s.send(Update.endOfRib(AddressFamily.L2VPN_EVPN));
        return new int[] {o.vteps() * (1 + o.macs()), updates.size()};
    }

    /** The UPDATEs of the fabric: per VTEP its type-3 route (PMSI ingress replication), then its MACs, packed. */
    static List<Update> updates(Options o) {
        List<Update> out = new ArrayList<>();
        long encapsulation = ExtendedCommunities.encapsulation(ExtendedCommunities.TUNNEL_VXLAN);
        for (int v = 0; v < o.vteps(); v++) {
            InetAddress vtep = vtep(o.firstVtep(), v);
            RouteDistinguisher rd = RouteDistinguisher.ipv4(o.firstVtep() + v, 1);
            List<EvpnRoute> macs = new ArrayList<>(o.macs());
            for (int m = 0; m < o.macs(); m++) {
                macs.add(MacIpRoute.of(rd, mac(v, m), null, o.vni()));
            }
            List<EvpnRoute> imet = List.of(new InclusiveMulticastRoute(rd, 0, vtep));
            for (List<EvpnRoute> chunk : chunks(imet)) {
                out.add(update(vtep, chunk, PmsiTunnel.ingressReplication(o.vni(), vtep), encapsulation, o));
            }
            for (List<EvpnRoute> chunk : chunks(macs)) {
                out.add(update(vtep, chunk, null, encapsulation, o));
            }
        }
        return out;
    }

    private static Update update(InetAddress vtep, List<EvpnRoute> routes, PmsiTunnel pmsi, long encapsulation,
                                 Options o) {
        return Update.of(PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP).asPath(List.of()).localPref(100)
            .mpReach(MpReach.evpn(vtep, routes)).pmsiTunnel(pmsi).extendedCommunity(encapsulation)
            .extendedCommunity(o.routeTarget()).build());
    }

    private static List<List<EvpnRoute>> chunks(List<EvpnRoute> routes) {
        List<List<EvpnRoute>> out = new ArrayList<>();
        List<EvpnRoute> current = new ArrayList<>();
        int bytes = 0;
        for (EvpnRoute r : routes) {
            int n = MessageCodec.encodedLength(r);
            if (bytes + n > NLRI_BUDGET && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(r);
            bytes += n;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }

    /** MAC {@code m} behind VTEP {@code v}: locally administered unicast, unique per (v, m) up to 2^24 x 2^16. */
    static long mac(int v, int m) {
        return MAC_BASE | (long) v << 16 | m;
    }

    static InetAddress vtep(int first, int v) {
        try {
            return InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(first + v).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    static Options parse(String[] args) throws UnknownHostException {
        InetAddress reflector = null;
        InetAddress source = null;
        int port = SessionConfig.BGP_PORT;
        int routerId = 0;
        long asn = 65000;
        int vteps = 1000;
        int macs = 100;
        int vni = 119;
        long rt = -1;
        int firstVtep = Ipv4Address.parse("198.18.0.1");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                usage("option " + args[i] + " needs a value");
            }
            switch (args[i++]) {
                case "--reflector" -> reflector = InetAddress.getByName(value);
                case "--port" -> port = Integer.parseInt(value);
                case "--source" -> source = InetAddress.getByName(value);
                case "--router-id" -> routerId = Ipv4Address.parse(value);
                case "--asn" -> asn = Long.parseLong(value);
                case "--vteps" -> vteps = Integer.parseInt(value);
                case "--macs" -> macs = Integer.parseInt(value);
                case "--vni" -> vni = Integer.parseInt(value);
                case "--rt" -> rt = ExtendedCommunities.parseRouteTarget(value);
                case "--first-vtep" -> firstVtep = Ipv4Address.parse(value);
                default -> usage("unknown option " + args[i - 1]);
            }
        }
        if (reflector == null || routerId == 0) {
            usage("--reflector and --router-id are required");
        }
        if (vteps < 1 || vteps > 1 << 16 || macs < 0 || macs > 1 << 16) {
            usage("--vteps 1-65536 and --macs 0-65536");
        }
        if (rt < 0) {
            rt = ExtendedCommunities.routeTarget(asn, vni);
        }
        return new Options(reflector, port, source, routerId, asn, vteps, macs, vni, rt, firstVtep);
    }

    private static void usage(String error) {
        System.err.println("RouteGenerator: " + error);
        System.err.println("usage: RouteGenerator --reflector ADDRESS --router-id A.B.C.D [--source ADDRESS] [--port 179]"
            + " [--asn 65000] [--vteps 1000] [--macs 100] [--vni 119] [--rt ASN:N (default ASN:VNI)]"
            + " [--first-vtep 198.18.0.1]");
        System.exit(2);
    }
}
