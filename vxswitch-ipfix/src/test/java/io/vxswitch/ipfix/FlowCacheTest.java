package io.vxswitch.ipfix;

import io.vxswitch.forwarding.flow.FlowObservation;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The flow cache: frames of one key add up, timeouts end flows in time order, a full cache evicts the stalest. */
class FlowCacheTest {
    private static final long S = 1_000_000_000L;
    private static final long IDLE = 15 * S;
    private static final long ACTIVE = 60 * S;

    private final UnsafeBuffer b = new UnsafeBuffer(new byte[FlowObservation.LENGTH]);
    private final List<String> exported = new ArrayList<>();
    private final FlowCache.Sink sink = (c, e, reason) -> {
        FlowRecord r = new FlowRecord();
        c.read(e, r);
        exported.add(String.format("%x>%x %s %d pkts %d bytes %d..%d", r.srcMac, r.dstMac, reason, r.packets,
            r.layer2Octets, r.startMillis / S, r.endMillis / S));
    };

    /** One frame from MAC {@code src} to {@code dst} on VLAN 10, in on port 1 and out on port 2, at second {@code t}. */
    private void frame(FlowCache c, long src, long dst, long t, int length) {
        FlowObservation.writeL2(b, 0, src, dst, t * S, length, 1, 2, 10, 0);
        c.add(b, 0, sink);
    }

    @Test
    void frames_of_one_flow_add_up_and_the_flow_ends_after_the_idle_timeout() {
        FlowCache c = new FlowCache(16, 42);
        frame(c, 1, 2, 100, 60);
        frame(c, 1, 2, 101, 1000);
        frame(c, 2, 1, 101, 60);
        assertThat(c.size()).isEqualTo(2);
        assertThat(c.expire(115 * S, IDLE, ACTIVE, sink)).as("1>2 idle 14 s").isZero();
        c.expire(116 * S, IDLE, ACTIVE, sink);
        assertThat(exported).containsExactly("1>2 IDLE_TIMEOUT 2 pkts 1060 bytes 100..101",
            "2>1 IDLE_TIMEOUT 1 pkts 60 bytes 101..101");
        assertThat(c.size()).isZero();
    }

    @Test
    void a_busy_flow_is_reported_at_the_active_timeout_and_counted_afresh_after() {
        FlowCache c = new FlowCache(16, 42);
        for (int t = 0; t <= 60; t += 5) {
            frame(c, 1, 2, t, 100);
        }
        c.expire(60 * S, IDLE, ACTIVE, sink);
        assertThat(exported).containsExactly("1>2 ACTIVE_TIMEOUT 13 pkts 1300 bytes 0..60");
        frame(c, 1, 2, 61, 100);
        c.flush(FlowEndReason.FORCED_END, sink);
        assertThat(exported).last().isEqualTo("1>2 FORCED_END 1 pkts 100 bytes 61..61");
    }

    @Test
    void a_frame_refreshes_its_flow_so_the_idle_sweep_takes_the_stalest_first() {
        FlowCache c = new FlowCache(16, 42);
        frame(c, 1, 2, 0, 60);
        frame(c, 3, 4, 1, 60);
        frame(c, 1, 2, 10, 60); // 1>2 is now the fresher
        c.expire(16 * S, IDLE, ACTIVE, sink);
        assertThat(exported).containsExactly("3>4 IDLE_TIMEOUT 1 pkts 60 bytes 1..1");
        assertThat(c.size()).isEqualTo(1);
    }

    @Test
    void a_full_cache_exports_its_least_recently_seen_flow_to_make_room_and_counts_it() {
        FlowCache c = new FlowCache(3, 42);
        frame(c, 1, 9, 0, 60);
        frame(c, 2, 9, 1, 60);
        frame(c, 3, 9, 2, 60);
        frame(c, 1, 9, 3, 60); // 2>9 is now the stalest
        frame(c, 4, 9, 4, 60);
        assertThat(exported).containsExactly("2>9 LACK_OF_RESOURCES 1 pkts 60 bytes 1..1");
        assertThat(c.evicted()).isEqualTo(1);
        assertThat(c.size()).isEqualTo(3);
        assertThat(c.created()).isEqualTo(4);
        c.flush(FlowEndReason.FORCED_END, sink);
        assertThat(exported).hasSize(4).contains("1>9 FORCED_END 2 pkts 120 bytes 0..3", "4>9 FORCED_END 1 pkts 60 bytes 4..4");
    }

    @Test
    void keys_that_differ_in_any_field_are_different_flows() {
        FlowCache c = new FlowCache(64, 42);
        FlowObservation.writeL2(b, 0, 1, 2, 0, 60, 1, 2, 10, 0);
        c.add(b, 0, sink);
        FlowObservation.writeL2(b, 0, 1, 2, 0, 60, 1, 2, 11, 0); // VLAN
        c.add(b, 0, sink);
        FlowObservation.writeL2(b, 0, 1, 2, 0, 60, 1, FlowObservation.NO_SINGLE_EGRESS, 10, 0); // flooded
        c.add(b, 0, sink);
        FlowObservation.writeL2(b, 0, 1, 2, 0, 60, 1, 2, 10, FlowObservation.FLAG_TUNNEL);
        c.add(b, 0, sink);
        FlowObservation.writeIp(b, 0, FlowObservation.FLAG_IPV4 | FlowObservation.FLAG_TUNNEL, 46, 17, 0, 0xc0000201L, 0, 0xc0000202L);
        FlowObservation.writePorts(b, 0, 1000, 53);
        c.add(b, 0, sink);
        FlowObservation.writePorts(b, 0, 1001, 53);
        c.add(b, 0, sink);
        FlowObservation.writePorts(b, 0, 1001, 53);
        c.add(b, 0, sink);
        assertThat(c.size()).isEqualTo(6);
        FlowRecord r = new FlowRecord();
        List<String> ipFlows = new ArrayList<>();
        c.flush(FlowEndReason.FORCED_END, (cache, e, reason) -> {
            cache.read(e, r);
            if (r.kind == FlowRecord.Kind.IPV4) {
                ipFlows.add(r.srcPort + ">" + r.dstPort + " " + r.packets + " " + r.octets + " tunnel " + cache.tunnel(e)
                    + " egress " + cache.egressPort(e));
            }
        });
        assertThat(ipFlows).containsExactly("1000>53 1 46 tunnel true egress 2", "1001>53 2 92 tunnel true egress 2");
    }

    /** Many flows in and out of a small table: removal keeps every probe chain whole, so every flow is found again. */
    @Test
    void flows_removed_from_the_middle_of_probe_chains_leave_the_others_findable() {
        FlowCache c = new FlowCache(1000, 7);
        for (int round = 0; round < 5; round++) {
            for (int m = 0; m < 1000; m++) {
                frame(c, m, 0, round * 100L + m / 20, 60); // 20 new flows a second, for 50 s
            }
            assertThat(c.size()).as("each frame found its flow").isEqualTo(1000);
            c.expire(round * 100L * S + 20 * S, IDLE, ACTIVE, sink); // those of seconds 0-5 go
            assertThat(c.size()).isEqualTo(1000 - 6 * 20);
            c.flush(FlowEndReason.FORCED_END, sink);
        }
        assertThat(c.evicted()).isZero();
        assertThat(exported).hasSize(5000).allMatch(line -> line.contains(" 1 pkts "));
    }
}
