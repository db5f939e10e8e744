package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MirrorCommandTest {
    @Test
    void the_table_shows_each_session_its_counts_and_why_a_waiting_one_waits() throws Exception {
        String json = """
            [{"name": "span-vm1", "sources": {"ports": ["vm1", "vm2"], "vlans": "119,200-210"}, "direction": "both",
              "destination": {"port": "analyzer"}, "truncate": 0, "sample": 1, "active": true, "status": "active",
              "frames": 22, "bytes": 2684, "truncated": 0, "skipped": {"sampling": 0, "destination_down": 0}},
             {"name": "ids", "sources": {"ports": [], "vlans": "119"}, "direction": "ingress",
              "destination": {"port": "tap9"}, "truncate": 128, "sample": 10, "active": false,
              "status": "waiting for destination port 'tap9' to be added", "frames": 0, "bytes": 0, "truncated": 0,
              "skipped": {"sampling": 9, "destination_down": 1}}]
            """;
        String table = MirrorCommand.table(new ObjectMapper().readTree(json));
        assertThat(table.lines().toList().get(0)).containsSubsequence("session", "direction", "sources",
            "destination", "truncate", "sample", "state", "frames", "bytes", "truncated", "skipped");
        assertThat(table).containsPattern("span-vm1 +both +vm1,vm2,VLAN 119,200-210 +analyzer +- +- +active +22 +2684 +0 +-")
            .containsPattern("ids +ingress +VLAN 119 +tap9 +128 +1/10 +waiting +0 +0 +0 +sampling=9, destination_down=1")
            .contains("ids: waiting for destination port 'tap9' to be added");
    }

    @Test
    void an_erspan_session_shows_its_collector_and_what_its_sender_did() throws Exception {
        String json = """
            [{"name": "remote1", "sources": {"ports": ["vm1"], "vlans": ""}, "direction": "both",
              "destination": {"erspan": {"remote": "198.51.100.2", "sessionId": 1, "version": 2}}, "truncate": 0,
              "sample": 1, "active": true, "status": "active", "frames": 10, "bytes": 980, "truncated": 0,
              "skipped": {"sampling": 0, "destination_down": 0, "erspan_loop": 2},
              "erspan": {"packets": 8, "bytes": 908, "mtuTruncated": 1,
                         "dropped": {"queue_full": 0, "unreachable": 2, "refused": 0}},
              "note": "12:00:01 collector 198.51.100.2: Network is unreachable (ENETUNREACH)"}]
            """;
        String table = MirrorCommand.table(new ObjectMapper().readTree(json));
        assertThat(table).containsPattern("remote1 +both +vm1 +erspan:198.51.100.2 id 1 II +- +- +active +10 +980 +0"
                + " +erspan_loop=2")
            .contains("remote1: ERSPAN packets 8 (908 bytes), cut to the path MTU 1, dropped unreachable=2")
            .contains("remote1: last said: 12:00:01 collector 198.51.100.2: Network is unreachable (ENETUNREACH)");
    }
}
