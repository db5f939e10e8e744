package io.vxswitch.mgmt;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * An HTTP/1.1 client of a running {@link ApiServer} without a socket: Jetty's {@link LocalConnector}, added to the
 * API's own Jetty server, takes the request bytes from memory and hands them to the same HTTP parser
 * ({@code HttpConnection}, with the socket connector's own {@code HttpConfiguration}) and the same handler chain
 * (Javalin's servlet, its before-handlers, routes and exception mapping). What the socket adds is the kernel and
 * Jetty's selector, acceptor and worker threads; the API uses nothing of the connection but the request's bytes (no
 * remote address: the cross-origin check compares the Origin header with the Host header, which is sent the same as
 * {@link LoopbackHttp} sends it). {@code InMemoryHttpTest} holds the two to the same answers.
 *
 * <p>Why: over loopback each request crossed Jetty's selector and worker threads and the kernel twice, and the fuzz
 * target ran at ~760 inputs a second on the shared 2-CPU VM. Here the connector runs its tasks on the caller's
 * thread, so a request is parsed and handled on the thread that sends it, and its whole answer is written by the
 * time {@code addInput} returns: ~1,300 inputs a second over a 60 s run, ~1,900 once warm.
 *
 * <p>One connection, kept alive; a new one after the server closed it (after a refusal of the HTTP itself, or an
 * answer with {@code Connection: close}), as a client does.
 */
final class InMemoryHttp implements ApiClient {
    private static final long TIMEOUT_SECONDS = 10;

    private final InlineConnector connector;
    private final String host;
    private LocalConnector.LocalEndPoint connection;

    /** Adds the in-memory connector to {@code api}'s running server; {@link #close} removes it. */
    InMemoryHttp(ApiServer api) {
        Server jetty = api.jetty();
        ServerConnector socket = Arrays.stream(jetty.getConnectors())
            .filter(ServerConnector.class::isInstance).map(ServerConnector.class::cast).findFirst()
            .orElseThrow(() -> new IllegalStateException("the API server has no socket connector"));
        HttpConnectionFactory http = new HttpConnectionFactory(
            socket.getConnectionFactory(HttpConnectionFactory.class).getHttpConfiguration());
        connector = new InlineConnector(jetty, http);
        jetty.addConnector(connector);
        try {
            if (!connector.isStarted()) {
                connector.start();
            }
        } catch (Exception e) {
            jetty.removeConnector(connector);
            throw new IllegalStateException("cannot start Jetty's in-memory connector: " + e, e);
        }
        host = "127.0.0.1:" + api.port(); // what a client of the socket sends: the same Host, the same own origin
    }

    @Override
    public String host() {
        return host;
    }

    /**
     * Sends {@code request} on the kept-alive connection. After Jetty refused the HTTP itself (a 400 for a NUL in the
     * path) it closes that connection just after the answer is out, so the next request can meet it closing, left
     * unread in its input: that one is sent once more on a new connection, as {@link LoopbackHttp} does when the
     * server closed its socket meanwhile. No answer on a new connection is an error.
     */
    @Override
    public HttpClientWire.Answer exchange(byte[] request) throws IOException {
        boolean reused = connection != null && connection.isOpen();
        if (!reused) {
            connection = connector.open();
        }
        HttpClientWire.Answer answer = once(request);
        if (answer == null && reused) {
            connection = connector.open();
            answer = once(request);
        }
        if (answer == null) {
            connection = null;
            throw new IOException("the server closed a new connection without answering " + firstLine(request));
        }
        if (answer.closing()) {
            connection.close();
            connection = null;
        }
        return answer;
    }

    /**
     * The answer, or null if the connection closed without one. Read with {@link HttpClientWire}, as over a socket:
     * on a connection that is open, Jetty has handled the request and written the whole answer before
     * {@code addInput} returns, so it is taken at once; otherwise (the first request, on the acceptor's thread) what
     * is missing is waited for.
     */
    private HttpClientWire.Answer once(byte[] request) throws IOException {
        connection.addInput(ByteBuffer.wrap(request));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (ByteBuffer more = connection.takeOutput(); ; more = waitForOutput(request, deadline)) {
            append(out, more);
            if (out.size() > 0) {
                try {
                    return HttpClientWire.read(new ByteArrayInputStream(out.toByteArray()));
                } catch (EOFException incomplete) {
                    // the rest is still being written (the acceptor's thread), or the connection closed: see below
                }
            }
            if (!connection.isOpen() || connection.isOutputShutdown()) {
                ByteBuffer last = connection.takeOutput();
                if (last.hasRemaining()) {
                    append(out, last);
                    continue;
                }
                if (out.size() == 0) {
                    return null;
                }
                throw new EOFException("the connection closed " + out.size() + " bytes into the answer to "
                    + firstLine(request));
            }
        }
    }

    private static void append(ByteArrayOutputStream out, ByteBuffer bytes) {
        byte[] copy = new byte[bytes.remaining()];
        bytes.get(copy);
        out.writeBytes(copy);
    }

    private ByteBuffer waitForOutput(byte[] request, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new IOException("no complete answer to " + firstLine(request) + " in " + TIMEOUT_SECONDS + " s");
        }
        try {
            return connection.waitForOutput(left, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the answer to " + firstLine(request));
        }
    }

    private static String firstLine(byte[] request) {
        String text = new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1);
        int end = text.indexOf('\r');
        return end < 0 ? text : text.substring(0, end);
    }

    @Override
    public void close() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        try {
            connector.stop();
        } catch (Exception e) {
            // the server stops it with itself anyway
        }
        connector.getServer().removeConnector(connector);
    }

    /**
     * A {@link LocalConnector} whose tasks run on the thread that causes them once it is started: a request added to
     * an open connection is parsed and handled before {@code addInput} returns, on the thread that sends it. Only its
     * acceptor, started with it, runs on the server's pool (it waits for connections, rarely made).
     */
    private static final class InlineConnector extends LocalConnector {
        private final InlineAfterStart executor;

        InlineConnector(Server server, HttpConnectionFactory http) {
            this(server, new InlineAfterStart(server.getThreadPool()), http);
        }

        private InlineConnector(Server server, InlineAfterStart executor, HttpConnectionFactory http) {
            super(server, executor, null, null, 1, http);
            this.executor = executor;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            executor.inline = true;
        }

        LocalEndPoint open() {
            return connect(); // the acceptor opens it; a request added meanwhile waits in its input
        }
    }

    private static final class InlineAfterStart implements Executor {
        private final Executor pool;
        private volatile boolean inline;

        InlineAfterStart(Executor pool) {
            this.pool = pool;
        }

        @Override
        public void execute(Runnable task) {
            if (inline) {
                task.run();
            } else {
                pool.execute(task);
            }
        }
    }
}
