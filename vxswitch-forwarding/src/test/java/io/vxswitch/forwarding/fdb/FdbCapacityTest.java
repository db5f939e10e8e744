package io.vxswitch.forwarding.fdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbCapacityTest {
    private static final int MILLION = 1_000_000;
    private static final int PORTS = 1024;

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void a_table_of_a_million_macs_fills_and_answers_every_lookup() {
        Fdb fdb = new Fdb(MILLION, PORTS, 0x5eed_cafe_f00dL);

        int refused = 0;
        for (int i = 0; i < MILLION; i++) {
            if (fdb.learn(i & 4095, mac(i), i % PORTS, Integer.MAX_VALUE, i) != LearnOutcome.LEARNED) {
                refused++;
            }
        }
        assertThat(refused).isZero();
        assertThat(fdb.size()).isEqualTo(MILLION);

        int wrong = 0;
        for (int i = 0; i < MILLION; i++) {
            if (fdb.portOf(i & 4095, mac(i)) != i % PORTS) {
                wrong++;
            }
        }
        assertThat(wrong).isZero();
        assertThat(fdb.portOf(1, mac(MILLION))).isEqualTo(Fdb.NOT_FOUND);

        // one more MAC evicts the oldest entry of a port holding the most MACs; ports 0-575 hold 977 each
        assertThat(fdb.learn(1, mac(MILLION), 0, Integer.MAX_VALUE, MILLION)).isEqualTo(LearnOutcome.LEARNED);
        assertThat(fdb.size()).isEqualTo(MILLION);
        assertThat(fdb.stats().evicted()).isEqualTo(1);
        assertThat(fdb.expire(MILLION + Fdb.DEFAULT_AGING_NANOS)).isEqualTo(MILLION);
        assertThat(fdb.size()).isZero();
    }

    /** Distinct locally administered unicast MACs spread over the low 40 bits, like a flood of random ones. */
    private static long mac(int i) {
        return 0x02_00_00_00_00_00L | (i * 0x9E37_79B1L & 0xFF_FFFF_FFFFL);
    }
}
