package io.vxswitch.jmh.evpn;

import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.evpn.EvpnControlPlane;
import io.vxswitch.evpn.EvpnDataplane;
import io.vxswitch.evpn.VniConfig;
import io.vxswitch.packet.Ipv4Address;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;

/**
 * The route storm of {@code bench/evpn-scale.sh} without the network: the UPDATEs a reflector sends for VTEPS x MACS
 * type-2 routes (and VTEPS type-3 routes), decoded from their bytes and handed to the EVPN control plane one after
 * another, with a dataplane that only counts. What it reports is what the collector had to do meanwhile: the young
 * collections' count and pause time, and the bytes that survived them (survivor space plus what reached the old
 * generation), which is the copying that stops a switch loop, independent of the machine's load; and the heap the
 * routes hold after a full collection.
 *
 * <pre>java -cp vxswitch-jmh/target/benchmarks.jar io.vxswitch.jmh.evpn.RibStorm [VTEPS [MACS]]</pre>
 * Run it with {@code -XX:ParallelGCThreads=1} under {@code taskset} to compare builds; the same file builds against
 * older commits (it uses only the control plane's public API).
 */
public final class RibStorm {
    private RibStorm() {
    }

    public static void main(String[] args) {
        int vteps = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int macs = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int vni = 119;
        long asn = 65000;
        List<byte[]> wire = updates(vteps, macs, vni, asn);

        int[] installed = new int[1];
        EvpnDataplane dataplane = new EvpnDataplane() {
            @Override
            public void addFloodVtep(int v, InetAddress vtep) {
                installed[0]++;
            }

            @Override
            public void removeFloodVtep(int v, InetAddress vtep) {
            }

            @Override
            public void installRemoteMac(int v, long mac, InetAddress vtep, long sequence) {
                installed[0]++;
            }

            @Override
            public void removeRemoteMac(int v, long mac) {
            }

            @Override
            public void bindAddress(int v, InetAddress ip, long mac) {
            }

            @Override
            public void unbindAddress(int v, InetAddress ip, long mac) {
            }
        };
        EvpnControlPlane.Neighbors neighbors = new EvpnControlPlane.Neighbors() {
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
            }

            @Override
            public void flushSoon() {
            }
        };
        int routerId = Ipv4Address.parse("198.51.100.1");
        EvpnControlPlane cp = new EvpnControlPlane(asn, routerId, 1, List.of(VniConfig.defaults(vni, asn, routerId, 1,
                RouteGenerator.vtep(routerId, 0), false)), dataplane, neighbors);
        cp.start();

        System.gc();
        long heap0 = usedHeap();
        long[] gc0 = young();
        long[] copied = new long[1];
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) b).addNotificationListener((n, handback) -> {
                GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from(
                        (CompositeData) n.getUserData());
                if (info.getGcAction().contains("minor")) {
                    copied[0] += copiedBy(info.getGcInfo().getMemoryUsageBeforeGc(),
                            info.getGcInfo().getMemoryUsageAfterGc());
                }
            }, n -> n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION), null);
        }
        long t0 = System.nanoTime();
        for (byte[] b : wire) {
            cp.received(0, (Update) MessageCodec.FOUR_OCTET_AS.decode(b));
        }
        long t1 = System.nanoTime();
        long[] gc1 = young();
        long survivedBytes = copied[0];
        System.gc();
        long heap1 = usedHeap();
        int routes = vteps * (macs + 1);
        if (installed[0] != routes) {
            throw new IllegalStateException("installed " + installed[0] + " of " + routes + " routes");
        }
        System.out.printf("routes=%d updates=%d time_ms=%.0f young_gcs=%d young_pause_ms=%d survived_mib=%.1f"
                        + " heap_per_route_b=%d%n", routes, wire.size(), (t1 - t0) / 1e6, gc1[0] - gc0[0],
                gc1[1] - gc0[1], survivedBytes / 1048576.0, (heap1 - heap0) / routes);
    }

    /** {@link RouteGenerator}'s UPDATEs for the fabric, encoded as a reflector would send them. */
    private static List<byte[]> updates(int vteps, int macs, int vni, long asn) {
        RouteGenerator.Options o = new RouteGenerator.Options(null, 0, null, 0, asn, vteps, macs, vni,
                ExtendedCommunities.routeTarget(asn, vni), Ipv4Address.parse("198.18.0.1"));
        List<byte[]> out = new ArrayList<>();
        for (Update u : RouteGenerator.updates(o)) {
            out.add(MessageCodec.FOUR_OCTET_AS.encode(u));
        }
        return out;
    }

    private static long usedHeap() {
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /** {count, milliseconds} of the young collections so far. */
    private static long[] young() {
        long[] r = new long[2];
        for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (b.getName().contains("Young")) {
                r[0] += b.getCollectionCount();
                r[1] += b.getCollectionTime();
            }
        }
        return r;
    }

    /**
     * What a young collection copied: what it left in the survivor space, and what the old generation gained in it
     * (promoted objects; a humongous array is allocated in the old generation before, not in the collection).
     */
    private static long copiedBy(Map<String, MemoryUsage> before, Map<String, MemoryUsage> after) {
        long c = 0;
        for (Map.Entry<String, MemoryUsage> e : after.entrySet()) {
            MemoryUsage b = before.get(e.getKey());
            if (e.getKey().contains("Survivor")) {
                c += e.getValue().getUsed();
            } else if (e.getKey().contains("Old Gen") && b != null) {
                c += Math.max(0, e.getValue().getUsed() - b.getUsed());
            }
        }
        return c;
    }
}
