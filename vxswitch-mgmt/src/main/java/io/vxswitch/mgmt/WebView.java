package io.vxswitch.mgmt;

import io.vxswitch.ipfix.IpfixOptions;
import io.vxswitch.ipfix.IpfixStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.vxswitch.evpn.NeighborView;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.mgmt.view.FdbFilter;
import io.vxswitch.mgmt.view.LacpView;
import io.vxswitch.mgmt.view.Views;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The live web view: three static files from the jar (no front-end build), and a server-sent event stream that
 * pushes one snapshot of the switch (and of its BGP-EVPN control plane, when it has one) per second to every open
 * page. The browser authenticates with a cookie set
 * from {@code /?token=TOKEN}, since neither a page load nor an EventSource can send a header.
 */
final class WebView implements AutoCloseable {
    private static final Map<String, String> FILES = Map.of(
        "app.js", "text/javascript; charset=utf-8",
        "style.css", "text/css; charset=utf-8");
    static final long PERIOD_MILLIS = 1000;

    private final ManagedSwitch sw;
    private final ObjectMapper mapper;
    private final Consumer<String> log;
    private final List<SseClient> clients = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "vxswitch-web-snapshots");
        t.setDaemon(true);
        return t;
    });

    /**
     * What one push carries: everything the page shows of the switch, read in one visit to the switch loop, and
     * with EVPN its control plane ({@code evpn}, null without), asked of the BGP speaker afterwards; {@code ipfix} a
     * line on flow export (null without).
     */
    record Snapshot(long timeMillis, Views.SwitchView sw, List<Views.PortGroupView> portGroups,
                    List<Views.PortView> ports, List<Views.TunnelView> tunnels, List<Views.FdbEntryView> fdb,
                    List<Views.PortStatsView> stats, List<Views.MirrorView> mirrors, Evpn evpn, String ipfix,
                    List<LacpView.LagView> lags) {
        Snapshot with(Evpn e) {
            return new Snapshot(timeMillis, sw, portGroups, ports, tunnels, fdb, stats, mirrors, e, ipfix, lags);
        }

        /** With the LAGs' LACP state, asked of the LACP agent after the switch loop's visit. */
        Snapshot withLags(List<LacpView.LagView> l) {
            return new Snapshot(timeMillis, sw, portGroups, ports, tunnels, fdb, stats, mirrors, evpn, ipfix, l);
        }
    }

    /** Flow export in one line for the page's header, or null when it is off. */
    static String ipfixLine(IpfixStatus x) {
        if (x == null) {
            return null;
        }
        return "IPFIX to " + String.join(", ", x.options().collectors().stream().map(IpfixOptions::text).toList())
            + ": " + x.records() + " records, "
            + x.cached() + " flows cached" + (x.ringFull() > 0 ? ", " + x.ringFull() + " observations dropped" : "");
    }

    /** The BGP neighbors and the EVPN routes in use; {@code error}: why they are missing (no answer in time). */
    record Evpn(List<NeighborView> neighbors, List<RouteView> routes, String error) {
    }

    WebView(ManagedSwitch sw, ObjectMapper mapper, Consumer<String> log) {
        this.sw = sw;
        this.mapper = mapper;
        this.log = log;
        ticker.scheduleAtFixedRate(this::push, PERIOD_MILLIS, PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    void register(RoutesConfig r, ApiToken token, Path tokenFile) {
        r.get("/", ctx -> page(ctx, token, tokenFile));
        r.get("/web/{file}", ctx -> {
            requireCookie(ctx, token, tokenFile);
            String file = ctx.pathParam("file");
            String type = FILES.get(file);
            if (type == null) {
                throw ApiException.notFound("no file '" + file + "' in the web view");
            }
            ctx.contentType(type).result(resource(file));
        });
        r.sse(SwitchRoutes.BASE + "/events", client -> {
            client.keepAlive();
            clients.add(client);
            client.onClose(() -> clients.remove(client));
            send(client, snapshot());
        });
    }

    /** {@code /?token=T} sets the cookie and redirects to {@code /}, so the token leaves the address bar. */
    private void page(Context ctx, ApiToken token, Path tokenFile) {
        String presented = ctx.queryParam("token");
        if (presented != null) {
            if (!token.matches(presented)) {
                ctx.status(401).html(loginPage("That token is not this switch's token.", tokenFile));
                return;
            }
            ctx.header("Set-Cookie", ApiServer.TOKEN_COOKIE + "=" + presented
                + "; Path=/; HttpOnly; SameSite=Strict");
            ctx.redirect("/", HttpStatus.SEE_OTHER);
            return;
        }
        if (!token.matches(ctx.cookie(ApiServer.TOKEN_COOKIE))) {
            ctx.status(401).html(loginPage("This page needs the switch's API token.", tokenFile));
            return;
        }
        ctx.contentType("text/html; charset=utf-8").result(resource("index.html"));
    }

    private static void requireCookie(Context ctx, ApiToken token, Path tokenFile) {
        if (!token.matches(ctx.cookie(ApiServer.TOKEN_COOKIE))) {
            throw new ApiException(401, "open /?token=TOKEN first; the token is in " + tokenFile);
        }
    }

    private static String loginPage(String why, Path tokenFile) {
        return "<!doctype html><meta charset=utf-8><title>vxswitch</title><body style='font-family:sans-serif'>"
            + "<h1>vxswitch</h1><p>" + why + "</p><p>Open <code>/?token=TOKEN</code>, with the token from <code>"
            + tokenFile + "</code> (readable by root: <code>sudo cat " + tokenFile + "</code>).</p>";
    }

    private static InputStream resource(String name) {
        InputStream in = WebView.class.getResourceAsStream("web/" + name);
        if (in == null) {
            throw new IllegalStateException("web/" + name + " is missing from the jar");
        }
        return in;
    }

    private Snapshot snapshot() {
        List<TunnelInfo> tunnels = sw.tunnels();
        Snapshot snap = sw.call(s -> new Snapshot(System.currentTimeMillis(), Views.switchView(s, tunnels.size()),
            Views.portGroups(s), Views.ports(s), Views.tunnels(s, tunnels),
            Views.fdb(s, System.nanoTime(), FdbFilter.ALL), Views.stats(s), Views.mirrors(s), null,
            ipfixLine(sw.ipfix()), List.of()));
        snap = snap.withLags(LacpView.of(sw.lags()));
        return sw.evpnEnabled() ? snap.with(evpn()) : snap;
    }

    /** The control plane's part; a speaker that does not answer costs the page that part only. */
    private Evpn evpn() {
        try {
            return new Evpn(sw.bgpNeighbors(), sw.evpnRoutes(), null);
        } catch (RuntimeException e) {
            return new Evpn(List.of(), List.of(), "the BGP speaker did not answer: " + e.getMessage());
        }
    }

    private void push() {
        if (clients.isEmpty()) {
            return;
        }
        try {
            Snapshot snap = snapshot();
            for (SseClient c : clients) {
                send(c, snap);
            }
        } catch (RuntimeException e) {
            log.accept("web view: could not take a snapshot: " + e.getMessage());
        }
    }

    private void send(SseClient client, Snapshot snap) {
        if (client.terminated()) {
            clients.remove(client);
            return;
        }
        try {
            client.sendEvent("snapshot", mapper.writeValueAsString(snap));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            clients.remove(client); // the page went away mid-write
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        for (SseClient c : clients) {
            c.close();
        }
    }
}
