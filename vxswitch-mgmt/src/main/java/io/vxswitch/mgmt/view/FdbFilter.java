package io.vxswitch.mgmt.view;

import io.vxswitch.forwarding.FdbRow;
import io.vxswitch.mgmt.ApiException;
import io.vxswitch.packet.MacAddress;

/**
 * Which MAC table rows a caller wants: by VLAN, port and MAC, each optional. Built from query parameters, with
 * a 400 for a value that cannot be one.
 */
public record FdbFilter(Integer vlan, String port, Long mac) {
    public static final FdbFilter ALL = new FdbFilter(null, null, null);

    /** From the text of the {@code vlan}, {@code port} and {@code mac} parameters (null when absent). */
    public static FdbFilter parse(String vlan, String port, String mac) {
        return new FdbFilter(vlan == null ? null : parseVlan(vlan), port, mac == null ? null : parseMac(mac));
    }

    static int parseVlan(String text) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= 0 && v <= 4094) {
                return v;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw ApiException.badRequest("vlan must be a number 0-4094 (0: untagged), got '" + text + "'");
    }

    public static long parseMac(String text) {
        try {
            return MacAddress.parseBits(text);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    public boolean matches(FdbRow r) {
        return (vlan == null || r.vlan() == vlan || r.vlan() == FdbRow.ANY_VLAN)
            && (port == null || r.port().equals(port))
            && (mac == null || r.mac() == mac);
    }
}
