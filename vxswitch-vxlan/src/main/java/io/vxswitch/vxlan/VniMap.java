package io.vxswitch.vxlan;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.Vxlan;
import org.agrona.collections.Hashing;
import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * Which VLAN of the host switch each VNI carries, both ways: a tunnel port maps VNI ↔ VLAN one to one,
 * and one tunnel endpoint may carry several VNIs. Lookups in either direction allocate nothing.
 *
 * <p>VNIs are 1..16777215 (24 bits, RFC 7348 §5; 0 is left unused, as Linux and most VTEPs do). VLANs
 * are 0..4094: 4095 is reserved (IEEE 802.1Q). Changes are validated and refused with a message saying
 * what clashes; the map is confined to one thread (the switch's), like the FDB.
 */
public final class VniMap {
    public static final int NONE = -1;

    /** What the maps answer for a VNI they do not hold (Agrona's primitive map, no boxing). */
    static final int MISSING = -1;

    private final Int2IntHashMap vlanByVni = new Int2IntHashMap(16, Hashing.DEFAULT_LOAD_FACTOR, MISSING);
    private final int[] vniByVlan = new int[Dot1q.MAX_VID + 1];

    public VniMap() {
        Arrays.fill(vniByVlan, NONE);
    }

    /** A map of {@code vni, vlan, vni, vlan, ...} pairs. */
    public static VniMap of(int... vniVlanPairs) {
        if (vniVlanPairs.length % 2 != 0) {
            throw new IllegalArgumentException("VNI/VLAN pairs expected, got " + vniVlanPairs.length + " numbers");
        }
        VniMap map = new VniMap();
        for (int i = 0; i < vniVlanPairs.length; i += 2) {
            map.add(vniVlanPairs[i], vniVlanPairs[i + 1]);
        }
        return map;
    }

    /**
     * Maps {@code vni} to {@code vlan}.
     *
     * @throws IllegalArgumentException if either is out of range or already mapped
     */
    public void add(int vni, int vlan) {
        checkVni(vni);
        checkVlan(vlan);
        int existingVlan = vlanByVni.get(vni);
        if (existingVlan != MISSING) {
            throw new IllegalArgumentException("duplicate VNI " + vni + ": already mapped to VLAN " + existingVlan
                + " (remove that mapping first; a VNI carries exactly one VLAN)");
        }
        if (vniByVlan[vlan] != NONE) {
            throw new IllegalArgumentException("duplicate VLAN " + vlan + ": already carried by VNI "
                + vniByVlan[vlan] + " (remove that mapping first; a VLAN maps to exactly one VNI)");
        }
        vlanByVni.put(vni, vlan);
        vniByVlan[vlan] = vni;
    }

    /** Removes the mapping of {@code vni}; returns the VLAN it carried, or {@link #NONE}. */
    public int removeVni(int vni) {
        int vlan = vlanByVni.remove(vni);
        if (vlan == MISSING) {
            return NONE;
        }
        vniByVlan[vlan] = NONE;
        return vlan;
    }

    /** The VLAN carried by {@code vni}, or {@link #NONE} (also for any out-of-range value). */
    public int vlanOf(int vni) {
        if (vni < Vxlan.MIN_VNI || vni > Vxlan.MAX_VNI) {
            return NONE;
        }
        int vlan = vlanByVni.get(vni);
        return vlan == MISSING ? NONE : vlan;
    }

    /** The VNI that carries {@code vlan}, or {@link #NONE}. */
    public int vniOf(int vlan) {
        return vlan >= 0 && vlan <= Dot1q.MAX_VID ? vniByVlan[vlan] : NONE;
    }

    public int size() {
        return vlanByVni.size();
    }

    /** The mapped VNIs in ascending order (control plane). */
    public int[] vnis() {
        int[] vnis = keysOf(vlanByVni);
        Arrays.sort(vnis);
        return vnis;
    }

    static void checkVni(int vni) {
        if (!Vxlan.isValidVni(vni)) {
            throw new IllegalArgumentException("VNI " + vni + " out of range: a VNI is 1.." + Vxlan.MAX_VNI
                + " (24 bits, RFC 7348 §5)");
        }
    }

    private static void checkVlan(int vlan) {
        if (vlan < 0 || vlan > Dot1q.MAX_VID) {
            throw new IllegalArgumentException("VLAN " + vlan + " out of range: a VLAN is 0.." + Dot1q.MAX_VID
                + " (4095 is reserved by IEEE 802.1Q)");
        }
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder("VniMap{");
        for (int vni : vnis()) {
            out.append(out.length() > 7 ? ", " : "").append(vni).append("<->").append(vlanOf(vni));
        }
        return out.append('}').toString();
    }

    /** The keys of {@code map}, for listings (not the data path). */
    static int[] keysOf(Int2IntHashMap map) {
        int[] keys = new int[map.size()];
        int[] n = new int[1];
        map.forEachInt((key, value) -> keys[n[0]++] = key);
        return keys;
    }
}
