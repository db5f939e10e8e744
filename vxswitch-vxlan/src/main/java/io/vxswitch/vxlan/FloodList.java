package io.vxswitch.vxlan;

import org.agrona.collections.Hashing;
import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * Per VNI, where BUM traffic goes: a static list of remote VTEPs that each get a unicast copy (head-end
 * replication), or an underlay multicast group instead (RFC 7348 §4.2), never both. Peers are IPv4 or IPv6
 * addresses registered in {@link RemoteVteps}; removing a VTEP there removes it from every list here.
 * {@link #targets} is the data-path lookup and allocates nothing. One list serves every forwarding loop's VTEP
 * ({@link Vtep#forLane}), whose {@link TunnelEgress} reads it without a lock: change it only as the switch itself is
 * changed, from one thread while no loop forwards.
 *
 * <p>Of a static tunnel the flood list is the only thing that names remote VTEPs ({@link #ofStaticTunnel}): a VTEP that
 * leaves the last list goes from the registry too, with the MACs learned behind it, so a tunnel that accepts only
 * known VTEPs ({@link AcceptFrom#KNOWN}) stops taking its packets. Where a control plane also names VTEPs (EVPN: the
 * VTEP of a remote MAC) it decides when a VTEP goes, and the flood list leaves it registered.
 */
public final class FloodList {
    private final RemoteVteps vteps;
    /** True: a VTEP no list names any more is removed from {@link #vteps}. */
    private final boolean forgetsUnlisted;
    private final Int2IntHashMap slotByVni = new Int2IntHashMap(16, Hashing.DEFAULT_LOAD_FACTOR, VniMap.MISSING);
    private FloodTargets[] slots = new FloodTargets[16];

    /** A flood list beside a control plane, which registers and removes VTEPs itself. */
    public FloodList(RemoteVteps vteps) {
        this(vteps, false);
    }

    private FloodList(RemoteVteps vteps, boolean forgetsUnlisted) {
        this.vteps = vteps;
        this.forgetsUnlisted = forgetsUnlisted;
        vteps.onRemove(this::forget);
    }

    /** The flood list of a static tunnel, its only source of known VTEPs: removing a VTEP from every list forgets it. */
    public static FloodList ofStaticTunnel(RemoteVteps vteps) {
        return new FloodList(vteps, true);
    }

    /**
     * Adds {@code remote} to the head-end replication list of {@code vni}; returns its VTEP id. Adding a
     * peer twice keeps one copy. A refused peer changes nothing.
     *
     * @throws IllegalStateException if the VNI floods to a multicast group, or every remote VTEP id is in use
     * @throws IllegalArgumentException for a bad VNI or a non-unicast address
     */
    public int add(int vni, VtepAddress remote) {
        VniMap.checkVni(vni);
        FloodTargets t = targets(vni);
        if (t.mode() == FloodMode.MULTICAST) {
            throw new IllegalStateException("VNI " + vni + " floods to multicast group " + t.group()
                + "; clear the group before adding head-end replication peer " + remote);
        }
        int id = vteps.register(remote); // refuses before the VNI gets a list
        targetsOrCreate(vni).add(id);
        return id;
    }

    /**
     * Removes {@code remote} from the list of {@code vni}; true if it was there. The VTEP stays registered, but for a
     * {@link #ofStaticTunnel static tunnel}'s once no list names it.
     */
    public boolean remove(int vni, VtepAddress remote) {
        int id = vteps.idOf(remote);
        FloodTargets t = targets(vni);
        boolean removed = id != RemoteVteps.NONE && t != FloodTargets.EMPTY && t.remove(id);
        if (removed && forgetsUnlisted && !lists(id)) {
            vteps.remove(remote);
        }
        return removed;
    }

    /** True if some VNI's list has VTEP {@code id}. */
    public boolean lists(int id) {
        for (FloodTargets t : slots) {
            if (t != null && t.contains(id)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Floods {@code vni} to the multicast {@code group} instead of unicast copies.
     *
     * @throws IllegalArgumentException if {@code group} is not multicast
     * @throws IllegalStateException if the VNI still has head-end replication peers
     */
    public void useMulticastGroup(int vni, VtepAddress group) {
        VniMap.checkVni(vni);
        if (!group.isMulticast()) {
            throw new IllegalArgumentException("flood group " + group + " for VNI " + vni
                + " is not a multicast address (IPv4 224.0.0.0/4 or IPv6 ff00::/8)");
        }
        FloodTargets t = targetsOrCreate(vni);
        if (t.size() > 0) {
            throw new IllegalStateException("VNI " + vni + " has " + t.size() + " head-end replication peer(s); "
                + "remove them before flooding to multicast group " + group);
        }
        t.group(group.high(), group.low());
    }

    public void clearMulticastGroup(int vni) {
        FloodTargets t = targets(vni);
        if (t != FloodTargets.EMPTY) {
            t.clearGroup();
        }
    }

    /** Forgets everything about {@code vni}. */
    public void removeVni(int vni) {
        int slot = slotByVni.remove(vni);
        if (slot != VniMap.MISSING) {
            slots[slot] = null;
        }
    }

    /** Where {@code vni} floods; an empty {@link FloodMode#NONE} target for an unknown VNI. No allocation. */
    public FloodTargets targets(int vni) {
        int slot = slotByVni.get(vni);
        return slot == VniMap.MISSING ? FloodTargets.EMPTY : slots[slot];
    }

    /** VNIs with a flood configuration, ascending (control plane). */
    public int[] vnis() {
        int[] vnis = VniMap.keysOf(slotByVni);
        Arrays.sort(vnis);
        return vnis;
    }

    private FloodTargets targetsOrCreate(int vni) {
        int slot = slotByVni.get(vni);
        if (slot != VniMap.MISSING) {
            return slots[slot];
        }
        slot = 0;
        while (slot < slots.length && slots[slot] != null) {
            slot++;
        }
        if (slot == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[slot] = new FloodTargets(vni);
        slotByVni.put(vni, slot);
        return slots[slot];
    }

    private void forget(int vtepId) {
        for (FloodTargets t : slots) {
            if (t != null) {
                t.remove(vtepId);
            }
        }
    }
}
