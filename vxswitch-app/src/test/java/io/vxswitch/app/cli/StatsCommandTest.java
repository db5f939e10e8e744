package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsCommandTest {
    @Test
    void the_table_shows_counters_offload_work_and_drops_per_port() throws Exception {
        String json = """
            [{"port": "vm1", "rxFrames": 5, "rxBytes": 300, "txFrames": 2, "txBytes": 120,
              "drops": {"forged_transmit": 1}, "offload": {}},
             {"port": "vx119", "rxFrames": 40, "rxBytes": 90000, "txFrames": 700, "txBytes": 1000000, "drops": {},
              "offload": {"superFramesCut": 3, "segmentsFromCuts": 130, "superFramesCoalesced": 12,
                          "segmentsCoalesced": 400}}]
            """;
        String table = StatsCommand.table(new ObjectMapper().readTree(json));
        assertThat(table.lines().toList().get(0)).containsSubsequence("port", "rx frames", "offload", "drops");
        assertThat(table).containsPattern("vm1 .* - +forged_transmit=1")
            .containsPattern("vx119 .* gso 3/130, gro 12/400 +-");
    }
}
