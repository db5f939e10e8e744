package io.vxswitch.jmh;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.jmh.ForwardingBenchmark.Memory;
import io.vxswitch.jmh.ForwardingBenchmark.Scenario;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The benchmarks measure what they are named after: every forwarding scenario decides as its name says (the
 * setup refuses otherwise), and the FDB keys are distinct unicast MACs. Runs with the unit tests, so a change in
 * the forwarding plane that would silently turn a benchmark into a drop benchmark fails the build instead.
 */
class BenchmarkSetupTest {

    @Test
    void every_forwarding_scenario_decides_as_named_on_heap_and_native_frames() {
        ForwardingBenchmark bench = new ForwardingBenchmark();
        for (Scenario scenario : Scenario.values()) {
            for (Memory memory : Memory.values()) {
                ForwardingBenchmark.Host h = new ForwardingBenchmark.Host();
                h.scenario = scenario;
                h.memory = memory;
                h.build();
                assertThat(bench.decide(h)).as("%s %s", scenario, memory).isEqualTo(scenario.egress.size());
                assertThat(bench.decideAndCopy(h)).as("bytes written, %s %s", scenario, memory).isPositive();
                h.close();
            }
        }
    }

    @Test
    void the_decision_loop_for_callgrind_runs_every_scenario() {
        for (Scenario scenario : Scenario.values()) {
            DecisionLoop.main(new String[] {scenario.name(), "HEAP", "20000", "20000"});
        }
    }

    @Test
    void fdb_keys_are_distinct_unicast_macs() {
        FdbKeys keys = FdbKeys.range(0, 100_000, 1);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < keys.length(); i++) {
            assertThat(MacAddress.isUnicast(keys.macs[i])).isTrue();
            assertThat(keys.vlans[i]).isBetween(1, 4094);
            assertThat(seen.add(keys.macs[i])).as("MAC of key %d is new", i).isTrue();
        }
    }

    @Test
    void fdb_states_build_a_full_table_and_a_churn_that_never_evicts() {
        FdbBenchmark bench = new FdbBenchmark();
        FdbBenchmark.Keys k = new FdbBenchmark.Keys();
        k.size = 1000;
        k.generate();
        FdbBenchmark.Table t = new FdbBenchmark.Table();
        t.fill(k);
        assertThat(t.fdb.size()).isEqualTo(1000);
        for (int i = 0; i < 2048; i++) {
            assertThat(bench.lookupHit(k, t)).isNotEqualTo(-1);
            assertThat(bench.lookupMiss(k, t)).isEqualTo(-1);
        }
        FdbBenchmark.Churn c = new FdbBenchmark.Churn();
        c.warm(k);
        for (int i = 0; i < 10_000; i++) {
            bench.learnNewAndExpire(c);
        }
        assertThat(c.fdb.stats().evicted()).isZero();
        assertThat(c.fdb.size()).isBetween(1000 - FdbBenchmark.Churn.EXPIRE_EVERY, 1000);
    }

    @Test
    void the_mac_flood_is_refused_by_the_limit_while_known_macs_forward() {
        MacFloodBenchmark bench = new MacFloodBenchmark();
        MacFloodBenchmark.Host h = new MacFloodBenchmark.Host();
        h.build();
        MacFloodBenchmark.KnownLane known = new MacFloodBenchmark.KnownLane();
        known.build(h);
        MacFloodBenchmark.FloodLane flood = new MacFloodBenchmark.FloodLane();
        flood.build(h);
        for (int i = 0; i < 2 * MacFloodBenchmark.FLOOD_MACS; i++) {
            assertThat(bench.known(known)).isOne();
            assertThat(bench.flood(flood)).isZero();
            assertThat(flood.decision.dropReason()).isEqualTo(DropReason.MAC_LIMIT);
        }
        assertThat(h.sw.fdb().learnedOn(h.attacker)).isEqualTo(MacFloodBenchmark.LIMIT);
        assertThat(h.sw.fdb().stats().limitReached()).isEqualTo(2L * MacFloodBenchmark.FLOOD_MACS);
    }
}
