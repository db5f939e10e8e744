package io.vxswitch.config;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A port group as the config, the lab and the API's {@code PUT /port-groups/NAME} take it (YAML, or JSON, which is
 * YAML), from any text: a policy, or a {@link ConfigException} whose message starts with where the text is wrong.
 * Nothing else: not snakeyaml's exceptions, not a number format, not a stack overflow on deep or recursive YAML.
 */
class PolicyParserFuzzTest {
    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::any_text_is_a_port_group_or_a_positioned_error);
    }

    @FuzzTest
    @DictionaryEntries({"name:", "vlan:", "trunk", "native", "none", "security:", "allowPromiscuous", "macChanges",
        "forgedTransmits", "accept", "reject", "macLearning:", "enabled", "allowUnicastFlooding", "limit", "limitPolicy",
        "drop", "allow", "agingSeconds", "4094", "1-4094", "shaping:", "ingress", "egress", "average", "peak", "burst",
        "mbit", "gbit", "64k", "&a", "*a", "!!int", "{", "[", "- ", ": "})
    void any_text_is_a_port_group_or_a_positioned_error(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            PortGroupPolicy policy = PolicyParser.portGroup(YamlDocument.parse("fuzz.yaml", text, "a port group"),
                "the fuzz input");
            assertThat(policy.name()).isNotBlank();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("fuzz.yaml");
            assertThat(e.problem()).isNotBlank();
        }
    }
}
