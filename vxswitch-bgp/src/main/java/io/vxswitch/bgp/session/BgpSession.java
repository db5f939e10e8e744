package io.vxswitch.bgp.session;

import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.BgpException;
import io.vxswitch.bgp.message.BgpMessage;
import io.vxswitch.bgp.message.Capability;
import io.vxswitch.bgp.message.Keepalive;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.Notification;
import io.vxswitch.bgp.message.NotificationCodes;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.packet.Ipv4Address;

import java.util.List;
import java.util.function.Consumer;

import static io.vxswitch.bgp.message.NotificationCodes.FSM_ERROR;

/**
 * One BGP session's finite state machine (RFC 4271 §8), for a speaker that opens the connection itself (FRR's and
 * GoBGP's reflectors accept it; vxswitch does not listen, so there is no connection collision to resolve, §6.8).
 *
 * <p>It is driven by events (start, TCP up / failed / closed, bytes received, a clock tick) on one thread and acts
 * through {@link Connection}; time is a parameter in nanoseconds, so tests run it without sockets or sleeps.
 * After any error it goes Idle and tries again after the connect-retry time (RFC 4271's automatic start, without
 * the optional oscillation damping). When an Established session ends, {@link SessionEvents#down} tells the RIB to
 * forget the peer's routes at once; a session that dies silently is ended by its hold timer.
 */
public final class BgpSession {
    /** RFC 4271 §8: a large hold time while waiting for the peer's OPEN, "4 minutes is suggested". */
    static final long OPEN_HOLD_NANOS = 240_000_000_000L;
    private static final long SECOND = 1_000_000_000L;

    private final SessionConfig config;
    private final Connection connection;
    private final SessionEvents events;
    private final Consumer<String> log;
    private final String name;
    private final SessionStatistics statistics = new SessionStatistics();

    private SessionState state = SessionState.IDLE;
    private boolean started;
    private MessageCodec codec = MessageCodec.FOUR_OCTET_AS;
    private Open peerOpen;
    private long connectRetryAt;
    private long holdNanos;
    private long keepaliveNanos;
    private long holdExpiresAt;
    private long keepaliveAt;
    private byte[] inbox = new byte[2 * MessageCodec.MAX_LENGTH];
    private int inboxLength;

    public BgpSession(SessionConfig config, Connection connection, SessionEvents events, Consumer<String> log) {
        this.config = config;
        this.connection = connection;
        this.events = events;
        this.log = log;
        this.name = "neighbor " + config.peerAddress().getHostAddress();
    }

    public SessionConfig config() {
        return config;
    }

    public SessionState state() {
        return state;
    }

    public SessionStatistics statistics() {
        return statistics;
    }

    /** The peer's OPEN of the current session, or null before OpenConfirm. */
    public Open peerOpen() {
        return peerOpen;
    }

    /** ManualStart (RFC 4271 §8.1.2 event 1): connect now, and again after each failure. */
    public void start(long now) {
        started = true;
        if (state == SessionState.IDLE) {
            connect(now);
        }
    }

    /** ManualStop (event 2): a Cease with the reason (RFC 9003) if a session is up, then Idle for good. */
    public void stop(long now, String reason) {
        started = false;
        if (state == SessionState.OPEN_SENT || state == SessionState.OPEN_CONFIRM || state == SessionState.ESTABLISHED) {
            send(Notification.cease(NotificationCodes.ADMINISTRATIVE_SHUTDOWN, reason));
        }
        end(now, "stopped: " + reason, false);
    }

    /** TCP connection established (events 16/17): send OPEN, wait for the peer's. */
    public void connected(long now) {
        if (state != SessionState.CONNECT && state != SessionState.ACTIVE) {
            connection.close();
            return;
        }
        inboxLength = 0;
        codec = MessageCodec.FOUR_OCTET_AS;
        send(Open.of(config.localAsn(), (int) config.holdTime().toSeconds(), config.routerId(), List.of(
                Capability.multiprotocol(AddressFamily.L2VPN_EVPN), Capability.routeRefresh(),
                Capability.fourOctetAs(config.localAsn()))));
        state = SessionState.OPEN_SENT;
        holdExpiresAt = now + OPEN_HOLD_NANOS;
    }

    /** TCP connection failed (event 18): Active, and retry after the connect-retry time. */
    public void connectFailed(long now, String why) {
        if (state == SessionState.CONNECT) {
            statistics.lastError("connect failed: " + why);
            state = SessionState.ACTIVE;
            connectRetryAt = now + config.connectRetry().toNanos();
        }
    }

    /** The peer closed the connection (event 18 in a later state). */
    public void closed(long now, String why) {
        if (state != SessionState.IDLE && state != SessionState.CONNECT && state != SessionState.ACTIVE) {
            end(now, "connection closed by peer: " + why, true);
        }
    }

    /** Bytes from the TCP stream; whole messages in them are handled in order. */
    public void received(byte[] bytes, int offset, int length, long now) {
        if (inboxLength + length > inbox.length) {
            inbox = java.util.Arrays.copyOf(inbox, Math.max(inbox.length * 2, inboxLength + length));
        }
        System.arraycopy(bytes, offset, inbox, inboxLength, length);
        inboxLength += length;
        int at = 0;
        try {
            while (state != SessionState.IDLE) {
                int messageLength = MessageCodec.frame(inbox, at, inboxLength - at);
                if (messageLength == 0 || messageLength > inboxLength - at) {
                    break;
                }
                BgpMessage message = codec.decode(inbox, at, messageLength);
                at += messageLength;
                statistics.received(message);
                handle(message, now);
            }
        } catch (BgpException e) {
            statistics.lastError("sent " + e);
            log.accept(name + ": " + e + "; sending NOTIFICATION");
            send(e.toNotification());
            end(now, "sent NOTIFICATION: " + NotificationCodes.describe(e.code(), e.subcode()) + ": " + e.getMessage(), true);
            return;
        }
        if (state == SessionState.IDLE) {
            inboxLength = 0;
        } else {
            System.arraycopy(inbox, at, inbox, 0, inboxLength - at);
            inboxLength -= at;
        }
    }

    /** The clock: connect-retry, hold and keepalive timers (events 9, 10, 11). */
    public void tick(long now) {
        if (state == SessionState.IDLE || state == SessionState.ACTIVE) {
            if (started && connectRetryAt != 0 && now - connectRetryAt >= 0) {
                connect(now);
            }
            return;
        }
        if (holdExpiresAt != 0 && now - holdExpiresAt >= 0) {
            statistics.lastError("sent Hold Timer Expired");
            log.accept(name + ": hold timer expired (no message for " + (holdNanos == 0 ? OPEN_HOLD_NANOS : holdNanos) / SECOND
                    + " s); sending NOTIFICATION");
            send(new Notification(NotificationCodes.HOLD_TIMER_EXPIRED, 0));
            end(now, "hold timer expired", true);
            return;
        }
        if (keepaliveAt != 0 && now - keepaliveAt >= 0) {
            send(Keepalive.INSTANCE);
            keepaliveAt = now + keepaliveNanos;
        }
    }

    /** Sends an UPDATE or ROUTE-REFRESH on an Established session; false when the session is not up. */
    public boolean send(Update update) {
        if (state != SessionState.ESTABLISHED) {
            return false;
        }
        send((BgpMessage) update);
        return true;
    }

    public boolean send(RouteRefresh refresh) {
        if (state != SessionState.ESTABLISHED || !peerOpen.has(Capability.ROUTE_REFRESH)) {
            return false;
        }
        send((BgpMessage) refresh);
        return true;
    }

    private void handle(BgpMessage message, long now) {
        if (message instanceof Notification n) {
            statistics.lastError("received " + n.describe());
            log.accept(name + ": received NOTIFICATION " + n.describe());
            end(now, "received NOTIFICATION: " + n.describe(), true);
            return;
        }
        switch (state) {
            case OPEN_SENT -> {
                if (!(message instanceof Open open)) {
                    throw unexpected(message, NotificationCodes.UNEXPECTED_IN_OPEN_SENT);
                }
                accept(open, now);
            }
            case OPEN_CONFIRM -> {
                if (!(message instanceof Keepalive)) {
                    throw unexpected(message, NotificationCodes.UNEXPECTED_IN_OPEN_CONFIRM);
                }
                restartHold(now);
                state = SessionState.ESTABLISHED;
                statistics.established(now);
                log.accept(name + " Up (" + peerDescription() + ")");
                events.established(this, peerOpen);
            }
            case ESTABLISHED -> {
                restartHold(now);
                switch (message) {
                    case Update u -> events.update(this, u);
                    case RouteRefresh r -> events.routeRefresh(this, r);
                    case Keepalive k -> {
                    }
                    default -> throw unexpected(message, NotificationCodes.UNEXPECTED_IN_ESTABLISHED);
                }
            }
            default -> {
            }
        }
    }

    /** RFC 4271 §6.2 and RFC 5492: the peer's OPEN against the configuration. */
    private void accept(Open open, long now) {
        if (open.asn() != config.peerAsn()) {
            byte[] data = {(byte) (open.asField() >>> 8), (byte) open.asField()};
            throw new BgpException(NotificationCodes.OPEN_MESSAGE, NotificationCodes.BAD_PEER_AS, data,
                    "peer says AS " + open.asn() + ", configured remote AS is " + config.peerAsn());
        }
        if (config.internal() && open.bgpIdentifier() == config.routerId()) {
            throw new BgpException(NotificationCodes.OPEN_MESSAGE, NotificationCodes.BAD_BGP_IDENTIFIER,
                    "peer's BGP identifier " + Ipv4Address.format(open.bgpIdentifier()) + " is our own router id");
        }
        if (!open.supports(AddressFamily.L2VPN_EVPN)) {
            byte[] capability = Capability.multiprotocol(AddressFamily.L2VPN_EVPN).value();
            byte[] data = new byte[2 + capability.length];
            data[0] = Capability.MULTIPROTOCOL;
            data[1] = (byte) capability.length;
            System.arraycopy(capability, 0, data, 2, capability.length);
            throw new BgpException(NotificationCodes.OPEN_MESSAGE, NotificationCodes.UNSUPPORTED_CAPABILITY, data,
                    "peer does not offer L2VPN EVPN (AFI 25 / SAFI 70): enable 'address-family l2vpn evpn' for this neighbor");
        }
        peerOpen = open;
        codec = open.has(Capability.FOUR_OCTET_AS) ? MessageCodec.FOUR_OCTET_AS : MessageCodec.TWO_OCTET_AS;
        // RFC 4271 §4.2: the smaller hold time; keepalive a third of it unless configured lower
        long hold = Math.min(config.holdTime().toSeconds(), open.holdTime());
        holdNanos = hold * SECOND;
        long keepalive = hold == 0 ? 0 : Math.min(hold / 3, config.keepalive().toSeconds());
        keepaliveNanos = keepalive * SECOND;
        send(Keepalive.INSTANCE);
        state = SessionState.OPEN_CONFIRM;
        restartHold(now);
        keepaliveAt = keepaliveNanos == 0 ? 0 : now + keepaliveNanos;
    }

    private BgpException unexpected(BgpMessage message, int subcode) {
        return new BgpException(FSM_ERROR, subcode, BgpMessage.typeName(message.type()) + " in state " + state);
    }

    private void restartHold(long now) {
        holdExpiresAt = holdNanos == 0 ? 0 : now + holdNanos;
    }

    private void connect(long now) {
        state = SessionState.CONNECT;
        connectRetryAt = now + config.connectRetry().toNanos();
        connection.connect();
    }

    private void send(BgpMessage message) {
        connection.send(codec.encode(message));
        statistics.sent(message);
    }

    private void end(long now, String reason, boolean retry) {
        boolean wasEstablished = state == SessionState.ESTABLISHED;
        connection.close();
        state = SessionState.IDLE;
        peerOpen = null;
        holdExpiresAt = 0;
        keepaliveAt = 0;
        inboxLength = 0;
        connectRetryAt = retry && started ? now + config.connectRetry().toNanos() : 0;
        if (wasEstablished) {
            statistics.down(reason);
            log.accept(name + " Down " + reason);
            events.down(this, reason);
        }
    }

    private String peerDescription() {
        return "AS " + peerOpen.asn() + ", id " + Ipv4Address.format(peerOpen.bgpIdentifier()) + ", hold "
                + holdNanos / SECOND + " s, keepalive " + keepaliveNanos / SECOND + " s";
    }
}
