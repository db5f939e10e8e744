package io.vxswitch.bgp.session;

import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;

/** What a session tells the layer above it (the EVPN RIB): the routes it hears and when they stop being valid. */
public interface SessionEvents {
    /** The session reached Established; the peer's OPEN says what it offered. */
    void established(BgpSession session, Open peer);

    void update(BgpSession session, Update update);

    /** The peer asks for our routes again (RFC 2918). */
    void routeRefresh(BgpSession session, RouteRefresh request);

    /** An Established session ended: every route the peer taught is now invalid (RFC 4271 §8.2.2, "deletes all routes"). */
    void down(BgpSession session, String reason);
}
