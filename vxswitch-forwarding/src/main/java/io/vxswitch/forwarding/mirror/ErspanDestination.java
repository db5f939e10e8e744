package io.vxswitch.forwarding.mirror;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * A remote mirror destination: a collector reached over the underlay with ERSPAN (GRE), as Cisco's ERSPAN source
 * sessions, vSphere's "Encapsulated Remote Mirroring (L3) Source" and an Open vSwitch mirror whose output is an
 * {@code erspan} port send to it. The switch sends each copy as an IP packet from this host to {@code remote}: GRE
 * with a sequence number, an ERSPAN header naming the session, and the copy.
 *
 * @param remote     the collector's address, IPv4 or IPv6
 * @param local      the source address of the packets (a local address of that family), or null for the one the
 *                   route to {@code remote} gives
 * @param sessionId  ERSPAN session ID, 1-1023: what the collector tells sessions apart by (Open vSwitch's
 *                   {@code options:key}, Linux's {@code key})
 * @param type       2 for ERSPAN type II (header version 1: Open vSwitch's and Linux's {@code erspan_ver 1}, their
 *                   default, and what most collectors take) or 3 for type III (version 2: a timestamp, the direction
 *                   and a hardware ID)
 * @param dscp       DSCP of the outer IP header, 0-63
 * @param ttl        TTL (hop limit) of the outer IP header, 1-255, or 0 for the system's default
 * @param index      type II's 20-bit index field, 0-1048575 (what Linux calls {@code erspan}, Open vSwitch
 *                   {@code erspan_idx})
 * @param hardwareId type III's 6-bit hardware ID, 0-63 ({@code erspan_hwid})
 */
public record ErspanDestination(InetAddress remote, InetAddress local, int sessionId, int type, int dscp, int ttl,
                                int index, int hardwareId) {
    public static final int TYPE_II = 2;
    public static final int TYPE_III = 3;
    /** What a session without {@code version} sends: type II, the one every ERSPAN collector decodes. */
    public static final int DEFAULT_TYPE = TYPE_II;
    public static final int MIN_SESSION_ID = 1;
    public static final int MAX_SESSION_ID = 1023;

    public ErspanDestination {
        Objects.requireNonNull(remote, "ERSPAN remote");
        if (remote.isAnyLocalAddress() || remote.isMulticastAddress()) {
            throw new IllegalArgumentException("ERSPAN remote " + remote.getHostAddress() + " is not a unicast address:"
                + " give the collector's address");
        }
        if (local != null && (local instanceof Inet4Address) != (remote instanceof Inet4Address)) {
            throw new IllegalArgumentException("ERSPAN local " + local.getHostAddress() + " and remote "
                + remote.getHostAddress() + " are of different IP versions: give both IPv4 or both IPv6");
        }
        if (sessionId < MIN_SESSION_ID || sessionId > MAX_SESSION_ID) {
            throw new IllegalArgumentException("ERSPAN session ID " + sessionId + " is out of range: give "
                + MIN_SESSION_ID + "-" + MAX_SESSION_ID);
        }
        if (type != TYPE_II && type != TYPE_III) {
            throw new IllegalArgumentException("ERSPAN version " + type + ": give 2 (type II) or 3 (type III)");
        }
        if (dscp < 0 || dscp > 63) {
            throw new IllegalArgumentException("ERSPAN dscp " + dscp + " is out of range: give 0-63");
        }
        if (ttl < 0 || ttl > 255) {
            throw new IllegalArgumentException("ERSPAN ttl " + ttl + " is out of range: give 1-255, or leave it out");
        }
        if (index < 0 || index > 0xF_FFFF) {
            throw new IllegalArgumentException("ERSPAN index " + index + " is out of range: give 0-1048575");
        }
        if (index != 0 && type != TYPE_II) {
            throw new IllegalArgumentException("ERSPAN index is a type II field: leave it out, or send version 2");
        }
        if (hardwareId < 0 || hardwareId > 63) {
            throw new IllegalArgumentException("ERSPAN hardwareId " + hardwareId + " is out of range: give 0-63");
        }
        if (hardwareId != 0 && type != TYPE_III) {
            throw new IllegalArgumentException("ERSPAN hardwareId is a type III field: leave it out, or send version 3");
        }
    }

    /** Type II to {@code remote} from the route's address, default DSCP and TTL. */
    public static ErspanDestination typeII(InetAddress remote, int sessionId) {
        return new ErspanDestination(remote, null, sessionId, TYPE_II, 0, 0, 0, 0);
    }

    /**
     * An address as config and the API write it: an IPv4 or IPv6 literal, never a name (no DNS lookup on a config
     * reload).
     *
     * @throws IllegalArgumentException not a literal address
     */
    public static InetAddress parseAddress(String text, String what) {
        try {
            return InetAddress.ofLiteral(text.trim());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(what + " '" + text + "' is not an IP address: give an IPv4 or IPv6"
                + " address like 198.51.100.2 or 2001:db8::2");
        }
    }

    public boolean ipv4() {
        return remote instanceof Inet4Address;
    }

    /** "type II" or "type III". */
    public String typeName() {
        return type == TYPE_II ? "type II" : "type III";
    }

    /** One line: {@code erspan type II to 198.51.100.2 session 1 (from 198.51.100.1, dscp 10, ttl 32)}. */
    public String describe() {
        StringBuilder b = new StringBuilder("erspan ").append(typeName()).append(" to ").append(remote.getHostAddress())
            .append(" session ").append(sessionId);
        StringBuilder extra = new StringBuilder();
        if (local != null) {
            extra.append("from ").append(local.getHostAddress());
        }
        if (dscp != 0) {
            extra.append(extra.isEmpty() ? "" : ", ").append("dscp ").append(dscp);
        }
        if (ttl != 0) {
            extra.append(extra.isEmpty() ? "" : ", ").append("ttl ").append(ttl);
        }
        if (index != 0) {
            extra.append(extra.isEmpty() ? "" : ", ").append("index ").append(index);
        }
        if (hardwareId != 0) {
            extra.append(extra.isEmpty() ? "" : ", ").append("hardware ID ").append(hardwareId);
        }
        return extra.isEmpty() ? b.toString() : b.append(" (").append(extra).append(')').toString();
    }
}
