package io.vxswitch.ipfix;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The {@code ipfix} block of the config: where flows go and how they are cut. Times in nanoseconds.
 *
 * @param collectors        UDP collectors, each sent every message
 * @param observationDomain RFC 7011's observation domain id, which tells this switch's records from others' at a
 *                          collector shared by many hosts
 * @param sampling          one frame in N is observed (1: all)
 * @param activeTimeout     a flow still running is reported after this long
 * @param idleTimeout       a flow without a frame for this long is over
 * @param cacheEntries      the most flows kept at once; beyond, the least recently seen is reported early
 * @param templateRefresh   how often the templates are sent again (RFC 7011 §8.4: over UDP they must be resent)
 */
public record IpfixOptions(List<InetSocketAddress> collectors, long observationDomain, int sampling,
                           long activeTimeout, long idleTimeout, int cacheEntries, long templateRefresh) {
    public static final int DEFAULT_PORT = 4739;
    public static final long SECOND = 1_000_000_000L;
    public static final long DEFAULT_ACTIVE_TIMEOUT = 60 * SECOND;
    public static final long DEFAULT_IDLE_TIMEOUT = 15 * SECOND;
    public static final int DEFAULT_CACHE_ENTRIES = 65_536;
    /** RFC 7011 §10.3.6 gives no number; 600 s is the templateRefreshTimeout of RFC 6615's MIB and common exporters. */
    public static final long DEFAULT_TEMPLATE_REFRESH = 600 * SECOND;

    public IpfixOptions {
        collectors = List.copyOf(collectors);
    }

    /** A collector as the config writes it: {@code 192.0.2.2:4739}, {@code [2001:db8::2]:4739}. */
    public static String text(InetSocketAddress c) {
        String host = c.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + c.getPort();
    }

    /** One line for the start-up log and reloads. */
    public String brief() {
        return "collectors " + collectors.stream().map(IpfixOptions::text).toList()
            + ", observation domain " + observationDomain + ", sampling 1 in " + sampling + ", active timeout "
            + activeTimeout / SECOND + " s, idle timeout " + idleTimeout / SECOND + " s, cache " + cacheEntries
            + " flows, templates every " + templateRefresh / SECOND + " s";
    }
}
