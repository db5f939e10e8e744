package io.vxswitch.lab.topology;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.config.ConfigException;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A lab topology ({@code vxswitch lab run FILE}) from any text, the two shipped examples as seeds: a checked topology,
 * or a {@link ConfigException} naming the file position and what is wrong. Nothing else escapes.
 */
class TopologyParserFuzzTest {
    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::any_text_is_a_topology_or_a_positioned_error);
    }

    @FuzzTest
    @DictionaryEntries({"hosts:", "vdsHosts:", "physicalSwitches:", "nestedHypervisors:", "routers:", "vtepHosts:",
        "links:", "pings:", "ends:", "latency:", "linkLatency:", "name:", "mac:", "ip:", "vlan:", "ports:", "uplinks:",
        "portGroups:", "from:", "to:", "count:", "interval:", "vni:", "trunk", "1ms", "50us", "10.0.0.1/24",
        "00:50:56:00:01:01", "&a", "*a", "- ", ": "})
    void any_text_is_a_topology_or_a_positioned_error(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            assertThat(TopologyParser.parse("fuzz.yaml", text)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
            assertThat(e.problem()).isNotBlank();
        }
    }
}
