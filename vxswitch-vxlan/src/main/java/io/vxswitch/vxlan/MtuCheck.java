package io.vxswitch.vxlan;

import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Refuses an inner frame whose outer packet would not fit the underlay MTU. RFC 7348 §4.3: "VTEPs MUST NOT
 * fragment VXLAN packets", so such a frame is dropped and counted as {@link VxlanDrop#MTU_EXCEEDED}, and a
 * log line (at most one per interval, time injected) says what happened and what to do.
 *
 * <p>The outer IP packet is the inner frame plus 36 bytes (IPv4 20 + UDP 8 + VXLAN 8) or 56 over IPv6, and
 * must be at most the underlay MTU. In VM terms, the VM's MTU must be at most the underlay MTU minus
 * {@link VxlanOverhead#of}: 50 over IPv4, 70 over IPv6, 4 more when its frames keep an 802.1Q tag (the
 * tag is part of the inner frame, so a tagged frame is refused 4 bytes earlier). With the usual underlay
 * MTU of 1500, VMs need MTU 1450; or the underlay gets 1550 or more (jumbo frames).
 *
 * <p>{@link #admit} allocates nothing unless it writes a log line.
 */
public final class MtuCheck {
    public static final long DEFAULT_LOG_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** RFC 791: every IPv4 link carries 68 bytes. */
    public static final int MIN_MTU = 68;

    private final int underlayMtu;
    private final VxlanCounters counters;
    private final Consumer<String> log;
    private final LogLimiter limiter;

    /**
     * @param underlayMtu      MTU of the underlay interface (largest outer IP packet), e.g. 1500
     * @param log              receives the rate-limited explanation lines
     * @param logIntervalNanos at most one line per this many nanoseconds
     */
    public MtuCheck(int underlayMtu, VxlanCounters counters, Consumer<String> log, long logIntervalNanos) {
        if (underlayMtu < MIN_MTU || underlayMtu > 0xFFFF) {
            throw new IllegalArgumentException("underlay MTU " + underlayMtu + " out of range " + MIN_MTU + "..65535");
        }
        this.underlayMtu = underlayMtu;
        this.counters = counters;
        this.log = log;
        this.limiter = new LogLimiter(logIntervalNanos);
    }

    public MtuCheck(int underlayMtu, VxlanCounters counters, Consumer<String> log) {
        this(underlayMtu, counters, log, DEFAULT_LOG_INTERVAL_NANOS);
    }

    public int underlayMtu() {
        return underlayMtu;
    }

    /** The largest inner frame (Ethernet header and any tag included) that fits. */
    public int maxInnerFrame(boolean ipv6) {
        return underlayMtu - VxlanOverhead.outerIpOverInner(ipv6);
    }

    /** The largest VM MTU (inner IP packet) that fits: underlay MTU − 50 / 70, − 4 more if tagged. */
    public static int maxVmMtu(int underlayMtu, boolean ipv6, boolean innerTagged) {
        return underlayMtu - VxlanOverhead.of(ipv6, innerTagged);
    }

    /**
     * True if the inner frame at {@code inner} fits once encapsulated; otherwise counts
     * {@code MTU_EXCEEDED}, maybe logs, and returns false. {@code vni} is only for the log line.
     */
    public boolean admit(MemorySegment s, long inner, int innerLength, int vni, boolean ipv6, long nowNanos) {
        if (innerLength <= maxInnerFrame(ipv6)) {
            return true;
        }
        counters.drop(VxlanDrop.MTU_EXCEEDED);
        if (limiter.tryAcquire(nowNanos)) {
            boolean tagged = innerLength >= Ethernet.HEADER_LENGTH + 4
                && Ethernet.etherType(s, inner) == EtherType.VLAN;
            log.accept(message(innerLength, vni, ipv6, tagged, limiter.takeSuppressed()));
        }
        return false;
    }

    private String message(int innerLength, int vni, boolean ipv6, boolean tagged, long suppressed) {
        int ipPacket = innerLength - Ethernet.HEADER_LENGTH - (tagged ? VxlanOverhead.INNER_TAG : 0);
        int outer = innerLength + VxlanOverhead.outerIpOverInner(ipv6);
        int overhead = VxlanOverhead.of(ipv6, tagged);
        String family = ipv6 ? "IPv6" : "IPv4";
        return "VXLAN: dropped a " + innerLength + "-byte inner frame on VNI " + vni + " (" + ipPacket
            + "-byte IP packet" + (tagged ? ", 802.1Q-tagged" : "") + "): over " + family + " the outer packet is "
            + outer + " bytes, above the underlay MTU " + underlayMtu + ", and VTEPs never fragment (RFC 7348 §4.3)."
            + " Lower the VM's MTU to " + maxVmMtu(underlayMtu, ipv6, tagged) + " (underlay MTU - " + overhead
            + ") or raise the underlay MTU to at least " + (ipPacket + overhead) + "."
            + (suppressed > 0 ? " [" + suppressed + " more such drops since the last message, not logged]" : "");
    }
}
