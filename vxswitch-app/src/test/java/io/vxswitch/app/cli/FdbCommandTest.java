package io.vxswitch.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FdbCommandTest {
    private static final String LEARNED = """
        {"port": "up0", "vlan": 119, "mac": "00:50:56:00:00:02", "type": "learned", "ageSeconds": 3, "moves": 0,
         "remoteVtep": null}""";
    private static final String VNIC = """
        {"port": "vm3", "vlan": null, "mac": "52:54:00:00:00:03", "type": "vnic", "ageSeconds": null, "moves": 0,
         "remoteVtep": null}""";
    private static final String REMOTE = """
        {"port": "vx119", "vlan": 119, "mac": "00:50:56:00:00:04", "type": "learned", "ageSeconds": 7, "moves": 2,
         "remoteVtep": "192.0.2.3"}""";
    private static final String EVPN = """
        {"port": "vx119", "vlan": 119, "mac": "00:50:56:00:00:01", "type": "evpn", "ageSeconds": null, "moves": 0,
         "remoteVtep": "192.0.2.1", "sequence": 4294967295}""";

    private static String render(String... rows) throws Exception {
        return FdbCommand.Show.render(new ObjectMapper().readTree("[" + String.join(",", rows) + "]"));
    }

    @Test
    void local_macs_only_need_no_remote_vtep_or_sequence_columns() throws Exception {
        assertThat(render(LEARNED, VNIC)).isEqualTo("""
            port  VLAN  MAC                Age  Type     Moves
            up0    119  00:50:56:00:00:02    3  learned      0
            vm3    any  52:54:00:00:00:03    -  vnic         0
            """);
    }

    @Test
    void a_mac_behind_a_tunnel_adds_the_remote_vtep_column() throws Exception {
        assertThat(render(LEARNED, REMOTE)).isEqualTo("""
            port   VLAN  MAC                Age  Type     Moves  Remote VTEP
            up0     119  00:50:56:00:00:02    3  learned      0
            vx119   119  00:50:56:00:00:04    7  learned      2  192.0.2.3
            """);
    }

    @Test
    void an_evpn_row_adds_its_sequence_number_before_the_remote_vtep() throws Exception {
        assertThat(render(LEARNED, REMOTE, EVPN)).isEqualTo("""
            port   VLAN  MAC                Age  Type     Moves         Seq  Remote VTEP
            up0     119  00:50:56:00:00:02    3  learned      0
            vx119   119  00:50:56:00:00:04    7  learned      2              192.0.2.3
            vx119   119  00:50:56:00:00:01    -  evpn         0  4294967295  192.0.2.1
            """);
    }
}
