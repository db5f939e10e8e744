package io.vxswitch.mgmt;

import io.vxswitch.vxlan.Vtep;

/** A tunnel of the running switch: its port name, its VTEP, and where its underlay socket listens. */
public record TunnelInfo(String name, Vtep vtep, String local, int udpPort) {
}
