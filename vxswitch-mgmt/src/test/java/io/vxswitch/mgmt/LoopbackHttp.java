package io.vxswitch.mgmt;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A blocking HTTP/1.1 client of one server on loopback, over one kept-alive connection, on the caller's thread: what
 * the API fuzz target sends its requests with. The JDK's {@code HttpClient} passes each request and its answer
 * between its own threads, which on the shared 2-CPU machine took 3-4 times as long as the request itself (about
 * 900 µs against 250 µs for a {@code GET /fdb}, measured); here the caller writes the request and reads the answer.
 *
 * <p>Enough HTTP for Jetty's answers: a status line, headers, and a body by {@code Content-Length}, chunked, or up to
 * the close. A request whose kept-alive connection the server had closed meanwhile (Jetty may, after an error
 * answer, just as it is reused) is sent once more on a new connection; failing on a new connection is an error.
 */
final class LoopbackHttp implements AutoCloseable {
    /** A status and the body, decoded as UTF-8. */
    record Answer(int status, String body) {
    }

    private static final int TIMEOUT_MILLIS = 30_000;

    private final int port;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    LoopbackHttp(int port) {
        this.port = port;
    }

    /**
     * @param target       the request target: path and query, already percent-encoded
     * @param authorization the Authorization header's value
     * @param body         null for none
     */
    Answer send(String method, String target, String authorization, String body) throws IOException {
        byte[] request = request(method, target, authorization, body);
        boolean reused = socket != null;
        try {
            return exchange(request);
        } catch (IOException e) {
            close();
            if (!reused) {
                throw e;
            }
            return exchange(request);
        }
    }

    private byte[] request(String method, String target, String authorization, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
            .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
            .append("Host: 127.0.0.1:").append(port).append("\r\n")
            .append("Authorization: ").append(authorization).append("\r\n");
        if (body != null || !method.equals("GET")) {
            head.append("Content-Length: ").append(content.length).append("\r\n");
        }
        byte[] header = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[header.length + content.length];
        System.arraycopy(header, 0, request, 0, header.length);
        System.arraycopy(content, 0, request, header.length, content.length);
        return request;
    }

    private Answer exchange(byte[] request) throws IOException {
        if (socket == null) {
            socket = new Socket(InetAddress.getLoopbackAddress(), port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream());
            out = new BufferedOutputStream(socket.getOutputStream());
        }
        out.write(request);
        out.flush();
        String statusLine = line();
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(); !header.isEmpty(); header = line()) {
            String h = header.toLowerCase(Locale.ROOT);
            if (h.startsWith("content-length:")) {
                length = Long.parseLong(h.substring("content-length:".length()).trim());
            } else if (h.startsWith("transfer-encoding:") && h.contains("chunked")) {
                chunked = true;
            } else if (h.startsWith("connection:") && h.contains("close")) {
                closing = true;
            }
        }
        byte[] body;
        if (chunked) {
            body = chunks();
        } else if (length >= 0) {
            body = exactly(length);
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes(); // no length: the body ends with the connection
            closing = true;
        }
        if (closing) {
            close();
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8));
    }

    /** A chunked body (RFC 9112 §7.1), trailers skipped. */
    private byte[] chunks() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(); size > 0; size = chunkSize()) {
            body.writeBytes(exactly(size));
            line(); // the CRLF after the chunk's data
        }
        for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
            // ignored
        }
        return body.toByteArray();
    }

    private long chunkSize() throws IOException {
        String line = line();
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private byte[] exactly(long n) throws IOException {
        if (n > ApiServer.MAX_BODY * 16L) {
            throw new IOException("an answer of " + n + " bytes: the API's are small");
        }
        byte[] bytes = in.readNBytes((int) n);
        if (bytes.length < n) {
            throw new EOFException("the connection closed " + bytes.length + " bytes into a body of " + n);
        }
        return bytes;
    }

    /** One header line without its CRLF; an EOF before it is the server closing the connection. */
    private String line() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new EOFException("the connection closed before a full answer");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
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
