package io.vxswitch.lab.node;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.trace.Trace;

import java.util.List;

/**
 * A host switch's decision on one frame, with what the tunnel did around it.
 *
 * @param node        the node (VDS host or VTEP host)
 * @param inPort      the port the frame came in on (the tunnel port for a decapsulated frame)
 * @param description one tcpdump-like line for the frame
 * @param vlan        the VLAN the switch put it in, or -1 if dropped before classification
 * @param trace       the decision step by step
 * @param dropReason  why the frame went nowhere, or null if it was forwarded
 * @param arrival     how the frame came out of the tunnel, or null if it came in on a local port
 * @param sends       the encapsulated copies sent into the tunnel, one per remote VTEP
 */
public record SwitchHop(long timeNanos, String node, String inPort, PortKind inKind, byte[] frame, String description,
                        int vlan, Trace trace, DropReason dropReason, TunnelArrival arrival, List<TunnelSend> sends)
    implements Hop {
    public SwitchHop {
        sends = List.copyOf(sends);
    }

    public boolean dropped() {
        return dropReason != null;
    }

    /** The detail of the first trace step of {@code stage}, or null if the decision had none. */
    public String step(Trace.Stage stage) {
        for (Trace.Step s : trace.steps()) {
            if (s.stage() == stage) {
                return s.detail();
            }
        }
        return null;
    }

    /** Every step detail of {@code stage}, in order. */
    public List<String> steps(Trace.Stage stage) {
        return trace.steps().stream().filter(s -> s.stage() == stage).map(Trace.Step::detail).toList();
    }

    /** A decapsulated frame: its VNI, the VTEP that sent it, and the VLAN the VNI maps to. */
    public record TunnelArrival(int vni, String fromVtep, int vlan) {
    }

    /** One encapsulated copy: its VNI, the VTEP it went to, and whether it was head-end replication (flood). */
    public record TunnelSend(int vni, String toVtep, boolean flooded) {
    }
}
