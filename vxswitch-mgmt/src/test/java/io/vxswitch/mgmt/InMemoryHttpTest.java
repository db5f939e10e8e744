package io.vxswitch.mgmt;

import io.vxswitch.fuzz.Corpus;
import io.vxswitch.fuzz.FuzzInput;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The API fuzz target sends its requests through Jetty's in-memory connector ({@link InMemoryHttp}) instead of a
 * socket ({@link LoopbackHttp}); this holds the two to the same answers, status and body, for the same request bytes
 * to the same server: every request of the committed corpus, and the refusals that depend on headers rather than on
 * the route (another origin, a token in a cookie, no token, a body over the limit, HTTP Jetty refuses itself).
 */
class InMemoryHttpTest {
    private Path dir;
    private FuzzManagedSwitch sw;
    private ApiServer api;
    private String token;
    private LoopbackHttp socket;
    private InMemoryHttp memory;

    @BeforeEach
    void start() throws IOException {
        dir = Files.createTempDirectory("vxswitch-api-inmemory");
        sw = new FuzzManagedSwitch();
        api = ApiServer.start(new ApiOptions("127.0.0.1", 0, null, dir.resolve("api.token")), sw, line -> { });
        token = Files.readString(dir.resolve("api.token")).trim();
        socket = new LoopbackHttp(api.port());
        memory = new InMemoryHttp(api);
    }

    @AfterEach
    void stop() throws IOException {
        socket.close();
        memory.close();
        api.close();
        Files.deleteIfExists(dir);
    }

    @Test
    void the_committed_corpus_answers_the_same_in_memory_as_over_a_socket() throws IOException {
        int requests = 0;
        for (Path file : Corpus.files(ApiRequestFuzzTest.class)) {
            byte[] input = Corpus.read(file);
            List<String> overSocket = answers(socket, input);
            List<String> inMemory = answers(memory, input);
            assertThat(inMemory).as("the answers to %s", file.getFileName()).isEqualTo(overSocket);
            requests += overSocket.size();
        }
        assertThat(requests).as("requests compared").isGreaterThan(500);
    }

    /** The target's requests of one input, each answer as "status body", on a switch rebuilt as the target does. */
    private List<String> answers(ApiClient client, byte[] input) throws IOException {
        FuzzInput in = new FuzzInput(input);
        sw.reset(in.consumeBoolean());
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 8 && in.remaining() > 0; i++) {
            ApiFuzzRequests.Request r = ApiFuzzRequests.next(in);
            HttpClientWire.Answer a = client.send(r.method(), "/api/v1" + r.path(), "Bearer " + token, r.body());
            out.add(r + " -> " + a.status() + " " + a.body());
        }
        return out;
    }

    @Test
    void a_request_from_a_page_of_another_origin_is_refused_the_same_way() throws IOException {
        String request = "POST /api/v1/fdb/flush HTTP/1.1\r\nHost: HOST\r\nOrigin: http://evil.example\r\n"
            + "Authorization: Bearer TOKEN\r\nContent-Length: 0\r\n\r\n";
        assertThat(same(request).status()).isEqualTo(403);
    }

    @Test
    void the_own_origin_is_let_through_the_same_way() throws IOException {
        String request = "POST /api/v1/fdb/flush HTTP/1.1\r\nHost: HOST\r\nOrigin: http://HOST\r\n"
            + "Authorization: Bearer TOKEN\r\nContent-Length: 0\r\n\r\n";
        assertThat(same(request).status()).isEqualTo(200);
    }

    @Test
    void a_token_in_a_cookie_without_an_origin_is_refused_the_same_way() throws IOException {
        String request = "POST /api/v1/fdb/flush HTTP/1.1\r\nHost: HOST\r\nCookie: " + ApiServer.TOKEN_COOKIE
            + "=TOKEN\r\nContent-Length: 0\r\n\r\n";
        assertThat(same(request).status()).isEqualTo(403);
    }

    @Test
    void no_token_is_refused_the_same_way() throws IOException {
        assertThat(same("GET /api/v1/fdb HTTP/1.1\r\nHost: HOST\r\n\r\n").status()).isEqualTo(401);
    }

    @Test
    void a_body_over_the_limit_is_refused_the_same_way() throws IOException {
        String body = "x".repeat(ApiServer.MAX_BODY + 1);
        String request = "POST /api/v1/trace HTTP/1.1\r\nHost: HOST\r\nAuthorization: Bearer TOKEN\r\n"
            + "Content-Length: " + body.length() + "\r\n\r\n" + body;
        assertThat(same(request).status()).isEqualTo(413);
    }

    @Test
    void a_chunked_body_is_read_the_same_way() throws IOException {
        String json = "{\"vlan\":119,\"mac\":\"02:00:00:00:00:07\",\"port\":\"vm1\"}";
        String request = "POST /api/v1/fdb/static HTTP/1.1\r\nHost: HOST\r\nAuthorization: Bearer TOKEN\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n" + Integer.toHexString(json.length()) + "\r\n" + json + "\r\n0\r\n\r\n";
        assertThat(same(request).status()).isBetween(200, 299);
    }

    @Test
    void http_jetty_refuses_itself_is_refused_the_same_way() throws IOException {
        HttpClientWire.Answer a = same("GET /api/v1/ports/%zz HTTP/1.1\r\nHost: HOST\r\nAuthorization: Bearer TOKEN\r\n\r\n");
        assertThat(a.status()).isEqualTo(400);
    }

    /**
     * Sends {@code request} (HOST and TOKEN filled in) over the socket and then in memory, each time to a switch
     * rebuilt as it was, and requires the same status and body; returns the answer.
     */
    private HttpClientWire.Answer same(String request) throws IOException {
        byte[] bytes = request.replace("HOST", socket.host()).replace("TOKEN", token)
            .getBytes(StandardCharsets.ISO_8859_1);
        sw.reset(false);
        HttpClientWire.Answer overSocket = socket.exchange(bytes);
        sw.reset(false);
        HttpClientWire.Answer inMemory = memory.exchange(bytes);
        assertThat(inMemory.status()).as("status in memory").isEqualTo(overSocket.status());
        assertThat(inMemory.body()).as("body in memory").isEqualTo(overSocket.body());
        return inMemory;
    }
}
