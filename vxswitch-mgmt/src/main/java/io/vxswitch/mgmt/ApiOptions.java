package io.vxswitch.mgmt;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the management API listens and how it checks callers.
 *
 * @param host      address to bind, 127.0.0.1 by default
 * @param port      TCP port, 0 for any free one (tests)
 * @param token     the bearer token every request must carry; null to generate one at start
 * @param tokenFile where a generated token is written (mode 0600), for the CLI on the same host to read
 */
public record ApiOptions(String host, int port, String token, Path tokenFile) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7739;
    public static final Path DEFAULT_TOKEN_FILE = Path.of("/run/vxswitch/api.token");

    public ApiOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tokenFile, "tokenFile");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("API port " + port + " is out of range 0-65535");
        }
        if (token != null && token.length() < 16) {
            throw new IllegalArgumentException("the API token must be at least 16 characters");
        }
        if (token == null && !isLoopback(host)) {
            throw new IllegalArgumentException("the API listens on " + host + ", which is not a loopback address: set"
                + " api.token in the config so that only holders of the token can use it");
        }
    }

    /** True if only this host can reach the API (a loopback address). */
    public boolean onLoopback() {
        return isLoopback(host);
    }

    /** The token masked: this record is printed (a reload's list of what differs) and the token must never be. */
    @Override
    public String toString() {
        return "ApiOptions[host=" + host + ", port=" + port + ", token=" + (token == null ? "generated" : "(set)")
            + ", tokenFile=" + tokenFile + "]";
    }

    public static ApiOptions defaults() {
        return new ApiOptions(DEFAULT_HOST, DEFAULT_PORT, null, DEFAULT_TOKEN_FILE);
    }

    static boolean isLoopback(String host) {
        try {
            return InetAddress.ofLiteral(host).isLoopbackAddress();
        } catch (IllegalArgumentException e) {
            try {
                return InetAddress.getByName(host).isLoopbackAddress();
            } catch (UnknownHostException unknown) {
                return false;
            }
        }
    }
}
