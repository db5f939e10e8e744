package io.vxswitch.app.it;

import io.vxswitch.linux.NetworkNamespaces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets a program in the root namespace (a browser) reach a TCP port on the loopback of a test namespace: listens on
 * 127.0.0.1:(free port) here, and for each connection opens one to 127.0.0.1:{@code port} from inside the
 * namespace (a socket keeps the namespace it was created in) and copies bytes both ways. Loopback on both sides.
 */
final class NetnsRelay implements AutoCloseable {
    private final ServerSocketChannel server;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    NetnsRelay(Netns ns, int port) {
        try {
            server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofPlatform().daemon().name("relay-" + ns.name()).start(() -> {
            while (server.isOpen()) {
                try {
                    SocketChannel outside = server.accept();
                    SocketChannel inside = NetworkNamespaces.callIn(ns.name(), () -> {
                        try {
                            return SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                    open.add(outside);
                    open.add(inside);
                    pump(outside, inside);
                    pump(inside, outside);
                } catch (IOException | UncheckedIOException e) {
                    // closed, or the inside refused: the browser sees a reset and retries
                }
            }
        });
    }

    /** The port to use on 127.0.0.1 in the root namespace. */
    int port() {
        return server.socket().getLocalPort();
    }

    private static void pump(SocketChannel from, SocketChannel to) {
        Thread.ofPlatform().daemon().start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
            try {
                while (from.read(buf) >= 0) {
                    buf.flip();
                    while (buf.hasRemaining()) {
                        to.write(buf);
                    }
                    buf.clear();
                }
                to.shutdownOutput();
            } catch (IOException e) {
                closeQuietly(from);
                closeQuietly(to);
            }
        });
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // nothing to do
        }
        open.forEach(NetnsRelay::closeQuietly);
    }
}
