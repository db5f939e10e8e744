package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.fdb.FdbVisitor;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.MacAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntFunction;

/**
 * One row of the MAC table as operators see it: local vNIC MACs (known, never learned), static, learned and EVPN
 * entries. Built for display and the API, not on the data path.
 *
 * @param vlan       the entry's VLAN, or {@link #ANY_VLAN} for a vNIC on a trunk port group
 * @param ageSeconds seconds since the MAC was last seen, or -1 for entries that never age
 * @param remote     remote VTEP id of a MAC behind a tunnel port, else {@link Fdb#NO_REMOTE}
 * @param sequence   MAC mobility sequence number of an EVPN entry (RFC 7432 §7.7), else {@link Fdb#NO_SEQUENCE}
 */
public record FdbRow(String port, int vlan, long mac, FdbEntryType type, long ageSeconds, int moves, int remote,
                     long sequence) {
    public static final int ANY_VLAN = -1;

    static List<FdbRow> collect(Switch sw, long now) {
        List<FdbRow> rows = new ArrayList<>();
        sw.fdb().forEachVnic((mac, port) -> {
            Port p = sw.port(port);
            VlanPolicy v = p.portGroup().policy().vlan();
            int shown = switch (v.kind()) {
                case NONE -> 0;
                case ACCESS -> v.accessVlan();
                case TRUNK -> ANY_VLAN;
            };
            rows.add(new FdbRow(p.name(), shown, mac, FdbEntryType.VNIC, -1, 0, Fdb.NO_REMOTE, Fdb.NO_SEQUENCE));
        });
        sw.fdb().forEach(new FdbVisitor() {
            @Override
            public void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote) {
                entry(vlan, mac, port, type, lastSeen, moves, remote, Fdb.NO_SEQUENCE);
            }

            @Override
            public void entry(int vlan, long mac, int port, FdbEntryType type, long lastSeen, int moves, int remote,
                              long sequence) {
                rows.add(new FdbRow(sw.port(port).name(), vlan, mac, type,
                    type == FdbEntryType.LEARNED ? Math.max(0, (now - lastSeen) / 1_000_000_000L) : -1, moves, remote,
                    sequence));
            }
        });
        rows.sort(Comparator.comparing(FdbRow::type).thenComparingInt(FdbRow::vlan).thenComparing(FdbRow::port)
            .thenComparingLong(FdbRow::mac));
        return rows;
    }

    /**
     * Columns as {@code ovs-appctl fdb/show} prints them, plus the entry type, moves, if any EVPN entries their
     * sequence numbers ("Seq"), and if any remote VTEPs.
     */
    static String render(List<FdbRow> rows, IntFunction<String> remoteName) {
        StringBuilder sb = new StringBuilder();
        int w = "port".length();
        int sw = "Seq".length();
        for (FdbRow r : rows) {
            w = Math.max(w, r.port.length());
            sw = Math.max(sw, r.sequence == Fdb.NO_SEQUENCE ? 0 : Long.toString(r.sequence).length());
        }
        boolean remotes = rows.stream().anyMatch(r -> r.remote != Fdb.NO_REMOTE);
        boolean evpn = rows.stream().anyMatch(r -> r.type == FdbEntryType.EVPN);
        String fmt = "%-" + w + "s  %4s  %-17s  %5s  %-7s  %5s  " + (evpn ? "%" + sw + "s  " : "%s") + "%s";
        sb.append(String.format(fmt, "port", "VLAN", "MAC", "Age", "Type", "Moves", evpn ? "Seq" : "",
            remotes ? "Remote VTEP" : "").stripTrailing()).append('\n');
        for (FdbRow r : rows) {
            sb.append(String.format(fmt, r.port, r.vlan == ANY_VLAN ? "any" : Integer.toString(r.vlan),
                MacAddress.format(r.mac), r.ageSeconds < 0 ? "-" : Long.toString(r.ageSeconds), r.type.label(),
                r.moves, r.sequence == Fdb.NO_SEQUENCE || !evpn ? "" : Long.toString(r.sequence),
                r.remote == Fdb.NO_REMOTE ? "" : remoteName.apply(r.remote)).stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return port + " vlan " + vlan + " " + MacAddress.format(mac) + " " + type.label();
    }
}
