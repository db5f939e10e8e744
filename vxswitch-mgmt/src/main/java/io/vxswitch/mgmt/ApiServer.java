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
 */
public final class ApiServer implements AutoCloseable {
    /** The cookie the web view keeps the token in (EventSource and page loads cannot send a header). */
    public static final String TOKEN_COOKIE = "vxswitch_token";

    private final Javalin app;
    private final Path tokenFile;
    private final WebView web;

    private ApiServer(Javalin app, Path tokenFile, WebView web) {
        this.app = app;
        this.tokenFile = tokenFile;
        this.web = web;
    }

    /** Starts the API for {@code sw}; the token is written to the options' token file first. */
    public static ApiServer start(ApiOptions options, ManagedSwitch sw, Consumer<String> log) {
        ApiToken token = ApiToken.of(options.token());
        token.writeTo(options.tokenFile());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        SwitchRoutes routes = new SwitchRoutes(sw, mapper);
        WebView web = new WebView(sw, new ObjectMapper(), log);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(mapper, false));
            config.routes.before("/api/*", ctx -> authenticate(ctx, token, options.tokenFile()));
            config.routes.before("/metrics", ctx -> authenticate(ctx, token, options.tokenFile()));
            routes.register(config.routes);
            new ControlPlaneRoutes(sw).register(config.routes);
            web.register(config.routes, token, options.tokenFile());
            config.routes.get("/metrics", ctx -> ctx.contentType(Metrics.contentType())
                .result(Metrics.text(Metrics.scrape(sw))));
            config.routes.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
            // Javalin's own refusals of API requests (no such route, method not allowed) in the same form as ours, not
            // as plain text that a client reading JSON chokes on (found by ApiRequestFuzzTest: POST /tunnels//flood-list)
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                if (ctx.path().startsWith(SwitchRoutes.BASE)) {
                    error(ctx, e.getStatus(), e.getMessage() + (e.getStatus() == 404 ? " (docs/api.md lists the routes)"
                        : ""));
                } else {
                    ctx.status(e.getStatus()).result(e.getMessage());
                }
            });
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
            deleteQuietly(options.tokenFile());
            throw new IllegalStateException("cannot start the management API on " + options.host() + ":"
                + options.port() + ": " + rootMessage(e) + " (another vxswitch running? set api.port in the config)",
                e);
        }
        return new ApiServer(app, options.tokenFile(), web);
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
