package io.vxswitch.mgmt.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FdbEntryViewTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void only_an_evpn_row_has_a_sequence_number() throws Exception {
        String evpn = mapper.writeValueAsString(new Views.FdbEntryView("vx119", 119, "00:50:56:00:00:01", "evpn", null,
            0, "192.0.2.1", 4_294_967_295L));
        String learned = mapper.writeValueAsString(new Views.FdbEntryView("up0", 119, "00:50:56:00:00:02", "learned",
            3L, 0, null, null));

        assertThat(evpn).isEqualTo("{\"port\":\"vx119\",\"vlan\":119,\"mac\":\"00:50:56:00:00:01\",\"type\":\"evpn\","
            + "\"ageSeconds\":null,\"moves\":0,\"remoteVtep\":\"192.0.2.1\",\"sequence\":4294967295}");
        assertThat(learned).isEqualTo("{\"port\":\"up0\",\"vlan\":119,\"mac\":\"00:50:56:00:00:02\","
            + "\"type\":\"learned\",\"ageSeconds\":3,\"moves\":0,\"remoteVtep\":null}");
    }
}
