package io.vxswitch.forwarding.policy;

import io.vxswitch.packet.Dot1q;

import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** An inclusive range of VLAN IDs, as a VDS trunk port group lists them ("100-199,300"). */
public record VlanRange(int first, int last) {
    public VlanRange {
        if (first < 1 || last > Dot1q.MAX_VID || first > last) {
            throw new IllegalArgumentException("VLAN range must lie within 1-4094 with first <= last, got "
                + first + "-" + last);
        }
    }

    /** Parses "1-4094", "119", or a comma list such as "100-199,300". */
    public static List<VlanRange> parseList(String text) {
        List<VlanRange> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty VLAN range in '" + text + "'");
            }
            int dash = p.indexOf('-');
            try {
                if (dash < 0) {
                    int v = Integer.parseInt(p);
                    out.add(new VlanRange(v, v));
                } else {
                    out.add(new VlanRange(Integer.parseInt(p.substring(0, dash).trim()),
                        Integer.parseInt(p.substring(dash + 1).trim())));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a VLAN range: '" + p + "' (expected N or N-M, 1-4094)");
            }
        }
        return out;
    }

    public static String format(List<VlanRange> ranges) {
        StringJoiner j = new StringJoiner(",");
        for (VlanRange r : ranges) {
            j.add(r.first == r.last ? Integer.toString(r.first) : r.first + "-" + r.last);
        }
        return j.toString();
    }
}
