package io.vxswitch.lab.node;

import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.lab.engine.Endpoint;
import io.vxswitch.lab.engine.Simulator;
import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A plain learning bridge (IEEE 802.1D, with 802.1Q access and trunk ports when VLAN-aware), like the
 * Nexus 5K of the seed story or the Linux bridge inside a nested hypervisor. It learns each source MAC on
 * the port it arrived on, sends known unicast to that port only, filters frames whose destination sits on
 * the ingress port, and floods unknown unicast and broadcast to every other port of the VLAN.
 *
 * <p>VLAN-aware, each port carries VLANs by a {@link VlanPolicy} (access: untagged frames of one VLAN;
 * trunk: tagged VLANs plus an untagged native VLAN), and the MAC table is kept per VLAN. Transparent (not
 * VLAN-aware, like a Linux bridge without vlan_filtering), every frame passes as it is and one MAC table
 * serves all.
 */
public final class PhysicalSwitch {
    /** 300 s, the 802.1D recommended ageing time and most switches' default. */
    public static final long DEFAULT_AGING_NANOS = 300_000_000_000L;

    private record BridgePort(String name, VlanPolicy vlan, PortStats stats) {
    }

    private final Simulator simulator;
    private final String name;
    private final boolean vlanAware;
    private final MacTable macTable;
    private final List<BridgePort> ports = new ArrayList<>();
    private final Map<String, Integer> portIds = new LinkedHashMap<>();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private final FrameMeta meta = new FrameMeta();

    public PhysicalSwitch(Simulator simulator, String name, boolean vlanAware, long agingNanos) {
        this.simulator = simulator;
        this.name = name;
        this.vlanAware = vlanAware;
        this.macTable = new MacTable(agingNanos);
    }

    public String name() {
        return name;
    }

    public boolean vlanAware() {
        return vlanAware;
    }

    /** Adds a port; {@code vlan} is ignored by a transparent bridge. Returns its index. */
    public int addPort(String portName, VlanPolicy vlan) {
        if (portIds.containsKey(portName)) {
            throw new IllegalArgumentException("switch '" + name + "' already has a port '" + portName + "'");
        }
        int id = ports.size();
        ports.add(new BridgePort(portName, vlanAware ? vlan : VlanPolicy.none(), new PortStats()));
        portIds.put(portName, id);
        endpoints.add(null);
        return id;
    }

    /** Plugs port {@code portName} into one end of a link. */
    public void plugInto(String portName, Endpoint endpoint) {
        int id = requirePort(portName);
        if (endpoints.get(id) != null) {
            throw new IllegalStateException("port " + name + ":" + portName + " is already plugged into "
                + endpoints.get(id).name());
        }
        endpoint.attach(frame -> receive(id, frame));
        endpoints.set(id, endpoint);
    }

    public List<String> portNames() {
        return List.copyOf(portIds.keySet());
    }

    public PortStats stats(String portName) {
        return ports.get(requirePort(portName)).stats();
    }

    /** The MAC table now, oldest entries first. */
    public List<MacTableRow> macTable() {
        return macTable.rows(simulator.now(), portNames());
    }

    /** The port {@code mac} is learned on in {@code vlan} (0 for a transparent bridge), or null. */
    public String portOf(int vlan, long mac) {
        int p = macTable.lookup(vlan, mac, simulator.now());
        return p == MacTable.NOT_FOUND ? null : ports.get(p).name();
    }

    void receive(int in, byte[] frame) {
        BridgePort ingress = ports.get(in);
        ingress.stats().rxFrames++;
        MemorySegment s = MemorySegment.ofArray(frame);
        if (FrameParser.parse(s, 0, frame.length, meta) != Malformation.NONE) {
            ingress.stats().dropped++;
            return;
        }
        int vlan = vlanAware ? ingress.vlan().ingressVlan(meta.vid()) : 0;
        if (vlan == VlanPolicy.NOT_MEMBER) {
            ingress.stats().dropped++;
            return;
        }
        long now = simulator.now();
        if (MacAddress.isUnicast(meta.src())) {
            macTable.learn(vlan, meta.src(), in, now);
        }
        byte[] untagged = vlanAware ? untag(frame) : frame;
        int known = MacAddress.isUnicast(meta.dst()) ? macTable.lookup(vlan, meta.dst(), now) : MacTable.NOT_FOUND;
        if (known == in) {
            ingress.stats().filtered++; // 802.1D: the destination is on the segment the frame came from
            return;
        }
        if (known != MacTable.NOT_FOUND) {
            transmit(known, vlan, untagged, frame);
            return;
        }
        ingress.stats().flooded++;
        for (int p = 0; p < ports.size(); p++) {
            if (p != in) {
                transmit(p, vlan, untagged, frame);
            }
        }
    }

    private void transmit(int out, int vlan, byte[] untagged, byte[] original) {
        BridgePort port = ports.get(out);
        Endpoint e = endpoints.get(out);
        if (e == null || !port.vlan().carries(vlan)) {
            return;
        }
        byte[] copy;
        if (!vlanAware) {
            copy = original;
        } else {
            int tag = port.vlan().egressTag(vlan);
            if (tag == VlanPolicy.UNTAGGED) {
                copy = untagged;
            } else {
                copy = new byte[untagged.length + Dot1q.LENGTH];
                FrameBuilder.pushVlanTag(MemorySegment.ofArray(untagged), 0, untagged.length,
                    MemorySegment.ofArray(copy), 0, Dot1q.tci(0, false, tag));
            }
        }
        port.stats().txFrames++;
        e.send(copy);
    }

    private static byte[] untag(byte[] frame) {
        byte[] out = new byte[frame.length];
        int len = FrameBuilder.popVlanTag(MemorySegment.ofArray(frame), 0, frame.length, MemorySegment.ofArray(out), 0);
        return len == out.length ? out : Arrays.copyOf(out, len);
    }

    private int requirePort(String portName) {
        Integer id = portIds.get(portName);
        if (id == null) {
            throw new IllegalArgumentException("switch '" + name + "' has no port '" + portName + "' (has: "
                + String.join(", ", portIds.keySet()) + ")");
        }
        return id;
    }

    /** Frame counts of one bridge port. */
    public static final class PortStats {
        long rxFrames;
        long txFrames;
        long flooded;
        long filtered;
        long dropped;

        public long rxFrames() {
            return rxFrames;
        }

        public long txFrames() {
            return txFrames;
        }

        /** Frames received here that were flooded (unknown unicast, broadcast, multicast). */
        public long flooded() {
            return flooded;
        }

        /** Frames received here whose destination was learned on this same port. */
        public long filtered() {
            return filtered;
        }

        /** Frames received here that were malformed or of a VLAN the port does not carry. */
        public long dropped() {
            return dropped;
        }
    }
}
