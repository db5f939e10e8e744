package io.vxswitch.mgmt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vxswitch.fuzz.FuzzInput;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The API fuzz target's requests, made from its input: a route byte, then either raw text or a JSON object built from
 * the route's own keys with values from the input (strings, numbers, null, nesting), so the fuzzer reaches past
 * Jackson into the route's checks. Apart from the target so that {@code InMemoryHttpTest} can send the committed
 * corpus's very requests both ways.
 */
final class ApiFuzzRequests {
    /** One request: the path under {@code /api/v1}, percent-encoded; the body null for none. */
    record Request(String method, String path, String body) {
        /** How a failure names it. */
        @Override
        public String toString() {
            return method + " " + path + (body == null ? "" : " " + body);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TRACE_KEYS = {"port", "src", "dst", "vlan", "ethertype", "srcIp", "dstIp", "hex"};
    private static final String[] PEER_KEYS = {"vni", "remote"};
    private static final String[] STATIC_KEYS = {"vlan", "mac", "port"};
    private static final String[] GROUP_KEYS = {"name", "vlan", "security", "macLearning"};
    private static final String[] WORDS = {"vm1", "vm2", "nested", "uplink1", "vx119", "vlan119", "nested",
        "00:50:56:00:00:01", "02:00:00:00:00:09", "ff:ff:ff:ff:ff:ff", "01:00:5e:00:00:01", "192.0.2.3", "2001:db8::3",
        "224.0.0.1", "0.0.0.0", "arp", "ipv4", "0x88cc", "0x8100", "119", "4094", "4095", "-1", "0",
        "ffffffffffff005056000001080600010800060400010050560000010a0000010000000000000a000002", "accept", "trunk"};

    private ApiFuzzRequests() {
    }

    static Request next(FuzzInput in) {
        int route = in.consumeByte() % 10;
        return switch (route) {
            case 0 -> new Request("POST", "/trace", body(in, TRACE_KEYS));
            case 1 -> {
                String path = "/tunnels/" + segment(in) + "/flood-list";
                yield new Request("POST", path, body(in, PEER_KEYS));
            }
            case 2 -> new Request("DELETE", "/tunnels/vx119/flood-list?" + query(in, "vni", "remote"), null);
            case 3 -> new Request("POST", "/fdb/static", body(in, STATIC_KEYS));
            case 4 -> new Request("DELETE", "/fdb/static?" + query(in, "vlan", "mac"), null);
            case 5 -> {
                String path = "/port-groups/" + segment(in);
                yield new Request("PUT", path, body(in, GROUP_KEYS));
            }
            case 6 -> new Request("GET", "/fdb?" + query(in, "vlan", "port", "mac"), null);
            case 7 -> new Request("POST", "/fdb/flush?" + query(in, "vlan", "port", "mac"), null);
            case 8 -> new Request("GET", "/ports/" + segment(in), null);
            default -> new Request("GET", "/evpn/routes?" + query(in, "vni", "type"), null);
        };
    }

    /** Raw text, or a JSON object of the route's keys with values from the input. */
    private static String body(FuzzInput in, String[] keys) {
        if (in.consumeBoolean()) {
            return text(in);
        }
        Map<String, Object> object = new LinkedHashMap<>();
        for (String key : keys) {
            if (in.consumeBoolean()) {
                object.put(key, value(in, 0));
            }
        }
        try {
            return JSON.writeValueAsString(object);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("strings, numbers, booleans, null, maps and lists write as JSON: " + e, e);
        }
    }

    private static Object value(FuzzInput in, int depth) {
        return switch (in.consumeByte() % (depth < 2 ? 7 : 5)) {
            case 0 -> word(in);
            case 1 -> text(in);
            case 2 -> in.consumeInt();
            case 3 -> null;
            case 4 -> in.consumeBoolean();
            case 5 -> java.util.Collections.singletonMap(WORDS[in.consumeByte() % WORDS.length], value(in, depth + 1));
            default -> java.util.Collections.singletonList(value(in, depth + 1)); // null included: List.of refuses it
        };
    }

    private static String query(FuzzInput in, String... names) {
        StringBuilder q = new StringBuilder();
        for (String name : names) {
            if (in.consumeBoolean()) {
                Object v = in.consumeBoolean() ? word(in) : text(in);
                q.append(q.isEmpty() ? "" : "&").append(name).append('=')
                    .append(URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private static String segment(FuzzInput in) {
        String name = in.consumeBoolean() ? word(in) : text(in);
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * A value a route understands: a known name or address, or one of many distinct valid ones (MACs, IPv4 addresses,
     * VLANs), so that a few requests can fill a table.
     */
    private static String word(FuzzInput in) {
        int n = in.consumeByte();
        return switch (in.consumeByte() % 4) {
            case 0 -> String.format("02:00:00:00:%02x:%02x", n, in.consumeByte());
            case 1 -> "192.0.2." + n;
            case 2 -> Integer.toString(in.consumeInt(0, 4095));
            default -> WORDS[n % WORDS.length];
        };
    }

    /** A length-prefixed string of the input's bytes. */
    private static String text(FuzzInput in) {
        return new String(in.consumeBytes(in.consumeInt(0, 255)), StandardCharsets.UTF_8);
    }
}
