package io.vxswitch.vxlan;

import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.counters.CounterInstance;
import io.vxswitch.forwarding.counters.CounterRegistry;
import io.vxswitch.packet.offload.UnfinishedChecksum;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A VXLAN tunnel endpoint on a host switch: the far side of one tunnel port, as a model. It holds the tunnel's
 * VNI map, remote VTEPs and flood list, decapsulates, and names the VTEP a packet came from; it neither forwards nor
 * sends. Who may send to it is its {@link AcceptFrom}: by default only remote VTEPs that configuration or a control
 * plane registered; with {@link AcceptFrom#ANY} a new sender is registered on first sight, as the Linux vxlan device
 * learns remote endpoints. Its drivers:
 * <ul>
 * <li>underlay → switch: the lab's {@link TunnelIngress}, or the daemon's forwarding agent, decapsulates with it and
 *     hands the inner frame, its VLAN and its remote VTEP to the switch ({@code forwardFromTunnel}): the FDB learns
 *     the inner source MAC behind that VTEP;</li>
 * <li>switch → underlay: {@link TunnelEgress}, made from this VTEP, sends each copy the switch sends to the tunnel
 *     port to the VTEP the destination was learned behind, or to the VNI's flood list.</li>
 * </ul>
 * The switch learns how to name remote VTEPs, and to forget the MACs behind a removed one, from
 * {@link RemoteVteps#serve}: the wiring code calls it once. Split horizon needs nothing here: the switch never sends a
 * frame from a tunnel back into a tunnel.
 *
 * <p>Counters: the VTEP registers its {@link VxlanCounters} (every loop's) and its remote VTEPs' packet counts in the
 * switch's counter registry, named by the tunnel port, so every reader of the switch's counters sees the tunnel's.
 */
public final class Vtep {
    /** At most one "unknown VTEP" line per loop this often: a spoofing sender must not flood the log. */
    public static final long UNKNOWN_VTEP_LOG_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final int tunnelPort;
    private final int lanes;
    private final VniMap vnis;
    private final RemoteVteps remotes;
    private final FloodList floodList;
    private final VxlanDecapsulator decapsulator;
    private final VxlanCounters counters;
    private final DecapResult decap = new DecapResult();
    /** The forwarding lane (loop) whose packets this VTEP counts: each loop has a VTEP of its own. */
    private final int lane;
    /** Where each loop's VTEP registers its counters, and under what name. */
    private final CounterRegistry registry;
    private final String name;
    private final AcceptFrom acceptFrom;
    /** Where the rate-limited "unknown VTEP" lines go; each loop's VTEP limits its own. */
    private final Consumer<String> log;
    private final LogLimiter unknownLog;
    /** The hint about unfinished inner checksums is given once per tunnel, whichever loop sees one first. */
    private final AtomicBoolean checksumHintGiven;

    /**
     * A VTEP that accepts VXLAN only from the remote VTEPs registered in {@code remotes} ({@link AcceptFrom#KNOWN}),
     * dropping the rest silently but for the counter.
     *
     * @throws IllegalArgumentException the switch has no such tunnel port, or a VNI maps to a VLAN its port group
     *                                  does not carry
     */
    public Vtep(Switch sw, String tunnelPortName, VniMap vnis, RemoteVteps remotes, FloodList floodList,
                VxlanDecapsulator decapsulator, VxlanCounters counters) {
        this(sw, tunnelPortName, vnis, remotes, floodList, decapsulator, counters, AcceptFrom.KNOWN, line -> { });
    }

    /**
     * @param acceptFrom whose VXLAN to take
     * @param log        receives one line per {@link #UNKNOWN_VTEP_LOG_NANOS} (per loop) naming a refused sender
     * @throws IllegalArgumentException the switch has no such tunnel port, or a VNI maps to a VLAN its port group
     *                                  does not carry
     */
    public Vtep(Switch sw, String tunnelPortName, VniMap vnis, RemoteVteps remotes, FloodList floodList,
                VxlanDecapsulator decapsulator, VxlanCounters counters, AcceptFrom acceptFrom, Consumer<String> log) {
        Port p = sw.port(tunnelPortName);
        if (p == null || !p.isTunnel()) {
            throw new IllegalArgumentException("switch '" + sw.name() + "' has no tunnel port '" + tunnelPortName + "'");
        }
        for (int vni : vnis.vnis()) {
            if (!p.portGroup().policy().vlan().carries(vnis.vlanOf(vni))) {
                throw new IllegalArgumentException("VNI " + vni + " maps to VLAN " + vnis.vlanOf(vni)
                    + ", which the port group '" + p.portGroup().name() + "' of tunnel port '" + tunnelPortName
                    + "' does not carry (" + p.portGroup().policy().vlan() + ")");
            }
        }
        this.tunnelPort = p.id();
        this.lanes = sw.options().lanes();
        this.vnis = vnis;
        this.remotes = remotes;
        this.floodList = floodList;
        this.decapsulator = decapsulator;
        this.counters = counters;
        this.lane = 0;
        this.registry = sw.counters();
        this.name = tunnelPortName;
        this.acceptFrom = acceptFrom;
        this.log = log;
        this.unknownLog = new LogLimiter(UNKNOWN_VTEP_LOG_NANOS);
        this.checksumHintGiven = new AtomicBoolean();
        registry.register(counters.set(), CounterInstance.tunnel(name));
        registry.register(remotes.counters(), id -> remotes.contains(id)
            ? CounterInstance.remoteVtep(name, remotes.address(id).toString()) : null);
    }

    /** The same VTEP for forwarding loop {@code lane}: shared VNIs, remote VTEPs and flood lists; counters and
     *  decapsulation state of its own. */
    private Vtep(Vtep first, int lane) {
        this.tunnelPort = first.tunnelPort;
        this.lanes = first.lanes;
        this.vnis = first.vnis;
        this.remotes = first.remotes;
        this.floodList = first.floodList;
        this.counters = new VxlanCounters();
        this.decapsulator = new VxlanDecapsulator(vnis, first.decapsulator.options(), counters);
        this.lane = lane;
        this.registry = first.registry;
        this.name = first.name;
        this.acceptFrom = first.acceptFrom;
        this.log = first.log;
        this.unknownLog = new LogLimiter(UNKNOWN_VTEP_LOG_NANOS);
        this.checksumHintGiven = first.checksumHintGiven;
        registry.register(counters.set(), CounterInstance.tunnel(name)); // read as one with the other loops'
    }

    /**
     * This VTEP as forwarding loop {@code lane} (1 or more) uses it: see {@link #lane}. Its counters are its own,
     * registered under the tunnel's name with the other loops', so the registry reads their sum.
     */
    public Vtep forLane(int lane) {
        if (lane < 1 || lane >= lanes) {
            throw new IllegalArgumentException("lane " + lane + " is not one of the switch's lanes 1-" + (lanes - 1));
        }
        return new Vtep(this, lane);
    }

    /** The forwarding lane (and so the forwarding loop) this VTEP serves; 0 for the one a tunnel port is made with. */
    public int lane() {
        return lane;
    }

    public int tunnelPort() {
        return tunnelPort;
    }

    public VniMap vnis() {
        return vnis;
    }

    public RemoteVteps remotes() {
        return remotes;
    }

    public FloodList floodList() {
        return floodList;
    }

    public VxlanCounters counters() {
        return counters;
    }

    public AcceptFrom acceptFrom() {
        return acceptFrom;
    }

    /**
     * Decapsulates a whole underlay frame (Ethernet/IP/UDP/VXLAN), as the lab or a packet socket delivers it; the
     * inner frame, its VLAN and the outer source are then in {@link #decapsulated()}. Drops are counted.
     */
    public VxlanDrop decapsulateFrame(MemorySegment s, long frame, int length) {
        return decapsulator.decapsulateFrame(s, frame, length, decap);
    }

    /**
     * Decapsulates the UDP payload of {@code length} bytes at {@code payload} without forwarding it: for a port that
     * looks at the inner frame first (to coalesce it with the next ones). The inner frame and its VLAN are then in
     * {@link #decapsulated()}; name its sender with {@link #sourceVtep} and hand it to the switch. Drops are counted.
     */
    public VxlanDrop decapsulate(MemorySegment s, long payload, int length) {
        return decapsulator.decapsulatePayload(s, payload, length, decap);
    }

    /**
     * Looks at the inner frame just decapsulated from remote VTEP {@code remote} (accepted): a TCP or UDP checksum its
     * sender left unfinished ({@link UnfinishedChecksum}) is counted as {@code inner_csum_unfinished}, and the first
     * one of the tunnel is logged with what to change. The frame goes on unchanged. A few loads per packet, no
     * allocation but for the one line.
     */
    public void checkInnerChecksum(MemorySegment s, int remote) {
        if (decap.innerTagged() || !UnfinishedChecksum.test(s, decap.innerOffset(), decap.innerLength())) {
            return;
        }
        counters.countInnerChecksumUnfinished();
        if (!checksumHintGiven.getPlain() && checksumHintGiven.compareAndSet(false, true)) {
            log.accept("VXLAN from " + remotes.address(remote) + " carries TCP/UDP whose checksum its sender left for "
                + "a NIC to finish (CHECKSUM_PARTIAL), and the VM it is for will drop every such frame. A Linux VTEP "
                + "sending over a veth or another device that never finishes checksums does this: on that host turn "
                + "transmit checksum offload off on the underlay interface (ethtool -K ul0 tx off); see docs/config.md,"
                + " \"Interface ports and offloads\". Counted as inner_csum_unfinished; said once.");
        }
    }

    /** What the last {@link #decapsulate} or {@link #decapsulateFrame} found; overwritten by the next call. */
    public DecapResult decapsulated() {
        return decap;
    }

    /**
     * The remote VTEP that sent {@code datagrams} VXLAN packets from {@code (srcHigh, srcLow)} ({@link VtepAddress}
     * form), with the packets counted against it; or {@link RemoteVteps#NONE}, the packets counted as the drop they
     * are: no VTEP can have that address (multicast, unspecified: {@code bad_source_vtep}); it is no VTEP this
     * tunnel knows and it accepts only those ({@code unknown_vtep}, and a line naming the sender at most every
     * {@link #UNKNOWN_VTEP_LOG_NANOS}); or, accepting any sender, a new one finds the table full
     * ({@code too_many_vteps}). With {@link AcceptFrom#ANY} a new sender is registered on its first packet.
     *
     * <p>The data path: one lock-free lookup for a known VTEP; nothing allocated unless a line is logged or a VTEP
     * registered. {@code datagrams} 0 (a probe) counts nothing.
     */
    public int sourceVtep(long srcHigh, long srcLow, int datagrams, long nowNanos) {
        int remote = remotes.idOf(srcHigh, srcLow);
        if (remote == RemoteVteps.NONE) {
            VxlanDrop refused = refusal(srcHigh, srcLow);
            if (refused != VxlanDrop.NONE) {
                if (datagrams > 0) {
                    counters.drop(refused, datagrams);
                    if (refused == VxlanDrop.UNKNOWN_VTEP && unknownLog.tryAcquire(nowNanos)) {
                        logUnknown(srcHigh, srcLow, unknownLog.takeSuppressed());
                    }
                }
                return RemoteVteps.NONE;
            }
            // First packet from this VTEP, accepting any: registering allocates once per VTEP, not per packet.
            remote = remotes.register(new VtepAddress(srcHigh, srcLow));
        }
        if (datagrams > 0) {
            counters.countDecapsulated(datagrams);
            remotes.countRx(lane, remote, datagrams);
        }
        return remote;
    }

    /**
     * Why {@link #sourceVtep} refuses a sender it has no id for: no VTEP can have that address, this tunnel accepts
     * only VTEPs it knows, or every id is in use; {@link VxlanDrop#NONE} if it would register it.
     */
    public VxlanDrop refusal(long srcHigh, long srcLow) {
        if (VtepAddress.isMulticast(srcHigh, srcLow) || VtepAddress.isUnspecified(srcHigh, srcLow)) {
            return VxlanDrop.BAD_SOURCE_VTEP;
        }
        if (acceptFrom == AcceptFrom.KNOWN) {
            return VxlanDrop.UNKNOWN_VTEP;
        }
        return remotes.size() < remotes.capacity() ? VxlanDrop.NONE : VxlanDrop.TOO_MANY_VTEPS;
    }

    private void logUnknown(long srcHigh, long srcLow, long suppressed) {
        log.accept("dropped VXLAN from " + new VtepAddress(srcHigh, srcLow) + ": not a VTEP this tunnel knows (its "
            + "flood list, or the control plane's routes), and it accepts only those (counted as unknown_vtep). If "
            + "it is a VTEP, add it to the tunnel's remotes; to take VXLAN from any sender, set acceptFrom: any."
            + (suppressed > 0 ? " [" + suppressed + " more such drops since the last message, not logged]" : ""));
    }

    public FloodTargets floodTargets(int vni) {
        return floodList.targets(vni);
    }
}
