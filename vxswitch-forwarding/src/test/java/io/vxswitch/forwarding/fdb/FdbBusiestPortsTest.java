package io.vxswitch.forwarding.fdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbBusiestPortsTest {

    @Test
    void the_top_is_always_a_port_holding_the_most_macs() {
        int[] count = new int[1024];
        BusiestPorts busiest = new BusiestPorts(count);
        Random random = new Random(7);
        for (int step = 0; step < 200_000; step++) {
            // a few hot ports and many quiet ones, like a flooder among ordinary vNICs
            int port = random.nextInt(4) == 0 ? random.nextInt(8) : random.nextInt(count.length);
            if (count[port] > 0 && random.nextInt(5) < 2) {
                count[port]--;
                busiest.decreased(port);
            } else {
                count[port]++;
                busiest.increased(port);
            }
            if (step % 97 == 0) {
                assertThat(count[busiest.top()]).isEqualTo(Arrays.stream(count).max().orElseThrow());
            }
        }
    }

    @Test
    void with_nothing_learned_any_port_is_on_top_with_zero() {
        int[] count = new int[3];
        assertThat(count[new BusiestPorts(count).top()]).isZero();
    }
}
