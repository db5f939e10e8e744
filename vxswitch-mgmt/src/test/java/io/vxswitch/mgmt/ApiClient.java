package io.vxswitch.mgmt;

import java.io.IOException;

/** How the API tests send a request to a running {@link ApiServer}: over a socket or in memory. */
interface ApiClient extends AutoCloseable {
    /** Sends one request, HTTP/1.1 bytes as they are, and reads its answer. */
    HttpClientWire.Answer exchange(byte[] request) throws IOException;

    /** The Host header a client of this server sends: its address and port. */
    String host();

    /**
     * @param target        the request target: path and query, already percent-encoded
     * @param authorization the Authorization header's value
     * @param body          null for none
     */
    default HttpClientWire.Answer send(String method, String target, String authorization, String body)
        throws IOException {
        return exchange(HttpClientWire.request(method, target, host(), authorization, body));
    }

    @Override
    void close();
}
