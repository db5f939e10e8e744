package io.vxswitch.forwarding.fdb;

import io.vxswitch.packet.MacAddress;

import java.util.function.IntPredicate;

import static io.vxswitch.forwarding.fdb.FdbEntries.OWNED;
import static io.vxswitch.forwarding.fdb.FdbEntries.VNIC;
import static io.vxswitch.forwarding.fdb.FdbEntries.VNIC_OWNER;
import static io.vxswitch.forwarding.fdb.FdbEntries.ownerKey;

/**
 * The MACs of local vNICs as entries of the FDB (see the design note in {@link Fdb}): an owner entry per vNIC with
 * a MAC, a direct entry for a vNIC whose port group carries one VLAN, and the {@link FdbEntries#OWNED} mark on the
 * learned and static entries of a vNIC's MAC. Everything here runs under the FDB's write lock, except
 * {@link #destinationIn} and {@link #ownerPort}, which also run inside its optimistic reads.
 */
final class VnicEntries {
    private final FdbEntries entries;
    private final VnicScopes scopes;

    VnicEntries(FdbEntries entries, int maxPorts) {
        this.entries = entries;
        this.scopes = new VnicScopes(maxPorts);
    }

    /**
     * Makes {@code mac} the MAC of the vNIC on {@code port} (replacing the one it had) in the VLANs {@code carries}
     * accepts, or only moves it to those VLANs if it is the vNIC's MAC already.
     */
    void set(int port, long mac, IntPredicate carries) {
        int owner = entries.index.find(ownerKey(mac));
        if (owner != FdbIndex.NONE && entries.ports[owner] != port) {
            throw new IllegalArgumentException("MAC " + MacAddress.format(mac) + " is the MAC of the vNIC on port "
                + entries.ports[owner]);
        }
        removeDirectEntry(port);
        if (owner == FdbIndex.NONE) {
            remove(port);
            entries.allocate(ownerKey(mac), port, Fdb.NO_REMOTE, VNIC_OWNER, 0);
            mark(mac, true);
        }
        scopes.set(port, mac, carries);
        int vlan = scopes.singleVlan(port);
        if (vlan != VnicScopes.SEVERAL) {
            restoreDirectEntry((long) vlan << 48 | mac);
        }
    }

    /** Forgets the vNIC MAC of {@code port}, if it has one: from now on the MAC is learned like any other. */
    void remove(int port) {
        long mac = scopes.mac(port);
        if (mac == VnicScopes.NO_MAC) {
            return;
        }
        removeDirectEntry(port);
        scopes.clear(port);
        entries.free(entries.index.find(ownerKey(mac)));
        mark(mac, false);
    }

    /** The port of the vNIC whose MAC {@code mac} is, or {@link Fdb#NOT_FOUND}. */
    int ownerPort(long mac) {
        if (scopes.withMac() == 0) {
            return Fdb.NOT_FOUND; // no vNIC has a MAC: no probe
        }
        int owner = entries.index.find(ownerKey(mac));
        return owner == FdbIndex.NONE ? Fdb.NOT_FOUND : entries.ports[owner];
    }

    /**
     * The destination ({@code port << 32 | remote}) of the vNIC whose MAC {@code mac} is, if that vNIC is in
     * {@code vlan}; else {@code otherwise}.
     */
    long destinationIn(int vlan, long mac, long otherwise) {
        int port = ownerPort(mac);
        return port != Fdb.NOT_FOUND && scopes.carries(port, vlan)
            ? (long) port << 32 | (Fdb.NO_REMOTE & 0xFFFF_FFFFL) : otherwise;
    }

    /** True while some vNIC carries several VLANs, and so has no direct entry to find it by in each. */
    boolean anyTrunk() {
        return scopes.trunks() > 0;
    }

    /** The mark a new learned or static entry of {@code mac} gets: {@link FdbEntries#OWNED} if a vNIC owns it. */
    byte markFor(long mac) {
        return ownerPort(mac) == Fdb.NOT_FOUND ? 0 : OWNED;
    }

    /**
     * Puts back the direct entry of {@code key} = (vlan, mac) if the vNIC that owns the MAC is in that one VLAN and
     * the key is free: after the marked entry that held the key went, or when a static entry could not take it.
     */
    void restoreDirectEntry(long key) {
        if (entries.index.find(key) != FdbIndex.NONE) {
            return;
        }
        int port = ownerPort(key & FdbEntries.MAC_MASK);
        if (port != Fdb.NOT_FOUND && scopes.singleVlan(port) == (int) (key >>> 48)) {
            entries.allocate(key, port, Fdb.NO_REMOTE, VNIC, 0);
        }
    }

    /** Visits the MAC of every vNIC, in port order. */
    void forEach(Fdb.VnicVisitor visitor) {
        for (int port = 0; port < scopes.ports(); port++) {
            long mac = scopes.mac(port);
            if (mac != VnicScopes.NO_MAC) {
                visitor.vnic(mac, port);
            }
        }
    }

    /** Drops the direct entry of the vNIC on {@code port}, if it has one. */
    private void removeDirectEntry(int port) {
        int vlan = scopes.singleVlan(port);
        if (vlan == VnicScopes.SEVERAL) {
            return;
        }
        int id = entries.index.find((long) vlan << 48 | scopes.mac(port));
        if (id != FdbIndex.NONE && entries.types[id] == VNIC) {
            entries.free(id);
        }
    }

    /** Sets or clears the mark of every learned and static entry of {@code mac}, in any VLAN: a scan of the table. */
    private void mark(long mac, boolean owned) {
        byte[] types = entries.types;
        for (int id = 0; id < entries.highWater(); id++) {
            if (FdbEntries.isMacEntry(types[id]) && (entries.keys[id] & FdbEntries.MAC_MASK) == mac) {
                types[id] = (byte) (owned ? types[id] | OWNED : FdbEntries.base(types[id]));
            }
        }
    }
}
