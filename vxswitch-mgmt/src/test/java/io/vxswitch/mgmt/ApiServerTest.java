package io.vxswitch.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static io.vxswitch.mgmt.TestSwitch.NESTED_VM;
import static io.vxswitch.mgmt.TestSwitch.VM1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The API over real HTTP on loopback, against a switch owned by another thread as in the daemon. */
class ApiServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;
    private TestSwitch sw;
    private ApiServer api;
    private String token;

    @BeforeEach
    void start() throws IOException {
        sw = new TestSwitch();
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), sw, line -> { });
        token = Files.readString(dir.resolve("api.token")).trim();
    }

    @AfterEach
    void stop() {
        api.close();
        sw.close();
    }

    record Answer(int status, JsonNode json) {
        String error() {
            return json.path("error").asText();
        }
    }

    private Answer request(String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()));
    }

    private Answer get(String path) throws Exception {
        return request("GET", path, null, token);
    }

    @Test
    void the_generated_token_is_in_a_file_only_root_can_read_and_gone_after_stop() throws Exception {
        assertThat(token).hasSize(64).matches("[0-9a-f]+");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("api.token"))))
            .isEqualTo("rw-------");
        api.close();
        assertThat(dir.resolve("api.token")).doesNotExist();
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), sw, line -> { });
    }

    @Test
    void every_route_needs_the_token() throws Exception {
        Answer none = request("GET", "/api/v1/ports", null, null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.error()).startsWith("no API token").contains(dir.resolve("api.token").toString());
        Answer wrong = request("GET", "/api/v1/fdb", null, "0".repeat(64));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.error()).startsWith("wrong API token");
        assertThat(request("POST", "/api/v1/fdb/flush", null, "x").status()).isEqualTo(401);
        assertThat(get("/api/v1/ports").status()).isEqualTo(200);
    }

    /** Found by ApiRequestFuzzTest: Javalin's own 404 was plain text, every other refusal JSON. */
    @Test
    void an_unknown_route_is_refused_in_json_like_every_other_refusal() throws Exception {
        Answer none = request("POST", "/api/v1/tunnels//flood-list", "{}", token);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.error()).isEqualTo("no route POST /api/v1/tunnels//flood-list (docs/api.md lists the routes,"
            + " under /api/v1)");
    }

    /** Found by probing what ApiRequestFuzzTest reached: a full table answered 500, "internal error". */
    @Test
    void a_full_table_refuses_a_static_entry_or_a_flood_list_peer_with_409_saying_what_to_do() throws Exception {
        api.close();
        FuzzManagedSwitch small = new FuzzManagedSwitch(); // an FDB of 4, 4 remote VTEP ids (192.0.2.2 holds one)
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api2.token")), small, line -> { });
        token = Files.readString(dir.resolve("api2.token")).trim();
        Answer last = null;
        for (int i = 1; i <= FuzzManagedSwitch.FDB_CAPACITY + 1; i++) {
            last = request("POST", "/api/v1/fdb/static", "{\"vlan\": 119, \"mac\": \"02:00:00:00:00:0" + i
                + "\", \"port\": \"uplink1\"}", token);
        }
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.error()).startsWith("FDB is full of static entries (4)").contains("fdbCapacity");
        for (int i = 3; i <= 6; i++) {
            last = request("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 119, \"remote\": \"192.0.2." + i
                + "\"}", token);
        }
        assertThat(last.status()).isEqualTo(409);
        assertThat(last.error()).contains("all 4 ids are in use");
    }

    @Test
    void a_listen_address_off_loopback_needs_a_configured_token() {
        assertThatThrownBy(() -> new ApiOptions("192.0.2.10", 7739, null, dir.resolve("t")))
            .hasMessageContaining("not a loopback address: set api.token");
        assertThat(new ApiOptions("192.0.2.10", 7739, "a-token-of-16-chars", dir.resolve("t")).host())
            .isEqualTo("192.0.2.10");
    }

    @Test
    void ports_list_kind_port_group_vlan_and_vnic_mac() throws Exception {
        JsonNode ports = get("/api/v1/ports").json();
        assertThat(names(ports)).containsExactly("uplink1", "vm1", "vm2", "nested", "vx119");
        assertThat(ports.get(1).path("mac").asText()).isEqualTo("00:50:56:00:00:01");
        assertThat(ports.get(1).path("vlan").asText()).isEqualTo("vlan 119");
        assertThat(ports.get(0).path("kind").asText()).isEqualTo("uplink");
        JsonNode one = get("/api/v1/ports/nested").json();
        assertThat(one.path("portGroup").asText()).isEqualTo("nested");
        assertThat(one.path("mac").asText()).isEqualTo("00:50:56:00:00:09");
        JsonNode sw = get("/api/v1/switch").json();
        assertThat(sw.path("name").asText()).isEqualTo("esxi-test");
        assertThat(sw.path("ports").asInt()).isEqualTo(5);
        assertThat(sw.path("tunnels").asInt()).isEqualTo(1);
        assertThat(sw.path("fdbCapacity").asInt()).isEqualTo(8192);
        assertThat(get("/api/v1/port-groups").json().findValuesAsText("name"))
            .containsExactly("uplinks", "vlan119", "nested", "tunnel-vx119");
        Answer missing = get("/api/v1/ports/vm9");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.error()).isEqualTo("no port 'vm9' (ports: uplink1, vm1, vm2, nested, vx119)");
    }

    @Test
    void the_fdb_shows_learned_and_vnic_macs_and_filters_by_vlan_port_and_mac() throws Exception {
        sw.send("nested", NESTED_VM, VM1);
        JsonNode all = get("/api/v1/fdb").json();
        assertThat(all.findValuesAsText("mac")).contains("52:54:00:00:00:03", "00:50:56:00:00:01");
        JsonNode learned = get("/api/v1/fdb?port=nested&mac=52-54-00-00-00-03").json();
        assertThat(learned).hasSize(1);
        assertThat(learned.get(0).path("type").asText()).isEqualTo("learned");
        assertThat(learned.get(0).path("vlan").asInt()).isEqualTo(119);
        assertThat(learned.get(0).path("ageSeconds").asLong()).isZero();
        assertThat(get("/api/v1/fdb?vlan=120").json()).isEmpty();

        assertThat(get("/api/v1/fdb?mac=52:54:00:zz:00:03").error()).contains("not a MAC address: '52:54:00:zz:00:03'");
        assertThat(get("/api/v1/fdb?mac=52:54:00:zz:00:03").status()).isEqualTo(400);
        assertThat(get("/api/v1/fdb?vlan=5000").error()).isEqualTo("vlan must be a number 0-4094 (0: untagged), got '5000'");
        assertThat(get("/api/v1/fdb?port=nope").status()).isEqualTo(404);
    }

    @Test
    void flush_removes_learned_entries_only() throws Exception {
        sw.send("nested", NESTED_VM, VM1);
        Answer flushed = request("POST", "/api/v1/fdb/flush?port=nested", null, token);
        assertThat(flushed.json().path("flushed").asInt()).isEqualTo(1);
        assertThat(get("/api/v1/fdb?port=nested").json().findValuesAsText("type")).doesNotContain("learned");
        assertThat(get("/api/v1/fdb").json().findValuesAsText("type")).contains("vnic");
    }

    @Test
    void static_entries_are_added_shown_and_removed() throws Exception {
        Answer added = request("POST", "/api/v1/fdb/static",
            "{\"vlan\": 119, \"mac\": \"02:00:00:00:00:99\", \"port\": \"uplink1\"}", token);
        assertThat(added.status()).isEqualTo(201);
        JsonNode row = get("/api/v1/fdb?mac=02:00:00:00:00:99").json().get(0);
        assertThat(row.path("type").asText()).isEqualTo("static");
        assertThat(row.path("port").asText()).isEqualTo("uplink1");
        assertThat(row.path("ageSeconds").isNull()).isTrue();

        assertThat(request("POST", "/api/v1/fdb/static", "{\"vlan\": 119, \"mac\": \"02:00:00:00:00:98\","
            + " \"port\": \"up9\"}", token).status()).isEqualTo(404);
        Answer typo = request("POST", "/api/v1/fdb/static", "{\"vlan\": 119, \"mak\": \"x\"}", token);
        assertThat(typo.status()).isEqualTo(400);
        assertThat(typo.error()).contains("mak");

        assertThat(request("DELETE", "/api/v1/fdb/static?vlan=119&mac=02:00:00:00:00:99", null, token).status())
            .isEqualTo(200);
        Answer again = request("DELETE", "/api/v1/fdb/static?vlan=119&mac=02:00:00:00:00:99", null, token);
        assertThat(again.status()).isEqualTo(404);
        assertThat(again.error()).isEqualTo("no static entry for 02:00:00:00:00:99 in VLAN 119");
    }

    @Test
    void stats_count_frames_and_drops_including_the_devices_transmit_drops() throws Exception {
        sw.send("vm1", TestSwitch.NESTED_VM, VM1); // forged transmit: vm1's port group rejects it
        JsonNode stats = get("/api/v1/stats").json();
        JsonNode vm1 = stats.get(1);
        assertThat(vm1.path("port").asText()).isEqualTo("vm1");
        assertThat(vm1.path("rxFrames").asLong()).isEqualTo(1);
        assertThat(vm1.path("drops").path("forged_transmit").asLong()).isEqualTo(1);
        assertThat(stats.get(2).path("drops").path("tx_queue_full").asLong()).isEqualTo(3);
        assertThat(stats.get(2).path("drops").path("rx_refused").asLong()).isEqualTo(2);
        assertThat(stats.get(2).path("offload").path("superFramesCut").asLong()).isEqualTo(2);
        assertThat(stats.get(2).path("offload").path("segmentsCoalesced").asLong()).isEqualTo(40);
        assertThat(vm1.path("offload").isEmpty()).as("a port whose device did nothing in software").isTrue();
    }

    @Test
    void a_trace_tells_the_decision_without_learning_or_counting() throws Exception {
        Answer t = request("POST", "/api/v1/trace",
            "{\"port\": \"nested\", \"src\": \"52:54:00:00:00:03\", \"dst\": \"00:50:56:00:00:01\"}", token);
        assertThat(t.status()).isEqualTo(200);
        assertThat(t.json().path("egress").get(0).asText()).isEqualTo("vm1");
        assertThat(t.json().path("frame").asText()).contains("52:54:00:00:00:03 > 00:50:56:00:00:01");
        assertThat(t.json().findValuesAsText("detail"))
            .anyMatch(d -> d.contains("learned on port nested (probe: FDB unchanged)"));
        assertThat(get("/api/v1/fdb?port=nested").json().findValuesAsText("type")).doesNotContain("learned");
        assertThat(get("/api/v1/stats").json().get(3).path("rxFrames").asLong()).isZero();

        Answer dropped = request("POST", "/api/v1/trace",
            "{\"port\": \"vm1\", \"src\": \"52:54:00:00:00:03\", \"dst\": \"ff:ff:ff:ff:ff:ff\", \"ethertype\": \"arp\"}",
            token);
        assertThat(dropped.json().path("drop").asText()).isEqualTo("forged_transmit");
        Answer hex = request("POST", "/api/v1/trace", "{\"port\": \"vm1\", \"hex\": \"ffffffffffff0050560000010806\"}",
            token);
        assertThat(hex.json().path("frame").asText()).contains("ARP");
        Answer bad = request("POST", "/api/v1/trace", "{\"port\": \"vm1\", \"src\": \"1\", \"dst\": \"2\"}", token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).contains("not a MAC address: '1'");
    }

    @Test
    void a_port_group_policy_changes_in_place_from_the_config_format() throws Exception {
        Answer changed = request("PUT", "/api/v1/port-groups/vlan119",
            "{\"name\": \"vlan119\", \"vlan\": 119, \"macLearning\": {\"enabled\": true, \"limit\": 8}}", token);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("macLearning").path("limit").asInt()).isEqualTo(8);
        assertThat(changed.json().path("ports").toString()).isEqualTo("[\"vm1\",\"vm2\"]");

        Answer renamed = request("PUT", "/api/v1/port-groups/vlan119", "{\"name\": \"other\", \"vlan\": 119}", token);
        assertThat(renamed.error()).contains("renaming is not supported");
        Answer unknown = request("PUT", "/api/v1/port-groups/nope", "{\"name\": \"nope\", \"vlan\": 1}", token);
        assertThat(unknown.status()).isEqualTo(404);
        Answer wrong = request("PUT", "/api/v1/port-groups/vlan119",
            "{\"name\": \"vlan119\", \"macLearning\": {\"limitPolicy\": \"dorp\"}}", token);
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.error()).contains("request body:1:").contains("limitPolicy must be drop or allow");
    }

    @Test
    void a_port_groups_traffic_shaping_is_set_shown_and_its_drops_counted() throws Exception {
        Answer changed = request("PUT", "/api/v1/port-groups/vlan119", "{\"name\": \"vlan119\", \"vlan\": 119,"
            + " \"shaping\": {\"ingress\": {\"average\": \"1kbit\", \"burst\": 1}}}", token);
        assertThat(changed.status()).isEqualTo(200);
        assertThat(changed.json().path("shaping").toString()).isEqualTo("{\"ingress\":{\"averageBandwidth\":1000,"
            + "\"peakBandwidth\":1000,\"burstSize\":1},\"egress\":null}");
        assertThat(get("/api/v1/port-groups").json().findValues("shaping")).hasSize(1);
        JsonNode vm1 = get("/api/v1/ports/vm1").json();
        assertThat(vm1.path("shaping").asText()).isEqualTo("in 1kbit/1kbit/1, out -");

        sw.send("vm1", VM1, NESTED_VM); // passes on the one byte of burst, and leaves the bucket in debt for 0.8 s
        sw.send("vm1", VM1, NESTED_VM);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
            + "/metrics")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("vxswitch_port_drops_total{port=\"vm1\",reason=\"ingress_shaping\"} 1.0")
            .contains("vxswitch_port_drops_total{port=\"vm2\",reason=\"egress_shaping\"} 0.0");
        JsonNode stats = null;
        for (JsonNode port : get("/api/v1/stats").json()) {
            stats = port.path("port").asText().equals("vm1") ? port : stats;
        }
        assertThat(stats.path("drops").path("ingress_shaping").asLong()).isEqualTo(1);
    }

    @Test
    void a_mirror_session_is_added_shown_counted_in_metrics_and_deleted() throws Exception {
        Answer added = request("POST", "/api/v1/mirrors", "{\"name\": \"span1\", \"sources\": {\"ports\": [\"vm1\"]},"
            + " \"direction\": \"ingress\", \"destination\": {\"port\": \"nested\"}, \"truncate\": 60}", token);
        assertThat(added.status()).isEqualTo(201);
        Answer clash = request("POST", "/api/v1/mirrors", "{\"name\": \"span2\", \"sources\": {\"ports\": [\"nested\"]},"
            + " \"destination\": {\"port\": \"vm2\"}}", token);
        assertThat(clash.status()).isEqualTo(409);
        assertThat(clash.error()).contains("port 'nested' is the destination of session 'span1' and cannot be a source");
        Answer bad = request("POST", "/api/v1/mirrors", "{\"name\": \"span3\", \"sources\": {\"ports\": [\"vm2\"]},"
            + " \"destination\": {\"port\": \"vm1\"}, \"direction\": \"out\"}", token);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.error()).contains("write ingress, egress or both");

        sw.send("vm1", VM1, TestSwitch.VM2); // 98 bytes: cut to 60
        sw.send("vm2", TestSwitch.VM2, VM1); // not a source that way
        JsonNode span = get("/api/v1/mirrors/span1").json();
        assertThat(span.path("active").asBoolean()).isTrue();
        assertThat(span.path("sources").path("ports").toString()).isEqualTo("[\"vm1\"]");
        assertThat(span.path("destination").path("port").asText()).isEqualTo("nested");
        assertThat(span.path("frames").asLong()).isEqualTo(1);
        assertThat(span.path("bytes").asLong()).isEqualTo(60);
        assertThat(span.path("truncated").asLong()).isEqualTo(1);
        assertThat(span.path("skipped").toString()).isEqualTo("{\"sampling\":0,\"destination_down\":0}");
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
            + "/metrics")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.body()).contains("vxswitch_mirror_frames_total{session=\"span1\"} 1.0")
            .contains("vxswitch_mirror_bytes_total{session=\"span1\"} 60.0")
            .contains("vxswitch_mirror_truncated_total{session=\"span1\"} 1.0")
            .contains("vxswitch_mirror_skipped_total{reason=\"sampling\",session=\"span1\"} 0.0");

        assertThat(get("/api/v1/ports/nested").json().path("mirrorDestination").asBoolean()).isTrue();
        assertThat(get("/api/v1/ports/vm1").json().has("mirrorDestination")).as("left out when false").isFalse();
        JsonNode pushed = firstSnapshot().path("mirrors");
        assertThat(pushed.findValuesAsText("name")).as("the web view's snapshot").containsExactly("span1");
        assertThat(pushed.get(0).path("frames").asLong()).isEqualTo(1);

        assertThat(get("/api/v1/mirrors/nope").status()).isEqualTo(404);
        assertThat(request("DELETE", "/api/v1/mirrors/span1", null, token).status()).isEqualTo(200);
        assertThat(get("/api/v1/mirrors").json()).isEmpty();
        assertThat(request("DELETE", "/api/v1/mirrors/span1", null, token).status()).isEqualTo(404);
    }

    @Test
    void metrics_are_in_the_prometheus_text_format_behind_the_same_token() throws Exception {
        sw.send("vm1", NESTED_VM, VM1); // a forged transmit
        sw.send("nested", NESTED_VM, VM1); // learned
        HttpResponse<String> denied = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
            + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(denied.statusCode()).isEqualTo(401);
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
            + "/metrics")).header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
            .contains("# TYPE vxswitch_port_rx_frames_total counter")
            .contains("vxswitch_port_rx_frames_total{kind=\"vnic\",port=\"vm1\"} 1.0")
            .contains("vxswitch_port_drops_total{port=\"vm1\",reason=\"forged_transmit\"} 1.0")
            .contains("vxswitch_port_drops_total{port=\"vm1\",reason=\"mac_limit\"} 0.0")
            .contains("vxswitch_port_tx_drops_total{port=\"vm2\",reason=\"queue_full\"} 3.0")
            .contains("vxswitch_port_rx_drops_total{port=\"vm2\",reason=\"refused\"} 2.0")
            .contains("vxswitch_port_up{port=\"nested\"} 1.0")
            .contains("vxswitch_port_gso_segments_total{port=\"vm2\"} 90.0")
            .contains("vxswitch_port_gro_super_frames_total{port=\"vm2\"} 5.0")
            .contains("vxswitch_fdb_entries{vlan=\"119\"} 1.0")
            .contains("vxswitch_fdb_learned_total 1.0")
            .contains("vxswitch_vxlan_drops_total{reason=\"vlan_without_vni\",tunnel=\"vx119\"} 0.0")
            .contains("vxswitch_vxlan_peer_tx_packets_total{remote=\"192.0.2.2\",tunnel=\"vx119\"} 0.0")
            .contains("vxswitch_vxlan_flood_list_peers{tunnel=\"vx119\",vni=\"119\"} 1.0");
    }

    @Test
    void capture_streams_a_pcap_file_of_the_ports_frames_cut_to_the_snapshot_length() throws Exception {
        sw.captured.add(new byte[60]);
        sw.captured.add(new byte[1514]);
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
            + "/api/v1/capture?port=vm1&count=2&snaplen=100")).header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/vnd.tcpdump.pcap");
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r.body()).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        assertThat(b.getInt(0)).as("pcap magic, nanoseconds").isEqualTo(0xa1b23c4d);
        assertThat(b.getInt(24)).as("seconds of the first record").isEqualTo(1_700_000_000);
        assertThat(b.getInt(24 + 8)).as("captured").isEqualTo(60);
        int second = 24 + 16 + 60;
        assertThat(b.getInt(second + 8)).as("captured, cut to snaplen").isEqualTo(100);
        assertThat(b.getInt(second + 12)).as("original length").isEqualTo(1514);
        assertThat(r.body()).hasSize(second + 16 + 100);
        assertThat(sw.captureClosed).as("the session is closed when the stream ends").isTrue();

        assertThat(get("/api/v1/capture?port=vm9").status()).isEqualTo(404);
        assertThat(get("/api/v1/capture").error()).isEqualTo("say which port to capture: ?port=NAME");
        assertThat(get("/api/v1/capture?port=vm1&snaplen=0").error()).isEqualTo("snaplen must be a number 1-9022, got '0'");
    }

    @Test
    void flood_list_peers_are_added_and_removed_per_vni() throws Exception {
        JsonNode tunnel = get("/api/v1/tunnels").json().get(0);
        assertThat(tunnel.path("vnis").get(0).path("floodList").toString()).isEqualTo("[\"192.0.2.2\"]");
        Answer added = request("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 119, \"remote\": \"192.0.2.3\"}",
            token);
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.json().path("vnis").get(0).path("floodList").toString())
            .isEqualTo("[\"192.0.2.2\",\"192.0.2.3\"]");
        assertThat(request("DELETE", "/api/v1/tunnels/vx119/flood-list?vni=119&remote=192.0.2.2", null, token).json()
            .path("vnis").get(0).path("floodList").toString()).isEqualTo("[\"192.0.2.3\"]");

        assertThat(request("DELETE", "/api/v1/tunnels/vx119/flood-list?vni=119&remote=192.0.2.2", null, token).error())
            .isEqualTo("192.0.2.2 is not in the flood list of VNI 119 on tunnel vx119");
        assertThat(request("POST", "/api/v1/tunnels/vx9/flood-list", "{\"vni\": 119, \"remote\": \"192.0.2.3\"}",
            token).error()).isEqualTo("no tunnel 'vx9' (tunnels: vx119)");
        assertThat(request("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 120, \"remote\": \"192.0.2.3\"}",
            token).error()).isEqualTo("tunnel vx119 does not carry VNI 120");
        assertThat(request("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 119, \"remote\": \"239.1.1.1\"}",
            token).error()).contains("not a unicast address");
        assertThat(request("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 119, \"remote\": \"2001:db8::1\"}",
            token).error()).contains("not of the family of the tunnel's local address 192.0.2.1");
    }

    @Test
    void lacp_shows_each_lag_and_its_members_as_lacp_show_does_and_ports_carry_it() throws Exception {
        assertThat(get("/api/v1/lacp").json()).isEmpty();
        assertThat(get("/api/v1/ports").json().get(0).has("lacp")).as("no LAG, no lacp field").isFalse();
        sw.lags = List.of(TestSwitch.lag());
        JsonNode lag = get("/api/v1/lacp").json().get(0);
        assertThat(lag.path("name").asText()).isEqualTo("uplink1");
        assertThat(lag.path("systemId").asText()).isEqualTo("6e:0e:42:48:fb:13");
        assertThat(lag.path("partner").path("systemId").asText()).isEqualTo("ae:b0:f8:18:b9:43");
        assertThat(lag.path("distributing").asInt()).isEqualTo(1);
        JsonNode eth1 = lag.path("members").get(0);
        assertThat(eth1.path("status").asText()).isEqualTo("current distributing");
        assertThat(eth1.path("actor").path("flags").toString())
            .isEqualTo("[\"activity\",\"timeout\",\"aggregation\",\"synchronized\",\"collecting\",\"distributing\"]");
        assertThat(eth1.path("partner").path("port").asInt()).isEqualTo(1);
        assertThat(eth1.path("counters").path("txFrames").asLong()).isEqualTo(900);
        assertThat(eth1.path("counters").path("markersAnswered").asLong()).isEqualTo(3);
        JsonNode eth2 = lag.path("members").get(1);
        assertThat(eth2.path("status").asText()).isEqualTo("expired attached");
        assertThat(eth2.path("actor").path("flags").toString()).contains("expired").doesNotContain("distributing");
        assertThat(get("/api/v1/lacp/uplink1").json().path("members")).hasSize(2);
        Answer none = get("/api/v1/lacp/lag9");
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.error()).isEqualTo("no LAG 'lag9' (LAGs: uplink1)");
        JsonNode port = get("/api/v1/ports").json().get(0);
        assertThat(port.path("name").asText()).isEqualTo("uplink1");
        assertThat(port.path("lacp").path("members").get(1).path("receive").asText()).isEqualTo("expired");
        assertThat(get("/api/v1/ports/uplink1").json().path("lacp").path("key").asInt()).isEqualTo(2);
        assertThat(get("/api/v1/ports/vm1").json().has("lacp")).isFalse();
    }

    @Test
    void bgp_neighbors_are_listed_as_the_speaker_sees_them() throws Exception {
        sw.evpn = true;
        Answer a = get("/api/v1/bgp/neighbors");
        assertThat(a.status()).isEqualTo(200);
        JsonNode up = a.json().get(0);
        assertThat(up.path("address").asText()).isEqualTo("192.0.2.11");
        assertThat(up.path("asn").asLong()).isEqualTo(65000);
        assertThat(up.path("state").asText()).isEqualTo("Established");
        assertThat(up.path("uptimeSeconds").asLong()).isEqualTo(3723);
        assertThat(up.path("routesReceived").asInt()).isEqualTo(3);
        assertThat(up.path("messagesIn").asLong()).isEqualTo(42);
        assertThat(up.path("updatesOut").asLong()).isEqualTo(3);
        assertThat(a.json().get(1).path("lastError").asText()).isEqualTo("connect failed: Connection refused");
        assertThat(sw.evpnAskedOn).as("asked on the HTTP thread, never on the switch loop")
            .isNotEmpty().doesNotContain("test-switch-loop");
    }

    @Test
    void evpn_routes_are_sorted_by_vni_and_rd_and_filtered_by_vni_and_type() throws Exception {
        sw.evpn = true;
        JsonNode all = get("/api/v1/evpn/routes").json();
        assertThat(all.findValuesAsText("prefix")).containsExactly("[3]:[0]:[32]:[192.0.2.1]",
            "[2]:[0]:[48]:[00:50:56:00:00:01]", "[3]:[0]:[32]:[192.0.2.2]",
            "[2]:[0]:[48]:[52:54:00:00:00:07]:[32]:[10.0.0.7]", "[3]:[0]:[32]:[192.0.2.2]");
        JsonNode moved = all.get(3);
        assertThat(moved.path("rd").asText()).isEqualTo("192.0.2.2:119");
        assertThat(moved.path("nextHop").asText()).isEqualTo("192.0.2.2");
        assertThat(moved.path("source").asText()).isEqualTo("192.0.2.11");
        assertThat(moved.path("sequence").asLong()).isEqualTo(1);
        assertThat(all.get(0).path("communities").toString()).isEqualTo("[\"RT:65000:119\",\"ET:8\"]");

        assertThat(get("/api/v1/evpn/routes?vni=120").json().findValuesAsText("rd")).containsExactly("192.0.2.2:120");
        assertThat(get("/api/v1/evpn/routes?vni=119&type=2").json().findValuesAsText("source"))
            .containsExactly("local", "192.0.2.11");
        assertThat(get("/api/v1/evpn/routes?type=3").json()).hasSize(3);
        assertThat(get("/api/v1/evpn/routes?vni=4096").json()).isEmpty();
    }

    @Test
    void evpn_query_values_out_of_range_are_refused_with_what_is_accepted() throws Exception {
        sw.evpn = true;
        Answer type = get("/api/v1/evpn/routes?type=5");
        assertThat(type.status()).isEqualTo(400);
        assertThat(type.error()).isEqualTo("type must be 2 (MAC/IP advertisement: the MACs behind each VTEP) or 3"
            + " (inclusive multicast: the VTEPs of each VNI), got '5'");
        Answer vni = get("/api/v1/evpn/routes?vni=abc");
        assertThat(vni.status()).isEqualTo(400);
        assertThat(vni.error()).isEqualTo("vni must be a number 1-16777215, got 'abc'");
        assertThat(get("/api/v1/evpn/routes?vni=16777216").status()).isEqualTo(400);
    }

    @Test
    void without_evpn_the_control_plane_routes_say_how_to_configure_it() throws Exception {
        for (String path : List.of("/api/v1/bgp/neighbors", "/api/v1/evpn/routes", "/api/v1/evpn/routes?type=9")) {
            Answer a = get(path);
            assertThat(a.status()).as(path).isEqualTo(404);
            assertThat(a.error()).as(path).isEqualTo("EVPN is not configured: add an evpn section and"
                + " controlPlane: evpn on a tunnel (docs/evpn.md)");
        }
        assertThat(request("GET", "/api/v1/bgp/neighbors", null, null).status()).isEqualTo(401);
    }

    @Test
    void metrics_show_bgp_sessions_and_evpn_routes_only_with_evpn() throws Exception {
        assertThat(metrics()).doesNotContain("vxswitch_bgp").doesNotContain("vxswitch_evpn");
        sw.evpn = true;
        assertThat(metrics())
            .contains("# TYPE vxswitch_bgp_session_established gauge")
            .contains("vxswitch_bgp_session_established{neighbor=\"192.0.2.11\"} 1.0")
            .contains("vxswitch_bgp_session_established{neighbor=\"192.0.2.12\"} 0.0")
            .contains("# TYPE vxswitch_bgp_messages_total counter")
            .contains("vxswitch_bgp_messages_total{direction=\"in\",neighbor=\"192.0.2.11\"} 42.0")
            .contains("vxswitch_bgp_messages_total{direction=\"out\",neighbor=\"192.0.2.11\"} 40.0")
            .contains("vxswitch_bgp_updates_total{direction=\"in\",neighbor=\"192.0.2.11\"} 5.0")
            .contains("vxswitch_bgp_updates_total{direction=\"out\",neighbor=\"192.0.2.11\"} 3.0")
            .contains("vxswitch_bgp_routes_received{neighbor=\"192.0.2.11\"} 3.0")
            .contains("vxswitch_bgp_established_transitions_total{neighbor=\"192.0.2.12\"} 0.0")
            .contains("vxswitch_evpn_routes{source=\"local\",type=\"2\"} 1.0")
            .contains("vxswitch_evpn_routes{source=\"remote\",type=\"2\"} 1.0")
            .contains("vxswitch_evpn_routes{source=\"local\",type=\"3\"} 1.0")
            .contains("vxswitch_evpn_routes{source=\"remote\",type=\"3\"} 2.0")
            .as("the switch's series are still there")
            .contains("vxswitch_port_up{port=\"nested\"} 1.0");
        assertThat(sw.evpnAskedOn).doesNotContain("test-switch-loop");
    }

    @Test
    void the_web_views_snapshot_carries_the_control_plane_only_with_evpn() throws Exception {
        assertThat(firstSnapshot().path("evpn").isNull()).isTrue();
        sw.evpn = true;
        JsonNode evpn = firstSnapshot().path("evpn");
        assertThat(evpn.path("neighbors").findValuesAsText("state")).containsExactly("Established", "Active");
        assertThat(evpn.path("routes")).hasSize(5);
        assertThat(evpn.path("error").isNull()).isTrue();
    }

    /** The first push of the web view's event stream, sent as soon as a page connects. */
    private JsonNode firstSnapshot() throws Exception {
        HttpResponse<java.util.stream.Stream<String>> r = http.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + api.port() + "/api/v1/events")).header("Authorization", "Bearer " + token)
            .header("Accept", "text/event-stream") // as an EventSource asks; without it Javalin ends the stream
            .timeout(java.time.Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofLines());
        try (java.util.stream.Stream<String> lines = r.body()) {
            String data = lines.filter(l -> l.startsWith("data:")).findFirst()
                .orElseThrow(() -> new AssertionError("no snapshot in the event stream (HTTP " + r.statusCode() + ")"));
            return JSON.readTree(data.substring("data:".length()));
        }
    }

    @Test
    void ipfix_shows_off_without_a_block_and_else_the_collectors_counts_and_each_ports_interface_index()
            throws Exception {
        assertThat(get("/api/v1/ipfix").json().path("enabled").asBoolean()).isFalse();
        assertThat(firstSnapshot().path("ipfix").isNull()).as("no line in the web view").isTrue();
        assertThat(metrics()).doesNotContain("vxswitch_ipfix_cache_flows");
        io.vxswitch.ipfix.IpfixOptions o = new io.vxswitch.ipfix.IpfixOptions(
            List.of(new java.net.InetSocketAddress("192.0.2.2", 4739), new java.net.InetSocketAddress("2001:db8::2", 4739)),
            7, 10, 60_000_000_000L, 15_000_000_000L, 4096, 600_000_000_000L);
        sw.ipfix = new io.vxswitch.ipfix.IpfixStatus(o, 1000, 3, 40, 12, 2, 28, 5, 1, 0);
        JsonNode x = get("/api/v1/ipfix").json();
        assertThat(x.path("enabled").asBoolean()).isTrue();
        assertThat(x.path("collectors").toString()).isEqualTo("[\"192.0.2.2:4739\",\"[2001:db8:0:0:0:0:0:2]:4739\"]");
        assertThat(x.path("sampling").asInt()).isEqualTo(10);
        assertThat(x.path("idleTimeoutSeconds").asLong()).isEqualTo(15);
        assertThat(x.path("cachedFlows").asInt()).isEqualTo(12);
        assertThat(x.path("ringFullDrops").asLong()).isEqualTo(3);
        assertThat(x.path("records").asLong()).isEqualTo(28);
        assertThat(x.path("interfaces").get(0).toString()).isEqualTo("{\"port\":\"uplink1\",\"index\":1}");
        assertThat(x.path("interfaces").get(1).toString()).isEqualTo("{\"port\":\"vm1\",\"index\":2}");
        assertThat(metrics()).contains("vxswitch_ipfix_cache_flows 12.0");
        assertThat(firstSnapshot().path("ipfix").asText()).isEqualTo("IPFIX to 192.0.2.2:4739, [2001:db8:0:0:0:0:0:2]:4739:"
            + " 28 records, 12 flows cached, 3 observations dropped");
    }

    private String metrics() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/metrics"))
            .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static List<String> names(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.path("name").asText()));
        return out;
    }
}
