package io.vxswitch.forwarding.counters;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry as its readers see it: registration, lanes added up, one catalogue per scope. */
class CounterRegistryTest {
    /** Test descriptors: a port's frames and two drops, and a device's queue-full drop. */
    enum Port implements CounterDescriptor {
        FRAMES("rxFrames", CounterKind.TRAFFIC, MetricFamily.of("t_frames", "Frames.", "port", "kind"), null),
        FORGED("forged_transmit", CounterKind.DROP, Families.DROPS, "forged_transmit"),
        LIMIT("mac_limit", CounterKind.DROP, Families.DROPS, "mac_limit");

        private final String key;
        private final CounterKind kind;
        private final MetricFamily family;
        private final String label;

        Port(String key, CounterKind kind, MetricFamily family, String label) {
            this.key = key;
            this.kind = kind;
            this.family = family;
            this.label = label;
        }

        public String key() {
            return key;
        }

        public String description() {
            return key;
        }

        public CounterScope scope() {
            return CounterScope.PORT;
        }

        public CounterKind kind() {
            return kind;
        }

        public MetricFamily family() {
            return family;
        }

        public String familyLabel() {
            return label;
        }
    }

    enum Device implements CounterDescriptor {
        QUEUE_FULL;

        public String key() {
            return "tx_queue_full";
        }

        public String description() {
            return "copies dropped";
        }

        public CounterScope scope() {
            return CounterScope.PORT;
        }

        public CounterKind kind() {
            return CounterKind.DROP;
        }
    }

    enum Peer implements CounterDescriptor {
        RX, TX;

        public String key() {
            return name().toLowerCase() + "Packets";
        }

        public String description() {
            return key();
        }

        public CounterScope scope() {
            return CounterScope.REMOTE_VTEP;
        }

        public CounterKind kind() {
            return CounterKind.TRAFFIC;
        }
    }

    static final class Families {
        static final MetricFamily DROPS = MetricFamily.byLabel("t_drops", "Drops.", "reason", "port");
    }

    private final CounterRegistry registry = new CounterRegistry();

    @Test
    void a_registered_port_reads_the_sum_of_its_lanes() {
        CounterSet set = new CounterSet(List.of(Port.values()), 1, 3);
        registry.register(set, CounterInstance.port("vm1", "vnic"));
        set.writer(0).increment(set.slot(Port.FRAMES));
        set.writer(1).add(set.slot(Port.FRAMES), 5);
        set.writer(2).increment(set.slot(Port.FORGED));

        CounterValues vm1 = registry.read().of(CounterScope.PORT, "vm1");
        assertThat(vm1.get(Port.FRAMES)).isEqualTo(6);
        assertThat(vm1.get(Port.FORGED)).isEqualTo(1);
        assertThat(vm1.get(Port.LIMIT)).isZero();
        assertThat(vm1.instance().labels()).containsExactly(Map.entry("port", "vm1"), Map.entry("kind", "vnic"));
    }

    @Test
    void each_lane_writes_its_own_row_so_no_count_is_lost_between_threads() throws Exception {
        CounterSet set = new CounterSet(List.of(Port.values()), 1, 2);
        int frames = 2_000_000;
        CountDownLatch start = new CountDownLatch(1);
        Thread[] lanes = new Thread[2];
        for (int w = 0; w < 2; w++) {
            CounterLane lane = set.writer(w);
            lanes[w] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < frames; i++) {
                    lane.increment(0);
                }
            });
            lanes[w].start();
        }
        start.countDown();
        for (Thread t : lanes) {
            t.join();
        }
        assertThat(set.get(Port.FRAMES)).isEqualTo(2L * frames);
    }

    @Test
    void sets_for_the_same_instance_add_up_and_every_port_has_the_whole_catalogue() {
        CounterSet vm1 = CounterSet.single(List.of(Port.values()));
        CounterSet vm2 = CounterSet.single(List.of(Port.values()));
        CounterSet vm1Device = CounterSet.single(List.of(Device.values()));
        CounterSet vm1Device2 = CounterSet.single(List.of(Device.values()));
        registry.register(vm1, CounterInstance.port("vm1", "vnic"));
        registry.register(vm2, CounterInstance.port("vm2", "vnic"));
        registry.register(vm1Device, CounterInstance.port("vm1", "vnic"));
        registry.register(vm1Device2, CounterInstance.port("vm1", "vnic"));
        vm1Device.writer(0).add(0, 2);
        vm1Device2.writer(0).add(0, 3);
        vm1.writer(0).increment(vm1.slot(Port.LIMIT));

        CounterReading r = registry.read();
        assertThat(r.catalogue(CounterScope.PORT)).containsExactly(Port.FRAMES, Port.FORGED, Port.LIMIT,
            Device.QUEUE_FULL);
        assertThat(r.all(CounterScope.PORT)).extracting(v -> v.instance().name()).containsExactly("vm1", "vm2");
        assertThat(r.of(CounterScope.PORT, "vm1").get(Device.QUEUE_FULL)).isEqualTo(5);
        assertThat(r.of(CounterScope.PORT, "vm2").counters()).contains(Device.QUEUE_FULL);
        assertThat(r.of(CounterScope.PORT, "vm2").get(Device.QUEUE_FULL)).isZero();
        assertThat(r.of(CounterScope.PORT, "vm1").nonZero(CounterKind.DROP))
            .containsExactly(Map.entry("mac_limit", 1L), Map.entry("tx_queue_full", 5L));
        assertThat(r.of(CounterScope.PORT, "vm1").describe(CounterKind.DROP, ", "))
            .isEqualTo("mac_limit=1, tx_queue_full=5");
    }

    @Test
    void a_closed_registration_is_no_longer_read() {
        CounterSet set = CounterSet.single(List.of(Port.values()));
        CounterRegistry.Registration r = registry.register(set, CounterInstance.port("vm1", "vnic"));
        set.writer(0).increment(0);
        r.close();
        assertThat(registry.read().all(CounterScope.PORT)).isEmpty();
        assertThat(registry.read().of(CounterScope.PORT, "vm1").get(Port.FRAMES)).isZero();
    }

    @Test
    void a_set_of_many_instances_names_the_ones_in_use_and_a_reused_one_starts_at_zero() {
        CounterSet peers = new CounterSet(List.of(Peer.values()), 4, 2);
        String[] addresses = {"192.0.2.2", null, "192.0.2.4", null};
        registry.register(peers, id -> addresses[id] == null ? null
            : CounterInstance.remoteVtep("vx119", addresses[id]));
        peers.writer(0).add(2, peers.slot(Peer.TX), 7);
        peers.writer(1).add(2, peers.slot(Peer.TX), 1);
        peers.writer(1).add(0, peers.slot(Peer.RX), 3);

        CounterReading r = registry.read();
        assertThat(r.all(CounterScope.REMOTE_VTEP)).extracting(v -> v.instance().labels().get("remote"))
            .containsExactly("192.0.2.2", "192.0.2.4");
        assertThat(r.of(CounterScope.REMOTE_VTEP, "vx119 192.0.2.4").get(Peer.TX)).isEqualTo(8);
        assertThat(r.of(CounterScope.REMOTE_VTEP, "vx119 192.0.2.2").get(Peer.RX)).isEqualTo(3);

        peers.reset(2);
        assertThat(peers.get(2, peers.slot(Peer.TX))).isZero();
        assertThat(peers.get(0, peers.slot(Peer.RX))).isEqualTo(3);
    }

    @Test
    void a_poll_reads_totals_kept_elsewhere_once_per_reading() {
        long[] learned = {4};
        int[] polls = {0};
        registry.poll(List.of(Peer.values()), CounterInstance.remoteVtep("vx119", "192.0.2.9"), () -> {
            polls[0]++;
            return new long[] {learned[0], 2};
        });
        CounterReading r = registry.read();
        assertThat(polls[0]).isEqualTo(1);
        assertThat(r.of(CounterScope.REMOTE_VTEP, "vx119 192.0.2.9").get(Peer.RX)).isEqualTo(4);
        learned[0] = 9;
        assertThat(registry.read().of(CounterScope.REMOTE_VTEP, "vx119 192.0.2.9").get(Peer.RX)).isEqualTo(9);
    }

    @Test
    void a_set_refuses_counters_of_another_scope_or_listed_twice() {
        assertThatThrownBy(() -> CounterSet.single(List.of(Port.FRAMES, Peer.RX)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("rx");
        assertThatThrownBy(() -> CounterSet.single(List.of(Port.FRAMES, Port.FRAMES)))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> CounterSet.single(List.of(Port.FRAMES)).slot(Port.LIMIT))
            .hasMessageContaining("no counter mac_limit");
    }

    @Test
    void an_instance_is_labelled_as_its_scope_says() {
        assertThatThrownBy(() -> new CounterInstance(CounterScope.TUNNEL, "vx1", Map.of("port", "vx1")))
            .hasMessageContaining("[tunnel]");
        assertThat(CounterInstance.remoteVtep("vx119", "192.0.2.2").labels())
            .containsExactly(Map.entry("tunnel", "vx119"), Map.entry("remote", "192.0.2.2"));
    }
}
