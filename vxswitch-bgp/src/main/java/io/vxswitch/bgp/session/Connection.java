package io.vxswitch.bgp.session;

/**
 * What the session asks of its TCP connection. The transport does it later on its own thread and reports back
 * through {@link BgpSession}'s event methods; so the state machine itself never blocks and tests drive it by hand.
 */
public interface Connection {
    /** Opens a TCP connection to the peer; the outcome comes back as {@code connected} or {@code connectFailed}. */
    void connect();

    /** Queues one encoded message; the transport writes queued messages in order. */
    void send(byte[] message);

    /** Writes what is queued, then closes; no event follows. */
    void close();
}
