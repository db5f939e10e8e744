package io.vxswitch.bgp.session;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;

/**
 * One session's TCP connection on the speaker's selector: non-blocking connect, reads handed to the session,
 * writes queued in order and flushed when the socket has room. Used by the speaker's thread only.
 */
final class TcpConnection implements Connection {
    /** RFC 4271 says nothing; FRR and GoBGP mark BGP with DSCP CS6 (network control), so does vxswitch. */
    private static final int TOS_CS6 = 0xC0;

    private final Selector selector;
    private final SessionConfig config;
    private final ArrayDeque<ByteBuffer> outbox = new ArrayDeque<>();
    private BgpSession session;
    private SocketChannel channel;
    private SelectionKey key;

    TcpConnection(Selector selector, SessionConfig config) {
        this.selector = selector;
        this.config = config;
    }

    void attach(BgpSession s) {
        this.session = s;
    }

    @Override
    public void connect() {
        closeChannel();
        try {
            channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            channel.setOption(StandardSocketOptions.IP_TOS, TOS_CS6);
            if (config.localAddress() != null) {
                channel.bind(new InetSocketAddress(config.localAddress(), 0));
            }
            key = channel.register(selector, SelectionKey.OP_CONNECT, this);
            if (channel.connect(new InetSocketAddress(config.peerAddress(), config.peerPort()))) {
                finishConnect(System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            closeChannel();
            session.connectFailed(System.nanoTime(), describe(e));
        }
    }

    @Override
    public void send(byte[] message) {
        if (channel == null) {
            return;
        }
        outbox.add(ByteBuffer.wrap(message));
        flush();
    }

    @Override
    public void close() {
        flush();
        closeChannel();
    }

    /** The selector says this connection is ready: finish a connect, read, or write what waits. */
    void ready(long now, ByteBuffer readBuffer) {
        if (key == null || !key.isValid()) {
            return;
        }
        if (key.isConnectable()) {
            try {
                channel.finishConnect();
                finishConnect(now);
            } catch (IOException e) {
                closeChannel();
                session.connectFailed(now, describe(e));
            }
            return;
        }
        if (key.isValid() && key.isWritable()) {
            flush();
        }
        if (key != null && key.isValid() && key.isReadable()) {
            read(now, readBuffer);
        }
    }

    private void finishConnect(long now) {
        key.interestOps(SelectionKey.OP_READ);
        session.connected(now);
    }

    private void read(long now, ByteBuffer buffer) {
        int n;
        try {
            buffer.clear();
            n = channel.read(buffer);
        } catch (IOException e) {
            closeChannel();
            session.closed(now, describe(e));
            return;
        }
        if (n < 0) {
            closeChannel();
            session.closed(now, "end of stream");
            return;
        }
        session.received(buffer.array(), 0, n, now);
    }

    private void flush() {
        if (channel == null || !channel.isConnected()) {
            return;
        }
        try {
            while (!outbox.isEmpty()) {
                ByteBuffer head = outbox.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    return;
                }
                outbox.poll();
            }
            if (key.isValid()) {
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            outbox.clear(); // the read side reports the closed connection to the session
        }
    }

    private void closeChannel() {
        outbox.clear();
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a socket that failed: nothing left to do
            }
        }
        channel = null;
        key = null;
    }

    private static String describe(Exception e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
