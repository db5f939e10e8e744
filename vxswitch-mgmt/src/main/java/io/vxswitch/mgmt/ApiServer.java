package io.vxswitch.mgmt;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The management API of a running switch, on Javalin (Jetty): JSON under {@code /api/v1}, every request checked
 * against the {@link ApiToken}. The routes are in {@link SwitchRoutes} (the switch) and {@link ControlPlaneRoutes}
 * (BGP-EVPN); this class owns the server, the token and how errors look ({@code {"error": "..."}} with the status
 * that fits).
 *
 * <p>What it refuses before any route runs, each with a 4xx and a sentence: a request from a page of another origin
 * ({@link CrossOriginGuard}), a missing or wrong token (401), a body over {@link #MAX_BODY} bytes (413). It never
 * sends CORS headers, and the token appears in no log line and no answer.
 */
public final class ApiServer implements AutoCloseable {
    /** The cookie the web view keeps the token in (EventSource and page loads cannot send a header). */
    public static final String TOKEN_COOKIE = "vxswitch_token";
    /**
     * The largest request body taken: a port entry, a port group or a trace is a few hundred bytes, and a trace's
     * largest frame in hex (9022 bytes, 18 KiB of digits) fits with room to spare.
     */
    public static final int MAX_BODY = 64 * 1024;

    private final Javalin app;
    private final Path tokenFile;
    private final WebView web;

    private ApiServer(Javalin app, Path tokenFile, WebView web) {
        this.app = app;
        this.tokenFile = tokenFile;
        this.web = web;
    }

    /**
     * Starts the API for {@code sw}; once it listens, the token is written to the options' token file (not before:
     * a second switch that cannot get the port must not replace the running one's token, or remove it).
     */
    public static ApiServer start(ApiOptions options, ManagedSwitch sw, Consumer<String> log) {
        ApiToken token = ApiToken.of(options.token());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        SwitchRoutes routes = new SwitchRoutes(sw, mapper);
        WebView web = new WebView(sw, new ObjectMapper(), log);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.http.maxRequestSize = MAX_BODY;
            config.routes.before(CrossOriginGuard::check);
            config.routes.before(ApiServer::limitBody);
            config.routes.after(ApiServer::securityHeaders);
            config.routes.before("/api/*", ctx -> authenticate(ctx, token, options.tokenFile()));
            config.routes.before("/metrics", ctx -> authenticate(ctx, token, options.tokenFile()));
            routes.register(config.routes);
            new ControlPlaneRoutes(sw).register(config.routes);
            web.register(config.routes, token, options.tokenFile());
            config.routes.get("/metrics", ctx -> ctx.contentType(Metrics.contentType())
                .result(Metrics.text(Metrics.scrape(sw))));
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                refusal(ctx, e)));
            config.routes.exception(IllegalArgumentException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                log.accept("API " + ctx.method() + " " + ctx.path() + " failed: " + e);
                error(ctx, 500, "internal error: " + e.getMessage() + " (the switch's log has the details)");
            });
        });
        try {
            app.start(options.host(), options.port());
        } catch (RuntimeException e) {
            web.close();
            throw new IllegalStateException("cannot start the management API on " + options.host() + ":"
                + options.port() + ": " + rootMessage(e) + " (another vxswitch running? set api.listen in the config to another address:port)",
                e);
        }
        try {
            token.writeTo(options.tokenFile());
        } catch (RuntimeException e) {
            web.close();
            app.stop();
            throw e;
        }
        String warning = ApiToken.directoryWarning(options.tokenFile());
        if (warning != null) {
            log.accept("warning: " + warning);
        }
        return new ApiServer(app, options.tokenFile(), web);
    }

    /**
     * Javalin checks a declared length only when a route reads the body; a chunked body has none. Both are refused
     * here, before a route runs: a declared length over the limit at once, a chunked one as it is read.
     */
    private static void limitBody(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > MAX_BODY) {
            throw tooLarge(declared + " bytes");
        }
        if (declared < 0 && "chunked".equalsIgnoreCase(ctx.header("Transfer-Encoding"))) {
            byte[] body;
            try {
                body = ctx.req().getInputStream().readNBytes(MAX_BODY + 1);
            } catch (java.io.IOException e) {
                throw new ApiException(400, "the request body could not be read: " + e.getMessage());
            }
            if (body.length > MAX_BODY) {
                throw tooLarge("more than " + MAX_BODY + " bytes");
            }
            ctx.attribute(CHUNKED_BODY, new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    private static ApiException tooLarge(String size) {
        return new ApiException(413, "the request body (" + size + ") is larger than the " + MAX_BODY / 1024
            + " KiB the API takes: a port, a port group or a trace needs far less");
    }

    /** Where {@link #limitBody} keeps a chunked body it has read (the stream is then used up): see {@link #body}. */
    private static final String CHUNKED_BODY = "vxswitch.body";

    /** The request body, whether it came with a length or chunked (read, within the limit, by {@link #limitBody}). */
    static String body(Context ctx) {
        String chunked = ctx.attribute(CHUNKED_BODY);
        return chunked != null ? chunked : ctx.body();
    }

    /** What a refusal Javalin makes itself (no such route, wrong method, ...) means, in the API's words. */
    private static String refusal(Context ctx, HttpResponseException e) {
        return switch (e.getStatus()) {
            case 404 -> "no route " + ctx.method() + " " + ctx.path() + " (docs/api.md lists the routes, under /api/v1)";
            case 405 -> ctx.method() + " is not a method of " + ctx.path() + " (docs/api.md lists the routes)";
            case 413 -> tooLarge("over the limit").getMessage();
            default -> e.getMessage() == null || e.getMessage().isEmpty() ? "refused (HTTP " + e.getStatus() + ")"
                : e.getMessage();
        };
    }

    /** Pages and answers stay in their own window: no framing by other sites, no content sniffing, no referrer. */
    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Content-Security-Policy", "frame-ancestors 'none'");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static void authenticate(Context ctx, ApiToken token, Path tokenFile) {
        String header = ctx.header("Authorization");
        String presented = header != null && header.startsWith("Bearer ") ? header.substring(7).trim()
            : ctx.cookie(TOKEN_COOKIE);
        if (!token.matches(presented)) {
            throw new ApiException(401, (presented == null ? "no API token" : "wrong API token")
                + ": send 'Authorization: Bearer TOKEN' with the token from " + tokenFile
                + " (readable by root only)");
        }
        if (header == null || !header.startsWith("Bearer ")) {
            CrossOriginGuard.checkCookieRequest(ctx);
        }
    }

    private static void error(Context ctx, int status, String message) {
        ctx.status(status).json(Map.of("error", message == null ? "error" : message));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** The port it listens on (the one the OS picked when the options said 0). */
    public int port() {
        return app.port();
    }

    /**
     * The running Jetty server, for tests only: the API fuzz target adds an in-memory connector to it, so that its
     * requests go through the same HTTP parser and handlers without a socket. Not a way to configure the API.
     */
    org.eclipse.jetty.server.Server jetty() {
        return app.jettyServer().server();
    }

    @Override
    public void close() {
        web.close();
        app.stop();
        deleteQuietly(tokenFile);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (java.io.IOException e) {
            // the token dies with the server anyway
        }
    }
}
