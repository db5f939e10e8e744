package io.vxswitch.mgmt;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.fuzz.FuzzInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management API's inputs over real HTTP: request bodies (JSON, and YAML for port groups), query parameters and
 * path names of every route that takes them, from any bytes, against a running {@link ApiServer}. Every answer is a
 * success or a 4xx with a JSON {@code {"error": "..."}} saying why; a 500 (an exception the API did not expect, which
 * it logs) is a finding.
 *
 * <p>Input: up to 8 requests, each a route byte, then either raw text or a JSON object built from the route's own
 * keys with values from the input (strings, numbers, null, nesting), so the fuzzer reaches past Jackson into the
 * route's checks. The switch behind the server is rebuilt for each input ({@link FuzzManagedSwitch}); the server and
 * its client ({@link LoopbackHttp}) are made once.
 */
class ApiRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUESTS = 8;
    private static final String[] TRACE_KEYS = {"port", "src", "dst", "vlan", "ethertype", "srcIp", "dstIp", "hex"};
    private static final String[] PEER_KEYS = {"vni", "remote"};
    private static final String[] STATIC_KEYS = {"vlan", "mac", "port"};
    private static final String[] GROUP_KEYS = {"name", "vlan", "security", "macLearning"};
    private static final String[] WORDS = {"vm1", "vm2", "nested", "uplink1", "vx119", "vlan119", "nested",
        "00:50:56:00:00:01", "02:00:00:00:00:09", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "192.0.2.3", "2001:db8::3",
        "224.0.0.1", "0.0.0.0", "arp", "ipv4", "0x88cc", "0x8100", "119", "4094", "4095", "-1", "0",
        "ffffffffffff005056000001080600010800060400010050560000010a0000010000000000000a000002", "accept", "trunk"};

    private static Server server;

    /** One server for the JVM: starting Jetty per input would be most of the work. */
    private record Server(ApiServer api, FuzzManagedSwitch sw, String token, LoopbackHttp http, List<String> log,
                          Path dir) {
    }

    private static synchronized Server server() throws IOException {
        if (server == null) {
            Path dir = Files.createTempDirectory("vxswitch-api-fuzz");
            FuzzManagedSwitch sw = new FuzzManagedSwitch();
            List<String> log = new CopyOnWriteArrayList<>();
            ApiServer api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), sw,
                log::add);
            server = new Server(api, sw, Files.readString(dir.resolve("api.token")).trim(),
                new LoopbackHttp(api.port()), log, dir);
        }
        return server;
    }

    @AfterAll
    static synchronized void stop() {
        if (server != null) {
            server.http().close();
            server.api().close(); // removes its token file
            try {
                Files.deleteIfExists(server.dir()); // one left in /tmp per run before
            } catch (IOException e) {
                // not empty: something else wrote there, leave it to be looked at
            }
            server = null;
        }
    }

    @Test
    void committed_corpus_replays_clean() {
        Corpus.replay(getClass(), this::every_request_is_answered_or_refused_with_a_4xx_saying_why);
    }

    @FuzzTest
    @DictionaryEntries({"\"port\"", "\"src\"", "\"dst\"", "\"vlan\"", "\"ethertype\"", "\"hex\"", "\"vni\"",
        "\"remote\"", "\"mac\"", "\"name\"", "vlan=", "mac=", "port=", "vni=", "remote=", "type="})
    void every_request_is_answered_or_refused_with_a_4xx_saying_why(byte[] bytes) {
        FuzzInput in = new FuzzInput(bytes);
        // the request goes to our own server on loopback, at a port no input chooses: not the SSRF Jazzer looks for
        try (SilentCloseable loopback = BugDetectors.allowNetworkConnections((host, port) ->
                host.equals("127.0.0.1") || host.equals("localhost"))) {
            Server s = server();
            s.sw().reset(in.consumeBoolean());
            s.log().clear();
            for (int i = 0; i < MAX_REQUESTS && in.remaining() > 0; i++) {
                send(s, in);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the API server did not answer: " + e, e);
        }
    }

    private static void send(Server s, FuzzInput in) throws IOException {
        int route = in.consumeByte() % 10;
        String method;
        String path;
        String body = null;
        switch (route) {
            case 0 -> { method = "POST"; path = "/trace"; body = body(in, TRACE_KEYS); }
            case 1 -> { method = "POST"; path = "/tunnels/" + segment(in) + "/flood-list"; body = body(in, PEER_KEYS); }
            case 2 -> { method = "DELETE"; path = "/tunnels/vx119/flood-list?" + query(in, "vni", "remote"); }
            case 3 -> { method = "POST"; path = "/fdb/static"; body = body(in, STATIC_KEYS); }
            case 4 -> { method = "DELETE"; path = "/fdb/static?" + query(in, "vlan", "mac"); }
            case 5 -> { method = "PUT"; path = "/port-groups/" + segment(in); body = body(in, GROUP_KEYS); }
            case 6 -> { method = "GET"; path = "/fdb?" + query(in, "vlan", "port", "mac"); }
            case 7 -> { method = "POST"; path = "/fdb/flush?" + query(in, "vlan", "port", "mac"); }
            case 8 -> { method = "GET"; path = "/ports/" + segment(in); }
            default -> { method = "GET"; path = "/evpn/routes?" + query(in, "vni", "type"); }
        }
        String what = method + " " + path + (body == null ? "" : " " + body);
        LoopbackHttp.Answer r;
        try {
            r = s.http().send(method, "/api/v1" + path, "Bearer " + s.token(), body);
        } catch (IOException e) {
            throw new IOException(what + ": " + e, e);
        }
        assertThat(s.log()).as("the API logged an unexpected failure of %s", what).isEmpty();
        assertThat(r.status()).as("%s answered %s", what, r.body()).isBetween(200, 499);
        if (r.status() == 400 && r.body().contains("<tr><th>URI:</th><td>/badMessage</td></tr>")) {
            return; // Jetty refused the HTTP itself (a NUL or a bad escape in the path), before any route: fair
        }
        if (r.status() >= 400) {
            JsonNode answer;
            try {
                answer = JSON.readTree(r.body());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new AssertionError(what + " refused with " + r.status() + " and a body that is not JSON: "
                    + r.body());
            }
            assertThat(answer.path("error").asText()).as("%s refused without saying why: %s", what, r.body())
                .isNotBlank();
        }
    }

    /** Raw text, or a JSON object of the route's keys with values from the input. */
    private static String body(FuzzInput in, String[] keys) throws IOException {
        if (in.consumeBoolean()) {
            return text(in);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (String key : keys) {
            if (in.consumeBoolean()) {
                object.put(key, value(in, 0));
            }
        }
        return JSON.writeValueAsString(object);
    }

    private static Object value(FuzzInput in, int depth) {
        return switch (in.consumeByte() % (depth < 2 ? 7 : 5)) {
            case 0 -> word(in);
            case 1 -> text(in);
            case 2 -> in.consumeInt();
            case 3 -> null;
            case 4 -> in.consumeBoolean();
            case 5 -> java.util.Collections.singletonMap(WORDS[in.consumeByte() % WORDS.length], value(in, depth + 1));
            default -> java.util.Collections.singletonList(value(in, depth + 1)); // null included: List.of refuses it
        };
    }

    private static String query(FuzzInput in, String... names) {
        StringBuilder q = new StringBuilder();
        for (String name : names) {
            if (in.consumeBoolean()) {
                Object v = in.consumeBoolean() ? word(in) : text(in);
                q.append(q.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private static String segment(FuzzInput in) {
        String name = in.consumeBoolean() ? word(in) : text(in);
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A value a route understands: a known name or address, or one of many distinct valid ones (MACs, IPv4 addresses,
     * VLANs), so that a few requests can fill a table.
     */
    private static String word(FuzzInput in) {
        int n = in.consumeByte();
        return switch (in.consumeByte() % 4) {
            case 0 -> String.format("02:00:00:00:%02x:%02x", n, in.consumeByte());
            case 1 -> "192.0.2." + n;
            case 2 -> Integer.toString(in.consumeInt(0, 4095));
            default -> WORDS[n % WORDS.length];
        };
    }

    /** A length-prefixed string of the input's bytes. */
    private static String text(FuzzInput in) {
        return new String(in.consumeBytes(in.consumeInt(0, 255)), StandardCharsets.UTF_8);
    }
}
