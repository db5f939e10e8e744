package io.vxswitch.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CpuAffinityTest {
    @Test
    void kernel_cpu_lists_parse_into_sets() {
        assertThat(CpuAffinity.parseList("0-1").toString()).isEqualTo("{0, 1}");
        assertThat(CpuAffinity.parseList("0-3,8,10-11").toString()).isEqualTo("{0, 1, 2, 3, 8, 10, 11}");
        assertThat(CpuAffinity.parseList("5").toString()).isEqualTo("{5}");
        assertThat(CpuAffinity.online().isEmpty()).isFalse();
    }
}
