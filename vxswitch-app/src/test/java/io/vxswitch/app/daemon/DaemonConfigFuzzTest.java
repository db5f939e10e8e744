package io.vxswitch.app.daemon;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vxswitch.config.ConfigException;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.fuzz.Corpus;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The daemon's config ({@code vxswitch run --config}, {@code config reload}) and a port added at run time
 * ({@code POST /api/v1/ports}) from any text, the documented examples as seeds: a validated config, or a
 * {@link ConfigException} naming file, line and column; {@code vxswitch run} prints its message and exits 1. Nothing
 * else escapes. Parsing only: nothing is opened or created.
 */
class DaemonConfigFuzzTest {
    private static final List<PortGroupPolicy> GROUPS = List.of(PortGroupPolicy.vdsDefault("vlan119",
        VlanPolicy.access(119)));

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::any_text_is_a_config_or_a_positioned_error);
    }

    @FuzzTest
    @DictionaryEntries({"switch:", "portGroups:", "ports:", "tunnels:", "api:", "evpn:", "name:", "fdbCapacity:",
        "threads:", "loops:", "cpu:", "poll:", "busy", "macMove:", "type:", "tap", "interface", "kind:", "uplink",
        "portGroup:", "mac:", "mtu:", "offload:", "ring:", "vni:", "vlan:", "local:", "remotes:", "port:",
        "learning:", "underlayMtu:", "controlPlane:", "rd:", "routeTargets:", "arpSuppression:", "listen:", "token:",
        "asn:", "routerId:", "neighbors:", "192.0.2.1", "2001:db8::1", "02:00:00:00:01:01", "&a", "*a", "- ", ": ",
        "lag", "members:", "lacp:", "active", "passive", "rate:", "fast", "slow", "hash:", "l3l4", "l2",
        "systemPriority:", "systemId:", "key:", "portPriority:"})
    void any_text_is_a_config_or_a_positioned_error(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        try {
            assertThat(DaemonConfigParser.parse("fuzz.yaml", text)).isNotNull();
        } catch (ConfigException e) {
            assertPositioned(e);
        }
        try {
            assertThat(DaemonConfigParser.parsePort("request body", text, GROUPS)).isNotNull();
        } catch (ConfigException e) {
            assertThat(e.getMessage()).startsWith("request body");
        }
    }

    private static void assertPositioned(ConfigException e) {
        assertThat(e.getMessage()).startsWith("fuzz.yaml");
        assertThat(e.problem()).isNotBlank();
    }
}
