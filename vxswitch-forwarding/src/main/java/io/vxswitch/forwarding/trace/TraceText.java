package io.vxswitch.forwarding.trace;

import io.vxswitch.forwarding.DropReason;
import io.vxswitch.forwarding.ForwardingDecision;
import io.vxswitch.forwarding.Mirror;
import io.vxswitch.forwarding.Port;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.LearnOutcome;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.trace.Trace.Stage;
import io.vxswitch.packet.FrameDescriber;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;

import static io.vxswitch.packet.MacAddress.format;

/**
 * Writes what the pipeline reports into a {@link Trace} as the numbered lines {@code vxswitch trace}, the lab's
 * {@code --trace} and {@code --explain} print. The words are built here, from the events and what the switch can
 * tell about its ports; the pipeline only reports. One per traced frame: it keeps the frame's ingress port, its
 * own parse of the frame and the VLAN, for the lines that need them.
 */
public final class TraceText implements TraceSink {
    private final Switch sw;
    private final Trace trace;
    private final FrameMeta frame = new FrameMeta();
    private Port in;
    private Malformation malformation;
    private int vlan = VlanPolicy.NOT_MEMBER;

    public TraceText(Switch sw, Trace trace) {
        this.sw = sw;
        this.trace = trace;
    }

    @Override
    public void received(int inPort, MemorySegment s, long offset, int length) {
        in = sw.port(inPort);
        malformation = FrameParser.parse(s, offset, length, frame);
        trace.add(Stage.FRAME, "in_port " + in.name() + ": " + FrameDescriber.describe(s, offset, length));
    }

    @Override
    public void classified(int vlan) {
        this.vlan = vlan;
        trace.add(Stage.INGRESS, "port " + in.name() + " (" + in.kind().label() + ", port group "
            + in.portGroup().name() + ": " + vlanPolicy() + "): "
            + (frame.tagged() ? "tag " + frame.vid() : "untagged") + " -> VLAN " + vlan);
    }

    @Override
    public void sourceChecked(boolean forged) {
        trace.add(Stage.SECURITY, forged ? "source " + format(frame.src()) + " is not the vNIC's MAC "
            + format(in.effectiveMac()) + ": forged transmits accept" : "source is the vNIC's effective MAC: ok");
    }

    @Override
    public void learned(int vlan, LearnOutcome outcome) {
        String src = format(frame.src());
        if (outcome == LearnOutcome.VNIC_MAC) {
            int owner = sw.fdb().vnicPort(frame.src());
            trace.add(Stage.LEARNING, src + (owner == in.id() ? " is this vNIC's own MAC"
                : " is the MAC of vNIC " + sw.port(owner).name() + ": never learned elsewhere"));
        } else if (outcome == LearnOutcome.LIMIT_REACHED) {
            trace.add(Stage.LEARNING, src + " not learned: port " + in.name() + " is at its limit of " + macLimit()
                + " (limit policy allow)");
        } else {
            trace.add(Stage.LEARNING, src + " VLAN " + vlan + " " + switch (outcome) {
                case LEARNED -> "learned on port " + in.name();
                case REFRESHED -> "refreshed on port " + in.name();
                case MOVED -> "moved to port " + in.name();
                case STATIC_ENTRY -> "is a static entry: unchanged";
                case TABLE_FULL -> "not learned: FDB full of static entries";
                case LIMIT_REACHED -> "at limit";
                case FROZEN -> "frozen";
                case VNIC_MAC -> "is a vNIC's MAC";
                case EVPN_ENTRY -> "is an EVPN entry behind a remote VTEP of port " + in.name() + ": unchanged";
            } + (trace.isProbe() ? " (probe: FDB unchanged)" : ""));
        }
    }

    @Override
    public void notLearned(boolean reflected) {
        trace.add(Stage.LEARNING, reflected ? "not learned: frame is a reflection"
            : "learning off in port group " + in.portGroup().name());
    }

    @Override
    public void arpSuppression(int vlan, int targetIpv4, long mac) {
        String ip = io.vxswitch.packet.Ipv4Address.format(targetIpv4);
        trace.add(Stage.LOOKUP, mac == io.vxswitch.forwarding.ArpSuppression.NONE
            ? "ARP suppression: no binding for " + ip + " in VLAN " + vlan + ": the request is flooded"
            : "ARP suppression: " + ip + " is-at " + format(mac) + ": answered on " + in.name() + ", not flooded");
    }

    @Override
    public void ndSuppression(int vlan, long targetHigh, long targetLow, long mac) {
        String ip = io.vxswitch.packet.Ipv6.format(targetHigh, targetLow);
        trace.add(Stage.LOOKUP, mac == io.vxswitch.forwarding.ArpSuppression.NONE
            ? "ND suppression: no binding for " + ip + " in VLAN " + vlan + ": the solicitation is flooded"
            : "ND suppression: " + ip + " is-at " + format(mac) + ": advertised on " + in.name() + ", not flooded");
    }

    @Override
    public void destination(int vlan, long dst, int port, int remote) {
        trace.add(Stage.LOOKUP, format(dst) + " VLAN " + vlan + (port == Fdb.NOT_FOUND ? " is unknown: unknown unicast"
            : " is on port " + sw.port(port).name()
            + (remote == Fdb.NO_REMOTE ? "" : " behind remote VTEP " + sw.remoteName(remote))));
    }

    @Override
    public void flooded(Flood how, int vlan) {
        trace.add(Stage.FLOOD, switch (how) {
            case REFLECTION -> "reverse-path filter: source is local, our own frame coming back: not flooded";
            case BUM_FROM_UPLINK -> "broadcast/multicast from uplink: to vNICs and tunnels pinned to " + in.name();
            case BUM -> "broadcast/multicast: to every vNIC " + (in.isTunnel() ? "" : "and tunnel ") + "in VLAN " + vlan
                + " and uplink " + pinnedUplink();
            case UNKNOWN_FROM_UPLINK -> "unknown unicast from uplink: only to ports with learning and unicast flooding on";
            case UNKNOWN -> "unknown unicast: to uplink " + pinnedUplink()
                + " and ports with learning and unicast flooding on";
        });
    }

    @Override
    public void promiscuous(int port, boolean withheld) {
        trace.add(Stage.FLOOD, withheld
            ? "no promiscuous copy to " + sw.port(port).name() + ": source is local (reverse-path check promisc)"
            : "promiscuous copy to " + sw.port(port).name());
    }

    @Override
    public void mirrored(String session, int port) {
        trace.add(Stage.EGRESS, "mirror copy to " + sw.port(port).name() + " (session " + session + ")");
    }

    @Override
    public void mirroredRemote(String session, String destination) {
        trace.add(Stage.EGRESS, "mirror copy to " + destination + " (session " + session + ")");
    }

    @Override
    public void withheld(int port, DropReason reason) {
        trace.add(Stage.EGRESS, "not to " + sw.port(port).name() + ": " + (reason == DropReason.MAC_CHANGED
            ? "its effective MAC differs from the configured one and MAC changes is reject" : reason.description()));
    }

    @Override
    public void forwarded(ForwardingDecision d) {
        StringBuilder sb = new StringBuilder(trace.isProbe() ? "would forward to " : "forward to ");
        for (int i = 0; i < d.egressCount(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            int tag = d.egressTag(i);
            if (d.isRemoteMirror(i)) {
                Mirror m = sw.remoteMirror(d.remoteMirror(i));
                sb.append(m == null ? "ERSPAN" : "ERSPAN session " + m.name())
                    .append(tag == VlanPolicy.UNTAGGED ? " (untagged)" : " (tag " + tag + ")");
                continue;
            }
            Port p = sw.port(d.egressPort(i));
            int remote = d.egressRemote(i);
            sb.append(p.name());
            if (p.isTunnel()) {
                sb.append(remote == ForwardingDecision.FLOOD ? " (flood list)" : " (VTEP " + sw.remoteName(remote) + ")");
            } else {
                sb.append(tag == VlanPolicy.UNTAGGED ? " (untagged)" : " (tag " + tag + ")");
            }
        }
        trace.add(Stage.RESULT, sb.toString());
    }

    @Override
    public void dropped(DropReason reason) {
        trace.add(Stage.RESULT, "drop (" + reason.counterName() + "): " + dropDetail(reason));
    }

    /** Why the frame was dropped, in the words of the step that dropped it. */
    private String dropDetail(DropReason reason) {
        return switch (reason) {
            case MALFORMED -> malformation.description();
            case PORT_DOWN -> "port " + in.name() + " is down";
            case VLAN_NOT_ALLOWED -> vlan != VlanPolicy.NOT_MEMBER ? reason.description() // no copy went out
                : "port group " + in.portGroup().name() + " (" + vlanPolicy() + ") does not take "
                + (frame.tagged() ? "VLAN " + frame.vid() : "untagged frames");
            case MULTICAST_SOURCE -> "source " + format(frame.src()) + " is a group address";
            case FORGED_TRANSMIT -> "source " + format(frame.src()) + " is not the vNIC's effective MAC "
                + format(in.effectiveMac()) + " and forged transmits is reject";
            case MAC_LIMIT -> "port " + in.name() + " holds its limit of " + macLimit()
                + " MACs and the limit policy is drop";
            case MAC_MOVE_FROZEN -> format(frame.src()) + " is flapping and frozen on port "
                + sw.port(sw.fdb().portOf(vlan, frame.src())).name() + " by the MAC move guard";
            default -> reason.description();
        };
    }

    private VlanPolicy vlanPolicy() {
        return in.portGroup().policy().vlan();
    }

    private int macLimit() {
        return in.portGroup().policy().macLearning().limit();
    }

    private String pinnedUplink() {
        Port u = sw.pinnedUplink(in.id());
        return u == null ? "(none: no active uplink)" : u.name();
    }
}
