package io.vxswitch.mgmt;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The client side of HTTP/1.1 as the API tests speak it, apart from how the bytes travel: a request written as bytes,
 * and an answer read from a stream. {@link LoopbackHttp} sends them over a socket, {@link InMemoryHttp} through Jetty's
 * in-memory connector; both write the very same request bytes, so the server cannot tell them apart by what they send.
 *
 * <p>Enough HTTP for Jetty's answers: a status line, headers, and a body by {@code Content-Length}, chunked, or up to
 * the close.
 */
final class HttpClientWire {
    /** A status and the body, decoded as UTF-8; {@code closing} if the server ends the connection after it. */
    record Answer(int status, String body, boolean closing) {
    }

    private HttpClientWire() {
    }

    /**
     * @param host          the Host header's value (what the cross-origin check compares an Origin with)
     * @param target        the request target: path and query, already percent-encoded
     * @param authorization the Authorization header's value
     * @param body          null for none
     */
    static byte[] request(String method, String target, String host, String authorization, String body) {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder()
            .append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
            .append("Host: ").append(host).append("\r\n")
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

    /** Reads one answer; an EOF before it is complete is the server closing the connection. */
    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (!statusLine.startsWith("HTTP/1.1 ") || statusLine.length() < 12) {
            throw new IOException("not an HTTP/1.1 status line: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        boolean chunked = false;
        boolean closing = false;
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
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
            body = chunks(in);
        } else if (length >= 0) {
            body = exactly(in, length);
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            body = in.readAllBytes(); // no length: the body ends with the connection
            closing = true;
        }
        return new Answer(status, new String(body, StandardCharsets.UTF_8), closing);
    }

    /** A chunked body (RFC 9112 §7.1), trailers skipped. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (long size = chunkSize(in); size > 0; size = chunkSize(in)) {
            body.writeBytes(exactly(in, size));
            line(in); // the CRLF after the chunk's data
        }
        for (String trailer = line(in); !trailer.isEmpty(); trailer = line(in)) {
            // ignored
        }
        return body.toByteArray();
    }

    private static long chunkSize(InputStream in) throws IOException {
        String line = line(in);
        int extension = line.indexOf(';');
        return Long.parseLong((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static byte[] exactly(InputStream in, long n) throws IOException {
        if (n > ApiServer.MAX_BODY * 16L) {
            throw new IOException("an answer of " + n + " bytes: the API's are small");
        }
        byte[] bytes = in.readNBytes((int) n);
        if (bytes.length < n) {
            throw new EOFException("the connection closed " + bytes.length + " bytes into a body of " + n);
        }
        return bytes;
    }

    /** One header line without its CRLF. */
    private static String line(InputStream in) throws IOException {
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
}
