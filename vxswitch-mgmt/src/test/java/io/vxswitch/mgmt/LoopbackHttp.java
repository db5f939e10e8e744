package io.vxswitch.mgmt;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * A blocking HTTP/1.1 client of one server on loopback, over one kept-alive connection, on the caller's thread. The
 * JDK's {@code HttpClient} passes each request and its answer between its own threads, which on the shared 2-CPU
 * machine took 3-4 times as long as the request itself (about 900 µs against 250 µs for a {@code GET /fdb},
 * measured); here the caller writes the request and reads the answer.
 *
 * <p>A request whose kept-alive connection the server had closed meanwhile (Jetty may, after an error answer, just as
 * it is reused) is sent once more on a new connection; failing on a new connection is an error.
 */
final class LoopbackHttp implements ApiClient {
    private static final int TIMEOUT_MILLIS = 30_000;

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackHttp(int port) {
        this.port = port;
    }

    @Override
    public String host() {
        return "127.0.0.1:" + port;
    }

    @Override
    public HttpClientWire.Answer exchange(byte[] request) throws IOException {
        boolean reused = socket != null;
        try {
            return once(request);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return once(request);
        }
    }

    private HttpClientWire.Answer once(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        }
        out.write(request);
        out.flush();
        HttpClientWire.Answer answer = HttpClientWire.read(in);
        if (answer.closing()) {
            close();
        }
        return answer;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a loopback socket: nothing to do about a failure
            }
            socket = null;
        }
    }
}
