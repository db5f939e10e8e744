package io.vxswitch.bgp.message;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** The messages of a real FRR 8.4 ↔ GoBGP 3.10 EVPN session (test resource evpn-frr-gobgp-session.txt), by name. */
final class CapturedSession {
    static final Map<String, byte[]> MESSAGES = load();

    private CapturedSession() {
    }

    static byte[] message(String name) {
        byte[] m = MESSAGES.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no captured message " + name + " (have " + MESSAGES.keySet() + ")");
        }
        return m.clone();
    }

    private static Map<String, byte[]> load() {
        try (InputStream in = CapturedSession.class.getResourceAsStream("/evpn-frr-gobgp-session.txt")) {
            Map<String, byte[]> out = new LinkedHashMap<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split(" ");
                out.put(f[0], HexFormat.of().parseHex(f[2]));
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
