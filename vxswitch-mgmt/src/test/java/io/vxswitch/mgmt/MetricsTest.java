package io.vxswitch.mgmt;

import io.vxswitch.forwarding.counters.CounterDescriptor;
import io.vxswitch.forwarding.counters.CounterKind;
import io.vxswitch.forwarding.counters.CounterScope;
import io.vxswitch.forwarding.counters.CounterSet;
import io.vxswitch.forwarding.counters.MetricFamily;
import io.vxswitch.mgmt.view.Views;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The exposition and the stats view list what the registry holds, as the descriptors describe it. */
class MetricsTest {
    /** A counter no exporter knows: a driver's new drop reason. */
    enum NewDrop implements CounterDescriptor {
        RING_OVERRUN;

        public String key() {
            return "ring_overrun";
        }

        public String description() {
            return "frames the kernel dropped because the ring was full";
        }

        public CounterScope scope() {
            return CounterScope.PORT;
        }

        public CounterKind kind() {
            return CounterKind.DROP;
        }

        public MetricFamily family() {
            return MetricFamily.byLabel("vxswitch_port_ring_drops", "Frames the ring dropped.", "reason", "port");
        }

        public String familyLabel() {
            return "overrun";
        }
    }

    @Test
    void a_counter_a_driver_registers_is_exported_and_shown_as_its_descriptor_says() {
        try (TestSwitch sw = new TestSwitch()) {
            CounterSet ring = CounterSet.single(List.of(NewDrop.values()));
            sw.call(s -> s.counters().register(ring, s.port("vm1").counterInstance()));
            ring.writer(0).add(0, 7);

            String text = new String(Metrics.text(sw.call(s -> Metrics.snapshot(s, sw))));
            assertThat(text)
                .contains("# HELP vxswitch_port_ring_drops_total Frames the ring dropped.")
                .contains("vxswitch_port_ring_drops_total{port=\"vm1\",reason=\"overrun\"} 7.0")
                .as("every port has every counter of its scope")
                .contains("vxswitch_port_ring_drops_total{port=\"vm2\",reason=\"overrun\"} 0.0");
            List<Views.PortStatsView> stats = sw.call(Views::stats);
            assertThat(stats.get(1).drops()).containsEntry("ring_overrun", 7L);
            assertThat(stats.get(2).drops()).doesNotContainKey("ring_overrun");
        }
    }

    @Test
    void lag_members_states_are_gauges_and_their_counts_are_exported_as_described() {
        try (TestSwitch sw = new TestSwitch()) {
            sw.lags = List.of(TestSwitch.lag());
            sw.call(s -> s.counters().poll(List.of(io.vxswitch.forwarding.lacp.LagMemberCounter.values()),
                io.vxswitch.forwarding.counters.CounterInstance.lagMember("uplink1", "eth1"),
                () -> new long[] {40, 41, 0, 0, 0, 0, 0, 5, 1, 2, 1000, 150_000, 900, 120_000, 3}));
            String text = new String(Metrics.text(Metrics.scrape(sw)));
            assertThat(text)
                .contains("vxswitch_lag_distributing_members{lag=\"uplink1\"} 1.0")
                .contains("vxswitch_lacp_member_distributing{lag=\"uplink1\",member=\"eth1\"} 1.0")
                .contains("vxswitch_lacp_member_distributing{lag=\"uplink1\",member=\"eth2\"} 0.0")
                .contains("vxswitch_lacp_member_actor_state{lag=\"uplink1\",member=\"eth1\"} 63.0")
                .contains("vxswitch_lacp_member_partner_state{lag=\"uplink1\",member=\"eth2\"} 55.0")
                .contains("vxswitch_lacp_pdus_total{direction=\"rx\",lag=\"uplink1\",member=\"eth1\"} 40.0")
                .contains("vxswitch_lag_member_tx_frames_total{lag=\"uplink1\",member=\"eth1\"} 900.0")
                .contains("vxswitch_lacp_marker_responses_total{lag=\"uplink1\",member=\"eth1\"} 5.0")
                .contains("vxswitch_lacp_pdu_drops_total{lag=\"uplink1\",member=\"eth1\",reason=\"marker_malformed\"} 1.0")
                .contains("vxswitch_lacp_pdu_drops_total{lag=\"uplink1\",member=\"eth1\",reason=\"marker_rate_limited\"} 2.0")
                .contains("vxswitch_lag_member_rx_drops_total{lag=\"uplink1\",member=\"eth1\",reason=\"not_collecting\"} 3.0");
        }
    }
}
