package io.vxswitch.app.daemon;

import io.vxswitch.config.Values;
import io.vxswitch.config.YamlValue;
import io.vxswitch.config.YamlValue.YamlMap;
import io.vxswitch.ipfix.IpfixOptions;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The config's {@code ipfix} block (docs/config.md, "IPFIX flow export"):
 * <pre>
 * ipfix:
 *   collectors: [192.0.2.2:4739]   # one or more, ADDRESS[:PORT] ([ADDRESS]:PORT for IPv6), port 4739 if left out
 *   observationDomain: 1
 *   sampling: 1                    # one frame in N
 *   activeTimeout: 60s
 *   idleTimeout: 15s
 *   cacheEntries: 65536
 *   templateRefresh: 600s
 * </pre>
 */
final class IpfixConfigParser {
    private static final List<String> KEYS = List.of("collectors", "observationDomain", "sampling", "activeTimeout",
        "idleTimeout", "cacheEntries", "templateRefresh");
    static final int MAX_SAMPLING = 1 << 24;
    static final int MAX_CACHE_ENTRIES = 1 << 22;
    private static final long MAX_TIMEOUT = 86_400 * IpfixOptions.SECOND;

    private IpfixConfigParser() {
    }

    /** The block, or null when the config has none (no flow export). */
    static IpfixOptions parse(Optional<YamlValue> block) {
        if (block.isEmpty()) {
            return null;
        }
        YamlMap m = Values.map(block.get(), "ipfix");
        m.allowOnly("ipfix", KEYS);
        YamlValue listValue = m.require("collectors", "ipfix (where flows go, like collectors: [192.0.2.2:4739])");
        List<InetSocketAddress> collectors = new ArrayList<>();
        for (YamlValue c : Values.list(listValue, "ipfix.collectors")) {
            InetSocketAddress a = collector(c);
            if (collectors.contains(a)) {
                throw c.where().error("ipfix.collectors: " + Values.text(c, "a collector") + " is listed twice");
            }
            collectors.add(a);
        }
        if (collectors.isEmpty()) {
            throw listValue.where().error("ipfix.collectors is empty: name at least one collector, or remove the ipfix"
                + " block to turn flow export off");
        }
        long domain = m.get("observationDomain").map(IpfixConfigParser::domain).orElse(0L);
        int sampling = m.get("sampling").map(v -> Values.integer(v, "ipfix.sampling (one frame in N)", 1, MAX_SAMPLING))
            .orElse(1);
        long active = m.get("activeTimeout").map(v -> seconds(v, "ipfix.activeTimeout"))
            .orElse(IpfixOptions.DEFAULT_ACTIVE_TIMEOUT);
        long idle = m.get("idleTimeout").map(v -> seconds(v, "ipfix.idleTimeout"))
            .orElse(IpfixOptions.DEFAULT_IDLE_TIMEOUT);
        if (idle > active) { // said where the one written is: the other may be the default
            YamlValue at = m.get("idleTimeout").or(() -> m.get("activeTimeout")).orElseThrow();
            throw at.where().error("ipfix.idleTimeout (" + idle / IpfixOptions.SECOND + " s) is longer than"
                + " activeTimeout (" + active / IpfixOptions.SECOND + " s): every flow would be reported as active"
                + " before it could be idle; make idleTimeout the shorter");
        }
        int entries = m.get("cacheEntries").map(v -> Values.integer(v, "ipfix.cacheEntries", 1, MAX_CACHE_ENTRIES))
            .orElse(IpfixOptions.DEFAULT_CACHE_ENTRIES);
        long refresh = m.get("templateRefresh").map(v -> seconds(v, "ipfix.templateRefresh"))
            .orElse(IpfixOptions.DEFAULT_TEMPLATE_REFRESH);
        return new IpfixOptions(collectors, domain, sampling, active, idle, entries, refresh);
    }

    /** A collector's address: an IP literal (no name lookups at reload time) and a UDP port, 4739 by default. */
    private static InetSocketAddress collector(YamlValue v) {
        String text = Values.text(v, "ipfix.collectors");
        String host = text;
        int port = IpfixOptions.DEFAULT_PORT;
        if (text.startsWith("[")) {
            int end = text.indexOf(']');
            host = end < 0 ? "" : text.substring(1, end);
            String rest = end < 0 ? "" : text.substring(end + 1);
            if (!rest.isEmpty()) {
                port = port(v, text, rest.startsWith(":") ? rest.substring(1) : rest);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = port(v, text, text.substring(text.indexOf(':') + 1));
        }
        try {
            InetAddress a = InetAddress.ofLiteral(host);
            if (a.isAnyLocalAddress() || a.isMulticastAddress()) {
                throw v.where().error("ipfix.collectors: " + text + " is not a collector's unicast address");
            }
            return new InetSocketAddress(a, port);
        } catch (IllegalArgumentException e) {
            throw v.where().error("ipfix.collectors: '" + text + "' is not ADDRESS[:PORT] with an IP address, like"
                + " 192.0.2.2:4739 or [2001:db8::2]:4739");
        }
    }

    private static int port(YamlValue v, String text, String port) {
        try {
            int p = Integer.parseInt(port);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw v.where().error("ipfix.collectors: the port of '" + text + "' must be 1 to 65535 (IPFIX's is 4739)");
    }

    private static long domain(YamlValue v) {
        String t = Values.text(v, "ipfix.observationDomain");
        try {
            long d = Long.parseLong(t);
            if (d >= 0 && d <= 0xFFFFFFFFL) {
                return d;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw v.where().error("ipfix.observationDomain must be a whole number from 0 to 4294967295 (32 bits), got '"
            + t + "'");
    }

    /** A timeout in whole seconds from 1 s to a day: IPFIX times are milliseconds, but expiry runs every 0.1 s. */
    private static long seconds(YamlValue v, String what) {
        long nanos = Values.durationNanos(v, what);
        if (nanos < IpfixOptions.SECOND || nanos > MAX_TIMEOUT || nanos % IpfixOptions.SECOND != 0) {
            throw v.where().error(what + " must be whole seconds from 1s to 86400s, like 60s, got '"
                + Values.text(v, what) + "'");
        }
        return nanos;
    }
}
