package io.vxswitch.lab.node;

import io.vxswitch.packet.MacAddress;

/** One dynamic entry of a physical switch's MAC table, as {@code show mac address-table} lists it. */
public record MacTableRow(int vlan, long mac, String port, long ageSeconds) {
    @Override
    public String toString() {
        return "vlan " + vlan + " " + MacAddress.format(mac) + " dynamic " + port + " age " + ageSeconds;
    }
}
