package io.vxswitch.mgmt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The API against misuse (issue 15, item 7): where the token lives and that it never leaks, requests too large,
 * requests from pages of other origins, and that every refusal is a 4xx with a sentence.
 */
class ApiMisuseTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> log = new CopyOnWriteArrayList<>();

    @TempDir
    Path dir;
    private TestSwitch sw;
    private ApiServer api;
    private Path tokenFile;
    private String token;
    private String self;

    @BeforeEach
    void start() throws IOException {
        sw = new TestSwitch();
        tokenFile = dir.resolve("run/api.token");
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, tokenFile), sw, log::add);
        token = Files.readString(tokenFile).trim();
        self = "http://127.0.0.1:" + api.port();
    }

    @AfterEach
    void stop() {
        api.close();
        sw.close();
    }

    record Answer(int status, JsonNode json, HttpResponse<String> response) {
        String error() {
            return json.path("error").asText();
        }
    }

    private Answer send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            json = JSON.getNodeFactory().textNode(r.body());
        }
        return new Answer(r.statusCode(), json, r);
    }

    private HttpRequest.Builder to(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(self + path)).method(method,
            body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        return b;
    }

    private Map<String, String> bearer() {
        return Map.of("Authorization", "Bearer " + token);
    }

    private Map<String, String> cookie(String... more) {
        Map<String, String> h = new java.util.HashMap<>(Map.of("Cookie", ApiServer.TOKEN_COOKIE + "=" + token));
        for (int i = 0; i + 1 < more.length; i += 2) {
            h.put(more[i], more[i + 1]);
        }
        return h;
    }

    @Test
    void the_token_is_a_0600_file_in_a_0700_folder() throws IOException {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile.getParent())))
            .isEqualTo("rwx------");
        assertThat(log).as("a folder of its own: nothing to warn about").isEmpty();
    }

    @Test
    void a_token_folder_others_can_open_is_said_at_start() throws IOException {
        Path open = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
        List<String> lines = new CopyOnWriteArrayList<>();
        ApiServer other = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, open.resolve("api.token")), sw,
            lines::add);
        try {
            assertThat(lines).containsExactly("warning: the API token is in " + open + ", which other users can open "
                + "(mode rwxr-xr-x); keep it in a folder only root can open: chmod 700 " + open + ", or leave "
                + "api.tokenFile at its default /run/vxswitch/api.token");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(open.resolve("api.token"))))
                .isEqualTo("rw-------");
        } finally {
            other.close();
        }
    }

    @Test
    void a_second_switch_that_cannot_listen_leaves_the_running_ones_token_alone() throws IOException {
        assertThatThrownBy(() -> ApiServer.start(new ApiOptions("127.0.0.1", api.port(), null, tokenFile), sw,
            line -> { })).hasMessageContaining("cannot start the management API on 127.0.0.1:" + api.port())
            .hasMessageContaining("set api.listen");
        assertThat(Files.readString(tokenFile).trim()).isEqualTo(token);
    }

    @Test
    void the_token_is_never_in_a_log_line_an_answer_or_a_printed_setting() throws Exception {
        send(to("GET", "/api/v1/fdb", null, Map.of("Authorization", "Bearer " + token + "x")));
        send(to("GET", "/?token=" + token, null, Map.of()));
        send(to("GET", "/?token=" + token + "x", null, Map.of()));
        Answer refused = send(to("POST", "/api/v1/fdb/flush", null, cookie("Origin", "http://evil.example")));
        send(to("POST", "/api/v1/trace", "{\"port\": \"vm1\", \"hex\": \"" + token + "\"}", bearer()));
        send(to("GET", "/api/v1/nope", null, bearer()));
        assertThat(refused.response().body()).doesNotContain(token);
        assertThat(log).noneMatch(l -> l.contains(token));
        ApiOptions configured = new ApiOptions("127.0.0.1", 7739, "a-secret-of-16-chars", tokenFile);
        assertThat(configured.toString()).doesNotContain("a-secret-of-16-chars").contains("token=(set)");
    }

    @Test
    void the_token_is_compared_whole_and_a_prefix_or_longer_string_is_wrong() {
        ApiToken t = ApiToken.of("0123456789abcdef");
        assertThat(t.matches("0123456789abcdef")).isTrue();
        assertThat(t.matches("0123456789abcde")).isFalse();
        assertThat(t.matches("0123456789abcdef0")).isFalse();
        assertThat(t.matches(null)).isFalse();
    }

    @Test
    void a_body_over_64_kib_is_refused_with_413_whether_its_length_is_declared_or_chunked() throws Exception {
        String big = "{\"name\": \"" + "x".repeat(ApiServer.MAX_BODY) + "\"}";
        Answer declared = send(to("POST", "/api/v1/ports", big, bearer()));
        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.error()).startsWith("the request body (" + big.length() + " bytes) is larger than the "
            + "64 KiB the API takes");
        // no Content-Length: the body comes chunked, as from a stream
        Answer chunked = send(HttpRequest.newBuilder(URI.create(self + "/api/v1/port-groups/vlan119"))
            .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes())))
            .header("Authorization", "Bearer " + token));
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.error()).contains("larger than the 64 KiB the API takes");
        Answer small = send(HttpRequest.newBuilder(URI.create(self + "/api/v1/tunnels/vx119/flood-list"))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(
                "{\"vni\": 119, \"remote\": \"192.0.2.9\"}".getBytes())))
            .header("Authorization", "Bearer " + token));
        assertThat(small.status()).as("a small chunked body is read as usual: " + small.json()).isEqualTo(201);
    }

    @Test
    void a_trace_frame_over_the_largest_frame_is_refused_with_400() throws Exception {
        Answer r = send(to("POST", "/api/v1/trace", "{\"port\": \"vm1\", \"hex\": \"" + "00".repeat(9023) + "\"}",
            bearer()));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.error()).isEqualTo("a frame in hex must be 14-9022 bytes, got 9023");
    }

    @Test
    void a_page_of_another_origin_can_neither_read_nor_change_anything() throws Exception {
        String evil = "http://127.0.0.1:" + (api.port() == 65535 ? 65534 : api.port() + 1); // same site, other port
        sw.send("nested", TestSwitch.NESTED_VM, TestSwitch.VM1); // a learned MAC a flush would remove
        for (String[] attempt : List.of(
            new String[] {"GET", "/api/v1/fdb", "Origin", evil},
            new String[] {"POST", "/api/v1/fdb/flush", "Origin", evil},
            new String[] {"POST", "/api/v1/fdb/flush", "Origin", "null"},
            new String[] {"POST", "/api/v1/fdb/flush", "Sec-Fetch-Site", "same-site"},
            new String[] {"GET", "/api/v1/fdb", "Sec-Fetch-Site", "cross-site"},
            new String[] {"GET", "/web/app.js", "Sec-Fetch-Site", "same-site"},
            new String[] {"POST", "/api/v1/fdb/flush", "X-Nothing", "no Origin, no Fetch Metadata"})) {
            Answer r = send(to(attempt[0], attempt[1], null, cookie(attempt[2], attempt[3])));
            assertThat(r.status()).as(String.join(" ", attempt)).isEqualTo(403);
            assertThat(r.error()).as(String.join(" ", attempt)).containsAnyOf("cross-origin request refused",
                "must come from the web view itself");
        }
        Answer origin = send(to("POST", "/api/v1/fdb/flush", null, cookie("Origin", evil)));
        assertThat(origin.error()).isEqualTo("cross-origin request refused: a page from " + evil + " may not use this "
            + "switch's API; only the switch's own web view and clients that send 'Authorization: Bearer TOKEN' may");
        int learned = sw.call(s -> s.fdb().size());
        assertThat(learned).as("nothing flushed").isEqualTo(1);

        assertThat(send(to("POST", "/api/v1/fdb/flush", null, cookie("Origin", self))).status())
            .as("the web view itself").isEqualTo(200);
        assertThat(send(to("POST", "/api/v1/fdb/flush", null, cookie("Sec-Fetch-Site", "same-origin"))).status())
            .isEqualTo(200);
        assertThat(send(to("GET", "/api/v1/fdb", null, cookie())).status()).as("a read with the cookie").isEqualTo(200);
        assertThat(send(to("POST", "/api/v1/fdb/flush", null, bearer())).status()).as("the CLI").isEqualTo(200);
        assertThat(send(to("GET", "/", null, cookie("Sec-Fetch-Site", "same-site", "Sec-Fetch-Mode", "navigate")))
            .status()).as("following a link to the web view").isEqualTo(200);
    }

    @Test
    void no_answer_grants_cross_origin_access_and_pages_cannot_be_framed() throws Exception {
        for (Answer r : List.of(send(to("GET", "/api/v1/fdb", null, bearer())),
            send(to("OPTIONS", "/api/v1/fdb/flush", null, Map.of("Origin", "http://127.0.0.1:1",
                "Access-Control-Request-Method", "POST"))),
            send(to("GET", "/", null, cookie())))) {
            assertThat(r.response().headers().map().keySet()).noneMatch(h -> h.toLowerCase().startsWith("access-control"));
            assertThat(r.response().headers().firstValue("X-Frame-Options")).hasValue("DENY");
            assertThat(r.response().headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        }
    }

    @Test
    void every_refusal_is_a_4xx_with_a_sentence() throws Exception {
        Answer noRoute = send(to("GET", "/api/v1/nope", null, bearer()));
        assertThat(noRoute.status()).isEqualTo(404);
        assertThat(noRoute.error()).isEqualTo("no route GET /api/v1/nope (docs/api.md lists the routes, under /api/v1)");
        Answer method = send(to("PATCH", "/api/v1/ports", null, bearer()));
        assertThat(method.status()).isBetween(400, 499);
        assertThat(method.error()).isNotBlank();
        Answer notJson = send(to("POST", "/api/v1/fdb/static", "{vlan: 119", bearer()));
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.error()).startsWith("request body: not valid JSON (line 1, column 2): Unexpected character ('v')");
        Answer unknownField = send(to("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": 119, \"peer\": \"x\"}",
            bearer()));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.error()).isEqualTo("request body: unknown field 'peer' (fields: remote, vni)");
        Answer wrongType = send(to("POST", "/api/v1/tunnels/vx119/flood-list", "{\"vni\": \"abc\", \"remote\": "
            + "\"192.0.2.9\"}", bearer()));
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(wrongType.error()).startsWith("request body: 'vni' must be a whole number");
        for (Answer a : List.of(noRoute, method, notJson, unknownField, wrongType)) {
            assertThat(a.error()).doesNotContain("java.").doesNotContain("io.vxswitch").doesNotContain("Exception");
        }
    }
}
