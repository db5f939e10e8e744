package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.FdbEntryType;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.packet.MacAddress;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One row of the MAC table as operators see it: local vNIC MACs (known, never learned), static and
 * learned entries. Built for display and the API, not on the data path.
 *
 * @param vlan       the entry's VLAN, or {@link #ANY_VLAN} for a vNIC on a trunk port group
 * @param ageSeconds seconds since the MAC was last seen, or -1 for entries that never age
 */
public record FdbRow(String port, int vlan, long mac, FdbEntryType type, long ageSeconds, int moves) {
    public static final int ANY_VLAN = -1;

    static List<FdbRow> collect(Switch sw, Fdb vnicMacs, long now) {
        List<FdbRow> rows = new ArrayList<>();
        vnicMacs.forEach((vlan, mac, port, type, lastSeen, moves) -> {
            Port p = sw.port(port);
            VlanPolicy v = p.portGroup().policy().vlan();
            int shown = switch (v.kind()) {
                case NONE -> 0;
                case ACCESS -> v.accessVlan();
                case TRUNK -> ANY_VLAN;
            };
            rows.add(new FdbRow(p.name(), shown, mac, FdbEntryType.VNIC, -1, 0));
        });
        sw.fdb().forEach((vlan, mac, port, type, lastSeen, moves) -> rows.add(new FdbRow(sw.port(port).name(), vlan,
            mac, type, type == FdbEntryType.LEARNED ? Math.max(0, (now - lastSeen) / 1_000_000_000L) : -1, moves)));
        rows.sort(Comparator.comparing(FdbRow::type).thenComparingInt(FdbRow::vlan).thenComparing(FdbRow::port)
            .thenComparingLong(FdbRow::mac));
        return rows;
    }

    /** Columns as {@code ovs-appctl fdb/show} prints them, plus the entry type and moves. */
    static String render(List<FdbRow> rows) {
        StringBuilder sb = new StringBuilder();
        int w = "port".length();
        for (FdbRow r : rows) {
            w = Math.max(w, r.port.length());
        }
        String fmt = "%-" + w + "s  %4s  %-17s  %5s  %-7s  %s%n";
        sb.append(String.format(fmt, "port", "VLAN", "MAC", "Age", "Type", "Moves"));
        for (FdbRow r : rows) {
            sb.append(String.format(fmt, r.port, r.vlan == ANY_VLAN ? "any" : Integer.toString(r.vlan),
                MacAddress.format(r.mac), r.ageSeconds < 0 ? "-" : Long.toString(r.ageSeconds), r.type.label(),
                r.moves));
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return port + " vlan " + vlan + " " + MacAddress.format(mac) + " " + type.label();
    }
}
