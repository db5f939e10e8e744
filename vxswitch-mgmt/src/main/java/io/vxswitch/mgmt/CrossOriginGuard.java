package io.vxswitch.mgmt;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * Keeps pages of other origins away from the API. The browser already stops them reading an answer (the API sends no
 * CORS headers), but not sending a request: a page on another port of the same host is the same site, so the web
 * view's {@code SameSite=Strict} cookie goes with its requests, and a "simple" cross-origin POST (a form, a
 * {@code no-cors} fetch) would flush the MAC table. So every request a browser marks as coming from another origin is
 * refused before it reaches a route:
 * <ul>
 * <li>an {@code Origin} header other than this server's own ({@code http://} + the {@code Host} it was asked as);</li>
 * <li>{@code Sec-Fetch-Site} {@code same-site} or {@code cross-site} (Fetch Metadata), but for a top-level navigation
 *     to the page itself ({@code GET /}): following a link to the web view is fine, the page it loads asks for data
 *     from its own origin;</li>
 * <li>and a change ({@code POST}, {@code PUT}, {@code DELETE}) authenticated by the cookie must prove it comes from
 *     the web view itself: its {@code Origin} or {@code Sec-Fetch-Site: same-origin} (every current browser sends
 *     both). Clients that send the token in an {@code Authorization} header (the CLI, Prometheus, scripts) send
 *     neither and need neither: a page cannot set that header on a cross-origin request without a CORS preflight,
 *     which this server never grants.</li>
 * </ul>
 * Each refusal is a 403 that says which origin was refused and what is allowed.
 */
final class CrossOriginGuard {
    private CrossOriginGuard() {
    }

    /** Before every route. */
    static void check(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin(ctx))) {
            throw refused("a page from " + origin);
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none") && !pageNavigation(ctx)) {
            throw refused("a page of another origin (Sec-Fetch-Site: " + site + ")");
        }
    }

    /** For a request that authenticated with the web view's cookie rather than the header. */
    static void checkCookieRequest(Context ctx) {
        HandlerType m = ctx.method();
        if (m == HandlerType.GET || m == HandlerType.HEAD) {
            return; // reads: the browser keeps the answer from other origins, and check() refused those it marked
        }
        boolean sameOrigin = ctx.header("Origin") != null || "same-origin".equals(ctx.header("Sec-Fetch-Site"));
        if (!sameOrigin) { // check() has already compared an Origin that is there
            throw new ApiException(403, "a change with the web view's cookie must come from the web view itself "
                + "(Origin or Sec-Fetch-Site: same-origin); other clients send 'Authorization: Bearer TOKEN'");
        }
    }

    private static boolean pageNavigation(Context ctx) {
        return ctx.method() == HandlerType.GET && ctx.path().equals("/")
            && "navigate".equals(ctx.header("Sec-Fetch-Mode"));
    }

    private static String ownOrigin(Context ctx) {
        return "http://" + ctx.host();
    }

    private static ApiException refused(String who) {
        return new ApiException(403, "cross-origin request refused: " + who + " may not use this switch's API; "
            + "only the switch's own web view and clients that send 'Authorization: Bearer TOKEN' may");
    }
}
