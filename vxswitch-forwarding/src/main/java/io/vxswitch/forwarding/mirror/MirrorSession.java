package io.vxswitch.forwarding.mirror;

import io.vxswitch.forwarding.policy.VlanRange;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One port mirroring session as configured: which frames it selects (source ports and VLANs, a direction), where the
 * copies go (a local destination port: SPAN; or a remote collector over ERSPAN), and how much of each (truncation,
 * sampling). vSphere calls it a
 * {@code VMwareVspanSession}, Open vSwitch a {@code Mirror}. A value: the switch keeps the state that goes with it
 * (counters, the resolved port ids) in a {@link io.vxswitch.forwarding.Mirror}.
 *
 * @param sourcePorts     port names whose frames are copied (may name ports not added yet: they join when added)
 * @param sourceVlans     VLANs whose frames are copied, whatever port they use
 * @param destinationPort the SPAN destination: a vNIC port that takes mirrored copies and nothing else; null for an
 *                        ERSPAN session
 * @param erspan          the ERSPAN destination: a collector on the underlay; null for a SPAN session
 * @param truncate        bytes of each copy kept (0: whole frames); at least {@link #MIN_TRUNCATE}
 * @param sample          one frame in {@code sample} is copied (1: every frame)
 */
public record MirrorSession(String name, List<String> sourcePorts, List<VlanRange> sourceVlans,
                            MirrorDirection direction, String destinationPort, ErspanDestination erspan, int truncate,
                            int sample) {
    /**
     * The shortest truncation: a minimum Ethernet frame without its FCS, so a copy always keeps its whole header
     * (with an 802.1Q tag) and an analyzer never sees a runt.
     */
    public static final int MIN_TRUNCATE = 60;
    /** Longest frame the switch carries (a TCP super-frame from a tap with offloads). */
    public static final int MAX_TRUNCATE = 65_535;
    /** A name that is safe in a URL path, a Prometheus label and a file. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    public MirrorSession {
        Objects.requireNonNull(direction, "mirror direction");
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("mirror session name '" + name + "': use 1-63 letters, digits, '.', '_'"
                + " or '-', starting with a letter or digit");
        }
        sourcePorts = List.copyOf(new LinkedHashSet<>(sourcePorts));
        sourceVlans = List.copyOf(sourceVlans);
        if (sourcePorts.isEmpty() && sourceVlans.isEmpty()) {
            throw new IllegalArgumentException("mirror session '" + name + "' has no source: give source ports,"
                + " source VLANs or both");
        }
        if ((destinationPort == null || destinationPort.isBlank()) && erspan == null) {
            throw new IllegalArgumentException("mirror session '" + name + "' has no destination: give the port that"
                + " receives the copies, or an ERSPAN collector");
        }
        if (destinationPort != null && erspan != null) {
            throw new IllegalArgumentException("mirror session '" + name + "' has two destinations, port '"
                + destinationPort + "' and " + erspan.describe() + ": a session sends to one, give either");
        }
        if (destinationPort != null && sourcePorts.contains(destinationPort)) {
            throw new IllegalArgumentException("mirror session '" + name + "': port '" + destinationPort
                + "' is both a source and the destination; a destination is never a source (its copies would be"
                + " mirrored again): pick another destination port");
        }
        if (truncate != 0 && (truncate < MIN_TRUNCATE || truncate > MAX_TRUNCATE)) {
            throw new IllegalArgumentException("mirror session '" + name + "': truncate " + truncate + " is out of range:"
                + " give " + MIN_TRUNCATE + "-" + MAX_TRUNCATE + " bytes, or leave it out for whole frames");
        }
        if (sample < 1) {
            throw new IllegalArgumentException("mirror session '" + name + "': sample " + sample + " is out of range:"
                + " give N >= 1 to copy one frame in N, or leave it out for every frame");
        }
    }

    /** A SPAN session: copies to a local port. */
    public MirrorSession(String name, List<String> sourcePorts, List<VlanRange> sourceVlans,
                         MirrorDirection direction, String destinationPort, int truncate, int sample) {
        this(name, sourcePorts, sourceVlans, direction, destinationPort, null, truncate, sample);
    }

    /** A session copying every frame whole to a local port. */
    public static MirrorSession span(String name, List<String> sourcePorts, List<VlanRange> sourceVlans,
                                     MirrorDirection direction, String destinationPort) {
        return new MirrorSession(name, sourcePorts, sourceVlans, direction, destinationPort, null, 0, 1);
    }

    /** A session copying every frame whole to an ERSPAN collector. */
    public static MirrorSession erspan(String name, List<String> sourcePorts, List<VlanRange> sourceVlans,
                                       MirrorDirection direction, ErspanDestination erspan) {
        return new MirrorSession(name, sourcePorts, sourceVlans, direction, null, erspan, 0, 1);
    }

    public MirrorSession withTruncate(int bytes) {
        return new MirrorSession(name, sourcePorts, sourceVlans, direction, destinationPort, erspan, bytes, sample);
    }

    public MirrorSession withSample(int n) {
        return new MirrorSession(name, sourcePorts, sourceVlans, direction, destinationPort, erspan, truncate, n);
    }

    /** True if the copies go to a collector over ERSPAN, not to a local port. */
    public boolean remote() {
        return erspan != null;
    }

    /** Where the copies go, in words: {@code port analyzer}, {@code erspan type II to 198.51.100.2 session 1}. */
    public String destinationLabel() {
        return erspan != null ? erspan.describe() : "port " + destinationPort;
    }

    /**
     * Why this session cannot run beside {@code o}, or null: a destination that is the other's source or destination
     * (copies would be mirrored again, or two sessions' copies mixed on one analyzer port), or a source that is the
     * other's destination.
     */
    public String conflictWith(MirrorSession o) {
        if (erspan != null && o.erspan != null && erspan.remote().equals(o.erspan.remote())
                && erspan.sessionId() == o.erspan.sessionId()) {
            return "mirror session '" + name + "': ERSPAN session ID " + erspan.sessionId() + " to "
                + erspan.remote().getHostAddress() + " is already used by session '" + o.name + "'; the collector"
                + " tells sessions apart by it: give each its own sessionId";
        }
        if (destinationPort == null) {
            return o.destinationPort != null && sourcePorts.contains(o.destinationPort) ? "mirror session '" + name
                + "': port '" + o.destinationPort + "' is the destination of session '" + o.name + "' and cannot be a"
                + " source: mirrored copies are never mirrored again" : null;
        }
        if (destinationPort.equals(o.destinationPort)) {
            return "mirror session '" + name + "': port '" + destinationPort + "' is already the destination of session '"
                + o.name + "'; give each session its own destination port";
        }
        if (o.sourcePorts.contains(destinationPort)) {
            return "mirror session '" + name + "': port '" + destinationPort + "' is a source of session '" + o.name
                + "'; a destination is never a source: pick another destination port";
        }
        if (o.destinationPort != null && sourcePorts.contains(o.destinationPort)) {
            return "mirror session '" + name + "': port '" + o.destinationPort + "' is the destination of session '"
                + o.name + "' and cannot be a source: mirrored copies are never mirrored again";
        }
        return null;
    }

    /** True if {@code vlan} is one of the source VLANs. */
    public boolean hasSourceVlan(int vlan) {
        for (VlanRange r : sourceVlans) {
            if (vlan >= r.first() && vlan <= r.last()) {
                return true;
            }
        }
        return false;
    }
}
