package io.vxswitch.mgmt;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.fuzz.Corpus;
import io.vxswitch.fuzz.FuzzInput;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management API's inputs over HTTP: request bodies (JSON, and YAML for port groups), query parameters and path
 * names of every route that takes them, from any bytes, against a running {@link ApiServer}. Every answer is a success
 * or a 4xx with a JSON {@code {"error": "..."}} saying why; a 500 (an exception the API did not expect, which it logs)
 * is a finding.
 *
 * <p>Input: up to 8 requests ({@link ApiFuzzRequests}). The switch behind the server is rebuilt for each input
 * ({@link FuzzManagedSwitch}); the server and its client are made once. The requests are HTTP/1.1 bytes through
 * Jetty's in-memory connector ({@link InMemoryHttp}): Jetty's HTTP parser, Javalin's routing, the API's handlers and
 * error mapping, without the socket and the thread hand-offs that made the loopback version (~600 inputs a second)
 * too slow for 10^7 executions in a session. {@code InMemoryHttpTest} holds the two ways to the same answers.
 */
class ApiRequestFuzzTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_REQUESTS = 8;

    private static Server server;

    /** One server for the JVM: starting Jetty per input would be most of the work. */
    private record Server(ApiServer api, FuzzManagedSwitch sw, String token, ApiClient http, List<String> log,
                          Path dir) {
    }

    private static synchronized Server server() throws IOException {
        if (server == null) {
            Path dir = Files.createTempDirectory("vxswitch-api-fuzz");
            FuzzManagedSwitch sw = new FuzzManagedSwitch();
            List<String> log = new CopyOnWriteArrayList<>();
            ApiServer api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), sw,
                log::add);
            server = new Server(api, sw, Files.readString(dir.resolve("api.token")).trim(), new InMemoryHttp(api),
                log, dir);
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
        try {
            Server s = server();
            s.sw().reset(in.consumeBoolean());
            s.log().clear();
            for (int i = 0; i < MAX_REQUESTS && in.remaining() > 0; i++) {
                send(s, ApiFuzzRequests.next(in));
            }
        } catch (IOException e) {
            throw new IllegalStateException("the API server did not answer: " + e, e);
        }
    }

    private static void send(Server s, ApiFuzzRequests.Request request) throws IOException {
        HttpClientWire.Answer r;
        try {
            r = s.http().send(request.method(), "/api/v1" + request.path(), "Bearer " + s.token(), request.body());
        } catch (IOException e) {
            throw new IOException(request + ": " + e, e);
        }
        assertThat(s.log()).as("the API logged an unexpected failure of %s", request).isEmpty();
        assertThat(r.status()).as("%s answered %s", request, r.body()).isBetween(200, 499);
        if (r.status() == 400 && r.body().contains("<tr><th>URI:</th><td>/badMessage</td></tr>")) {
            return; // Jetty refused the HTTP itself (a NUL or a bad escape in the path), before any route: fair
        }
        if (r.status() >= 400) {
            JsonNode answer;
            try {
                answer = JSON.readTree(r.body());
            } catch (com.fasterxml.jackson.core.JacksonException e) {
                throw new AssertionError(request + " refused with " + r.status() + " and a body that is not JSON: "
                    + r.body());
            }
            assertThat(answer.path("error").asText()).as("%s refused without saying why: %s", request, r.body())
                .isNotBlank();
        }
    }
}
