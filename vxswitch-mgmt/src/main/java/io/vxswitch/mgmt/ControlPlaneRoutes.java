package io.vxswitch.mgmt;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.vxswitch.evpn.RouteView;
import io.vxswitch.forwarding.lacp.LagStatus;
import io.vxswitch.mgmt.view.LacpView;

import java.util.Comparator;
import java.util.List;

/**
 * The {@code /api/v1} routes of the control planes: BGP-EVPN's neighbors ({@code show bgp summary}) and the EVPN
 * routes in use ({@code show bgp l2vpn evpn}), and LACP's LAGs ({@code ovs-appctl lacp/show}). They ask the BGP speaker, on its own thread, not the switch loop: a
 * busy speaker never holds up forwarding, and a busy switch never holds up this answer.
 */
final class ControlPlaneRoutes {
    static final String NOT_CONFIGURED = "EVPN is not configured: add an evpn section and controlPlane: evpn on a"
        + " tunnel (docs/evpn.md)";
    static final int MAX_VNI = 16_777_215;

    /** Routes as an operator looks for them: per VNI, then per RD, type-3 (the VTEPs) before type-2 (the MACs). */
    private static final Comparator<RouteView> ORDER = Comparator.comparingInt(RouteView::vni)
        .thenComparing(RouteView::rd).thenComparing(RouteView::type, Comparator.reverseOrder())
        .thenComparing(RouteView::prefix).thenComparing(RouteView::source);

    private final ManagedSwitch sw;

    ControlPlaneRoutes(ManagedSwitch sw) {
        this.sw = sw;
    }

    void register(RoutesConfig r) {
        r.get(SwitchRoutes.BASE + "/bgp/neighbors", ctx -> ctx.json(requireEvpn().bgpNeighbors()));
        r.get(SwitchRoutes.BASE + "/evpn/routes", this::routes);
        r.get(SwitchRoutes.BASE + "/lacp", ctx -> ctx.json(LacpView.of(sw.lags())));
        r.get(SwitchRoutes.BASE + "/lacp/{name}", this::lag);
    }

    /** One LAG, or a 404 that lists them. */
    private void lag(Context ctx) {
        String name = ctx.pathParam("name");
        List<LagStatus> lags = sw.lags();
        ctx.json(LacpView.of(lags.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow(
            () -> ApiException.notFound("no LAG '" + name + "' (" + (lags.isEmpty() ? "this switch has none: a LAG"
                + " is a port of type lag in the config file" : "LAGs: " + String.join(", ",
                lags.stream().map(LagStatus::name).toList())) + ")"))));
    }

    /** {@code ?vni=N&type=2|3}: the routes of one VNI, of one type, or all of them. */
    private void routes(Context ctx) {
        ManagedSwitch evpn = requireEvpn(); // first: without EVPN, what to configure matters more than a bad value
        Integer vni = ctx.queryParam("vni") == null ? null : SwitchRoutes.intParam(ctx, "vni", 1, MAX_VNI, 0);
        Integer type = type(ctx.queryParam("type"));
        ctx.json(routes(evpn.evpnRoutes(), vni, type));
    }

    static List<RouteView> routes(List<RouteView> all, Integer vni, Integer type) {
        return all.stream().filter(r -> (vni == null || r.vni() == vni) && (type == null || r.type() == type))
            .sorted(ORDER).toList();
    }

    private static Integer type(String text) {
        if (text == null) {
            return null;
        }
        return switch (text.trim()) {
            case "2" -> 2;
            case "3" -> 3;
            default -> throw ApiException.badRequest("type must be 2 (MAC/IP advertisement: the MACs behind each"
                + " VTEP) or 3 (inclusive multicast: the VTEPs of each VNI), got '" + text + "'");
        };
    }

    private ManagedSwitch requireEvpn() {
        if (!sw.evpnEnabled()) {
            throw ApiException.notFound(NOT_CONFIGURED);
        }
        return sw;
    }
}
