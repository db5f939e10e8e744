package io.vxswitch.bgp.session;

import java.net.InetAddress;
import java.time.Duration;

/**
 * One neighbor as the session sees it. Timers follow RFC 4271 §10 and FRR's defaults where the RFC only suggests:
 * hold 90 s and keepalive 30 s (the and RFC 4271's suggestion), connect retry 5 s (FRR's {@code timers
 * connect} is 120 s by default; a switch that has lost its reflector wants it back sooner).
 *
 * @param localAddress the source address of the TCP connection (FRR's {@code update-source}), or null for the
 *                     kernel's choice
 */
public record SessionConfig(long localAsn, int routerId, InetAddress peerAddress, int peerPort, long peerAsn,
                            Duration holdTime, Duration keepalive, Duration connectRetry, InetAddress localAddress) {
    public static final int BGP_PORT = 179;
    public static final Duration DEFAULT_HOLD = Duration.ofSeconds(90);
    public static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_CONNECT_RETRY = Duration.ofSeconds(5);

    public SessionConfig {
        if (localAsn < 1 || localAsn > 0xFFFF_FFFFL || peerAsn < 1 || peerAsn > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("AS numbers are 1-4294967295 (local " + localAsn + ", peer " + peerAsn + ")");
        }
        long hold = holdTime.toSeconds();
        if (hold != 0 && (hold < 3 || hold > 65535)) {
            throw new IllegalArgumentException("hold time " + hold + " s: 0 (no keepalives) or 3-65535 (RFC 4271 §4.2)");
        }
        if (keepalive.isNegative() || keepalive.toSeconds() > 21845) {
            throw new IllegalArgumentException("keepalive " + keepalive.toSeconds() + " s: 0-21845");
        }
        if (connectRetry.toSeconds() < 1) {
            throw new IllegalArgumentException("connect retry " + connectRetry.toSeconds() + " s: at least 1");
        }
        if (peerPort < 1 || peerPort > 65535) {
            throw new IllegalArgumentException("peer port " + peerPort);
        }
    }

    public static SessionConfig of(long localAsn, int routerId, InetAddress peer, long peerAsn) {
        return new SessionConfig(localAsn, routerId, peer, BGP_PORT, peerAsn, DEFAULT_HOLD, DEFAULT_KEEPALIVE,
                DEFAULT_CONNECT_RETRY, null);
    }

    public SessionConfig withPort(int port) {
        return new SessionConfig(localAsn, routerId, peerAddress, port, peerAsn, holdTime, keepalive, connectRetry, localAddress);
    }

    public SessionConfig withTimers(Duration hold, Duration keepaliveTime, Duration retry) {
        return new SessionConfig(localAsn, routerId, peerAddress, peerPort, peerAsn, hold, keepaliveTime, retry, localAddress);
    }

    public SessionConfig withLocalAddress(InetAddress address) {
        return new SessionConfig(localAsn, routerId, peerAddress, peerPort, peerAsn, holdTime, keepalive, connectRetry, address);
    }

    /** iBGP: the reflector case; the peer's BGP identifier must then differ from ours (RFC 4271 §6.2). */
    public boolean internal() {
        return localAsn == peerAsn;
    }
}
