package io.vxswitch.config;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * No YAML text exhausts the reader: deep nesting, an alias inside what it names, and aliases of aliases end in a
 * {@link ConfigException} at their position, as a typo does, never in a stack overflow or an out-of-memory error
 * (found by {@link PolicyParserFuzzTest} and by probing what it reported).
 */
class YamlDocumentTest {
    @Test
    void nesting_deeper_than_64_levels_is_an_error_at_the_65th() {
        assertThatThrownBy(() -> YamlDocument.parse("f.yaml", "[".repeat(5_000) + "]".repeat(5_000), "x"))
            .isInstanceOf(ConfigException.class).hasMessage("f.yaml:1:65: nested deeper than 64 levels (or an alias"
                + " inside what it names): a config needs a few");
        assertThatThrownBy(() -> YamlDocument.parse("f.yaml", "- ".repeat(3_000) + "x", "x"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("nested deeper than 64 levels");
        assertThat(YamlDocument.parse("f.yaml", "[".repeat(64) + "]".repeat(64), "x")).isNotNull();
    }

    @Test
    void an_alias_inside_what_it_names_is_an_error_not_a_stack_overflow() {
        assertThatThrownBy(() -> YamlDocument.parse("f.yaml", "a: &a {b: *a}", "x"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("an alias inside what it names");
    }

    @Test
    void aliases_that_expand_beyond_100000_values_are_an_error() {
        StringBuilder laughs = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 24; i++) { // 46 aliases, under snakeyaml's 50: 2^24 values once expanded
            laughs.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a")
                .append(i - 1).append("]\n");
        }
        assertThatThrownBy(() -> YamlDocument.parse("f.yaml", laughs.toString(), "x"))
            .isInstanceOf(ConfigException.class).hasMessageContaining("aliases expand to more than 100000 values");
    }

    @Test
    void a_tag_the_yaml_library_refuses_is_invalid_yaml() {
        assertThatThrownBy(() -> YamlDocument.parse("f.yaml", "!%04", "x"))
            .isInstanceOf(ConfigException.class).hasMessageStartingWith("f.yaml: not valid YAML:");
    }
}
