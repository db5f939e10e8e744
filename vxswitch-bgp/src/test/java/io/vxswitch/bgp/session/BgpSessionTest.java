package io.vxswitch.bgp.session;

import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.BgpMessage;
import io.vxswitch.bgp.message.Capability;
import io.vxswitch.bgp.message.Keepalive;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.Notification;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The session state machine driven by hand: a fake connection, a clock in seconds, a peer played by the test. */
class BgpSessionTest {
    private static final long S = 1_000_000_000L;
    private static final int ROUTER_ID = Ipv4Address.parse("192.0.2.1");
    private static final int REFLECTOR_ID = Ipv4Address.parse("192.0.2.254");
    private static final MessageCodec CODEC = MessageCodec.FOUR_OCTET_AS;

    private final FakeConnection connection = new FakeConnection();
    private final List<String> events = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private BgpSession session;

    @BeforeEach
    void setUp() throws Exception {
        SessionConfig config = SessionConfig.of(65000, ROUTER_ID, InetAddress.getByName("192.0.2.254"), 65000);
        session = new BgpSession(config, connection, new SessionEvents() {
            @Override
            public void established(BgpSession s, Open peer) {
                events.add("established AS " + peer.asn());
            }

            @Override
            public void update(BgpSession s, Update update) {
                events.add("update");
            }

            @Override
            public void routeRefresh(BgpSession s, RouteRefresh request) {
                events.add("route-refresh " + request.family());
            }

            @Override
            public void down(BgpSession s, String reason) {
                events.add("down: " + reason);
            }
        }, log::add);
    }

    private static Open reflectorOpen(long asn, int hold, Capability... extra) {
        List<Capability> caps = new ArrayList<>(List.of(Capability.multiprotocol(AddressFamily.L2VPN_EVPN),
                Capability.routeRefresh(), Capability.fourOctetAs(asn)));
        caps.addAll(List.of(extra));
        return Open.of(asn, hold, REFLECTOR_ID, caps);
    }

    private void peerSends(BgpMessage m, long now) {
        byte[] bytes = CODEC.encode(m);
        session.received(bytes, 0, bytes.length, now);
    }

    private void establish(int peerHold) {
        session.start(0);
        session.connected(0);
        peerSends(reflectorOpen(65000, peerHold), 0);
        peerSends(Keepalive.INSTANCE, 0);
        connection.sent.clear();
    }

    @Test
    void startConnectsAndSendsAnOpenOfferingEvpnRouteRefreshAndFourOctetAs() {
        session.start(0);
        assertThat(connection.connects).isEqualTo(1);
        assertThat(session.state()).isEqualTo(SessionState.CONNECT);
        session.connected(0);
        Open open = (Open) connection.sent.getFirst();
        assertThat(open.asn()).isEqualTo(65000);
        assertThat(open.holdTime()).isEqualTo(90);
        assertThat(open.bgpIdentifier()).isEqualTo(ROUTER_ID);
        assertThat(open.supports(AddressFamily.L2VPN_EVPN)).isTrue();
        assertThat(open.has(Capability.ROUTE_REFRESH)).isTrue();
        assertThat(session.state()).isEqualTo(SessionState.OPEN_SENT);
    }

    @Test
    void thePeersOpenAndKeepaliveEstablishTheSession() {
        session.start(0);
        session.connected(0);
        peerSends(reflectorOpen(65000, 180), 0);
        assertThat(session.state()).isEqualTo(SessionState.OPEN_CONFIRM);
        assertThat(connection.sent.getLast()).isEqualTo(Keepalive.INSTANCE);
        peerSends(Keepalive.INSTANCE, S);
        assertThat(session.state()).isEqualTo(SessionState.ESTABLISHED);
        assertThat(events).containsExactly("established AS 65000");
        assertThat(log).anyMatch(l -> l.contains("neighbor 192.0.2.254 Up") && l.contains("hold 90 s, keepalive 30 s"));
    }

    @Test
    void keepalivesGoOutEveryThirdOfTheNegotiatedHoldTime() {
        establish(9); // the peer's smaller hold time wins: 9 s, keepalive 3 s
        session.tick(2 * S);
        assertThat(connection.sent).isEmpty();
        session.tick(3 * S);
        assertThat(connection.sent).containsExactly(Keepalive.INSTANCE);
    }

    @Test
    void aSilentPeerIsEndedByTheHoldTimerAndItsRoutesGoAtOnce() {
        establish(90);
        session.tick(89 * S);
        assertThat(session.state()).isEqualTo(SessionState.ESTABLISHED);
        session.tick(90 * S);
        assertThat(connection.sent.getLast()).isEqualTo(new Notification(4, 0));
        assertThat(connection.closed).isTrue();
        assertThat(session.state()).isEqualTo(SessionState.IDLE);
        assertThat(events).last().isEqualTo("down: hold timer expired");
    }

    @Test
    void messagesFromThePeerRestartTheHoldTimer() {
        establish(90);
        peerSends(Keepalive.INSTANCE, 60 * S);
        session.tick(120 * S);
        assertThat(session.state()).isEqualTo(SessionState.ESTABLISHED);
    }

    @Test
    void afterADownTheSessionConnectsAgainAfterTheRetryTime() {
        establish(90);
        session.tick(90 * S);
        int connects = connection.connects;
        session.tick(94 * S);
        assertThat(connection.connects).isEqualTo(connects);
        session.tick(95 * S);
        assertThat(connection.connects).isEqualTo(connects + 1);
        assertThat(session.state()).isEqualTo(SessionState.CONNECT);
    }

    @Test
    void aPeerOfAnotherAsIsRefusedWithBadPeerAs() {
        session.start(0);
        session.connected(0);
        peerSends(reflectorOpen(65001, 90), 0);
        Notification n = (Notification) connection.sent.getLast();
        assertThat(n.code() + "/" + n.subcode()).isEqualTo("2/2");
        assertThat(session.state()).isEqualTo(SessionState.IDLE);
        assertThat(events).isEmpty(); // never established, nothing to withdraw
        assertThat(log).anyMatch(l -> l.contains("configured remote AS is 65000"));
    }

    @Test
    void aPeerWithoutEvpnIsRefusedWithUnsupportedCapability() {
        session.start(0);
        session.connected(0);
        peerSends(Open.of(65000, 90, REFLECTOR_ID, List.of(Capability.fourOctetAs(65000))), 0);
        Notification n = (Notification) connection.sent.getLast();
        assertThat(n.code() + "/" + n.subcode()).isEqualTo("2/7");
        assertThat(log).anyMatch(l -> l.contains("address-family l2vpn evpn"));
    }

    @Test
    void aPeerUsingOurRouterIdIsRefused() {
        session.start(0);
        session.connected(0);
        peerSends(Open.of(65000, 90, ROUTER_ID, List.of(Capability.multiprotocol(AddressFamily.L2VPN_EVPN))), 0);
        Notification n = (Notification) connection.sent.getLast();
        assertThat(n.code() + "/" + n.subcode()).isEqualTo("2/3");
    }

    @Test
    void garbageOnAnEstablishedSessionIsConnectionNotSynchronized() {
        establish(90);
        byte[] garbage = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes();
        session.received(garbage, 0, garbage.length, S);
        Notification n = (Notification) connection.sent.getLast();
        assertThat(n.code() + "/" + n.subcode()).isEqualTo("1/1");
        assertThat(events).last().asString().startsWith("down: sent NOTIFICATION: Message Header Error / Connection Not Synchronized");
    }

    @Test
    void anUpdateBeforeEstablishedIsAnFsmError() {
        session.start(0);
        session.connected(0);
        peerSends(reflectorOpen(65000, 90), 0);
        peerSends(Update.of(PathAttributes.NONE), 0);
        Notification n = (Notification) connection.sent.getLast();
        assertThat(n.code() + "/" + n.subcode()).isEqualTo("5/2");
    }

    @Test
    void aNotificationFromThePeerEndsTheSessionWithoutAnswer() {
        establish(90);
        peerSends(Notification.cease(2, "maintenance"), S);
        assertThat(connection.sent).isEmpty();
        assertThat(events).last().isEqualTo("down: received NOTIFICATION: Cease / Administrative Shutdown: maintenance");
    }

    @Test
    void thePeerClosingTheConnectionEndsTheSession() {
        establish(90);
        session.closed(S, "end of stream");
        assertThat(events).last().isEqualTo("down: connection closed by peer: end of stream");
    }

    @Test
    void stopSendsACeaseWithTheReasonAndDoesNotReconnect() {
        establish(90);
        session.stop(S, "vxswitch is shutting down");
        assertThat(connection.sent.getLast()).isEqualTo(Notification.cease(2, "vxswitch is shutting down"));
        int connects = connection.connects;
        session.tick(600 * S);
        assertThat(connection.connects).isEqualTo(connects);
    }

    @Test
    void aFailedConnectRetriesAfterTheRetryTime() {
        session.start(0);
        session.connectFailed(0, "Connection refused");
        assertThat(session.state()).isEqualTo(SessionState.ACTIVE);
        session.tick(5 * S);
        assertThat(connection.connects).isEqualTo(2);
        assertThat(session.statistics().lastError()).isEqualTo("connect failed: Connection refused");
    }

    @Test
    void messagesSplitAcrossReadsAreReassembled() {
        session.start(0);
        session.connected(0);
        byte[] open = CODEC.encode(reflectorOpen(65000, 90));
        byte[] keepalive = CODEC.encode(Keepalive.INSTANCE);
        byte[] stream = new byte[open.length + keepalive.length];
        System.arraycopy(open, 0, stream, 0, open.length);
        System.arraycopy(keepalive, 0, stream, open.length, keepalive.length);
        for (byte b : stream) {
            session.received(new byte[] {b}, 0, 1, 0);
        }
        assertThat(session.state()).isEqualTo(SessionState.ESTABLISHED);
    }

    @Test
    void updatesAndRefreshRequestsReachTheLayerAbove() {
        establish(90);
        peerSends(Update.endOfRib(AddressFamily.L2VPN_EVPN), S);
        peerSends(new RouteRefresh(AddressFamily.L2VPN_EVPN), S);
        assertThat(events).containsExactly("established AS 65000", "update", "route-refresh l2vpn evpn");
        assertThat(session.statistics().updatesIn()).isEqualTo(1);
    }

    @Test
    void aHoldTimeOfZeroMeansNoKeepalivesAndNoHoldTimer() throws Exception {
        SessionConfig config = session.config().withTimers(Duration.ZERO, Duration.ofSeconds(30), Duration.ofSeconds(5));
        session = new BgpSession(config, connection, session0Events(), log::add);
        establish(90);
        session.tick(3600 * S);
        assertThat(session.state()).isEqualTo(SessionState.ESTABLISHED);
        assertThat(connection.sent).isEmpty();
    }

    private SessionEvents session0Events() {
        return new SessionEvents() {
            @Override
            public void established(BgpSession s, Open peer) {
            }

            @Override
            public void update(BgpSession s, Update update) {
            }

            @Override
            public void routeRefresh(BgpSession s, RouteRefresh request) {
            }

            @Override
            public void down(BgpSession s, String reason) {
            }
        };
    }

    /** Records what the session asks of TCP; messages decoded back so tests read them as messages. */
    static final class FakeConnection implements Connection {
        final List<BgpMessage> sent = new ArrayList<>();
        int connects;
        boolean closed;

        @Override
        public void connect() {
            connects++;
            closed = false;
        }

        @Override
        public void send(byte[] message) {
            sent.add(CODEC.decode(message));
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
