package io.vxswitch.app.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.app.cli.UserException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The {@code vxswitch} subcommands' side of the management API: finds the switch (URL) and the token (file), makes
 * one request, and turns every way it can fail into a sentence that says what to do.
 */
public final class ApiClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final String token;
    private final Path tokenFile;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ApiClient(URI base, String token, Path tokenFile) {
        this.base = base;
        this.token = token;
        this.tokenFile = tokenFile;
    }

    /**
     * @param url       the switch's API, e.g. {@code http://127.0.0.1:7739}
     * @param token     the token itself (from {@code VXSWITCH_TOKEN}), or null to read {@code tokenFile}
     * @param tokenFile where the daemon wrote its token
     */
    public static ApiClient connect(String url, String token, Path tokenFile) {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
            if (!"http".equals(base.getScheme()) || base.getHost() == null) {
                throw new IllegalArgumentException("not an http:// URL");
            }
        } catch (IllegalArgumentException e) { // URI's own messages ("Expected closing bracket ...") say too little
            throw new UserException("--api " + url + ": not an http:// URL (like http://127.0.0.1:7739)");
        }
        return new ApiClient(base, token != null ? token.trim() : readToken(tokenFile), tokenFile);
    }

    private static String readToken(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (NoSuchFileException e) {
            throw new UserException("no API token at " + file + ": is 'vxswitch run' running? (it writes the token"
                + " there at start; give another file with --token-file, or the token in VXSWITCH_TOKEN)");
        } catch (AccessDeniedException e) {
            throw new UserException("cannot read the API token " + file + ": it is readable by root only (run as"
                + " root, or set VXSWITCH_TOKEN)");
        } catch (IOException e) {
            throw new UserException("cannot read the API token " + file + ": " + e.getMessage());
        }
    }

    public JsonNode get(String path, Map<String, String> query) {
        return send("GET", path + queryString(query), null);
    }

    public JsonNode post(String path, Map<String, String> query, Object body) {
        return send("POST", path + queryString(query), body);
    }

    public JsonNode delete(String path, Map<String, String> query) {
        return send("DELETE", path + queryString(query), null);
    }

    /**
     * GETs {@code path} and copies the response body to {@code out} as it arrives (a capture stream); returns the
     * bytes copied. Errors as for the other calls.
     */
    public long download(String path, Map<String, String> query, java.io.OutputStream out) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path + queryString(query)))
            .header("Authorization", "Bearer " + token).GET().build();
        HttpResponse<java.io.InputStream> response = exchange(request, HttpResponse.BodyHandlers.ofInputStream());
        try (java.io.InputStream in = response.body()) {
            if (response.statusCode() >= 400) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                throw failure(response.statusCode(), parse(body), body);
            }
            byte[] buf = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
                out.flush();
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new UserException("the capture stream from " + base + " broke off: " + e.getMessage());
        }
    }

    /** Query parameters in order, skipping nulls. */
    public static Map<String, String> params(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }

    private static String queryString(Map<String, String> query) {
        if (query == null || query.isEmpty()) {
            return "";
        }
        StringJoiner j = new StringJoiner("&", "?", "");
        query.forEach((k, v) -> j.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return j.toString();
    }

    private JsonNode send(String method, String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/api/v1" + path)).timeout(TIMEOUT)
            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
            .method(method, publisher).build();
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        JsonNode json = parse(response.body());
        if (response.statusCode() >= 400) {
            throw failure(response.statusCode(), json, response.body());
        }
        return json;
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new UserException("no vxswitch answers at " + base + ": start one with 'vxswitch run --config FILE',"
                + " and run this command in the network namespace it runs in (ip netns exec NS vxswitch ...)");
        } catch (HttpTimeoutException e) {
            throw new UserException("the switch at " + base + " did not answer within " + TIMEOUT.toSeconds() + " s");
        } catch (IOException e) {
            throw new UserException("cannot talk to the switch at " + base + ": "
                + (e.getMessage() != null ? e.getMessage() : "the connection broke off")
                + " (is --api a vxswitch's API, and is that switch still running?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
    }

    private UserException failure(int status, JsonNode json, String body) {
        if (json == null || !json.has("error")) { // not vxswitch's {"error": ...}: something else answered
            return new UserException("the server at " + base + " answered HTTP " + status + " without a vxswitch error"
                + " (" + describe(body) + "): is --api the address of a vxswitch's API (default http://127.0.0.1:7739)?");
        }
        String message = json.get("error").asText() + " [HTTP " + status + "]";
        if (status == 401) {
            return new UserException("the switch at " + base + " refused the token"
                + (tokenFile != null ? " from " + tokenFile : "") + ": " + message
                + " (a switch restarted since? it writes a new token each start)");
        }
        return new UserException(message);
    }

    /** What a non-vxswitch answer looked like, in a few words, for the error line. */
    private static String describe(String body) {
        String b = body.strip();
        if (b.isEmpty()) {
            return "an empty body";
        }
        if (b.startsWith("<")) {
            return "an HTML page";
        }
        String line = b.lines().findFirst().orElse("");
        return "'" + (line.length() > 60 ? line.substring(0, 60) + "..." : line) + "'";
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body.isEmpty() ? "null" : body);
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(body);
        }
    }

    /** Pretty JSON, for {@code --json}. */
    public static String pretty(JsonNode json) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
