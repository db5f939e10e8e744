package io.vxswitch.mgmt;

import io.vxswitch.vxlan.Vtep;

import java.util.List;

/**
 * A tunnel of the running switch: its port name, its VTEP, and where its underlay socket listens. With several
 * forwarding loops the tunnel has one VTEP per loop ({@code vteps}, lane order): they share VNIs, remote VTEPs and
 * flood lists, and each counts its own packets (every loop's counts are in the switch's counter registry, under
 * the tunnel's name).
 */
public record TunnelInfo(String name, List<Vtep> vteps, String local, int udpPort) {
    public TunnelInfo {
        vteps = List.copyOf(vteps);
        if (vteps.isEmpty()) {
            throw new IllegalArgumentException("tunnel " + name + " has no VTEP");
        }
    }

    /** A tunnel driven by one loop. */
    public TunnelInfo(String name, Vtep vtep, String local, int udpPort) {
        this(name, List.of(vtep), local, udpPort);
    }

    /** The VTEP of lane 0: its VNIs, remote VTEPs and flood lists are every lane's. */
    public Vtep vtep() {
        return vteps.get(0);
    }
}
