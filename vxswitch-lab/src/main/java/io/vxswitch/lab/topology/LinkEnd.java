package io.vxswitch.lab.topology;

import io.vxswitch.config.Where;

/**
 * One end of a link: a host or nested hypervisor by name ({@code vm1}), or a switch port as
 * {@code switch:port} ({@code esxi:uplink1}, {@code nexus5k:eth1/1}).
 *
 * @param port null for single-NIC nodes
 */
public record LinkEnd(String node, String port, Where where) {
    @Override
    public String toString() {
        return port == null ? node : node + ":" + port;
    }
}
