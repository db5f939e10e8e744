package io.vxswitch.lab.explain;

import io.vxswitch.forwarding.PortKind;
import io.vxswitch.forwarding.trace.Trace.Stage;
import io.vxswitch.lab.explain.ArpExchange.Part;
import io.vxswitch.lab.explain.ArpStoryRecorder.Recorded;
import io.vxswitch.lab.node.Hop;
import io.vxswitch.lab.node.RoutedHop;
import io.vxswitch.lab.node.SwitchHop;
import io.vxswitch.packet.Arp;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.Ethernet;
import io.vxswitch.packet.FrameMeta;
import io.vxswitch.packet.FrameParser;
import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import io.vxswitch.packet.Malformation;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Tells the story of the first ping's ARP exchange as numbered steps, from what the run recorded: the asker's
 * broadcast, every host switch that decided on it (quoting its trace: learning, lookup, promiscuous copies,
 * the result), VXLAN encapsulation and decapsulation, the routers of the underlay, then the reply on its way
 * back, and whether the asker got it. Only the first trip of each frame is told: a host switch or router
 * appears once per direction, however many times the request is retried.
 */
public final class ArpStory {
    private ArpStory() {
    }

    /**
     * The story as numbered lines under a title.
     *
     * @param resolved whether the asker ended the run with the target's address resolved
     */
    public static String tell(ArpStoryRecorder recorder, boolean resolved) {
        Cast cast = recorder.cast();
        List<Recorded> hops = firstTrips(recorder.hops());
        List<String> steps = new ArrayList<>();
        boolean firstRequest = true;
        boolean firstReply = true;
        for (int i = 0; i < hops.size(); i++) {
            Recorded r = hops.get(i);
            if (r.hop() instanceof RoutedHop) {
                int end = i;
                while (end + 1 < hops.size() && hops.get(end + 1).hop() instanceof RoutedHop
                    && hops.get(end + 1).part() == r.part()) {
                    end++;
                }
                steps.add(routed(hops.subList(i, end + 1)));
                i = end;
                continue;
            }
            SwitchHop h = (SwitchHop) r.hop();
            String lead = null;
            if (r.part() == Part.REQUEST && firstRequest) {
                lead = cast.asker() + " broadcasts an ARP request for " + cast.targetAddress() + " on VLAN " + h.vlan();
                firstRequest = false;
            } else if (r.part() == Part.REPLY && firstReply) {
                lead = cast.target() + " replies " + cast.targetAddress() + " is-at "
                    + MacAddress.format(senderMac(h.frame())) + ", unicast to " + cast.asker();
                firstReply = false;
            }
            steps.addAll(switchSteps(h, r.part(), lead));
        }
        StringBuilder out = new StringBuilder("The ARP story: " + cast.asker() + " asks who has "
            + cast.targetAddress() + " (from the traces of this run)\n");
        for (int n = 0; n < steps.size(); n++) {
            out.append(String.format("%2d. %s%n", n + 1, steps.get(n)));
        }
        out.append(ending(cast, hops, resolved)).append('\n');
        return out.toString();
    }

    /** Each frame's first trip: requests until the first reply, each (part, node, ingress) once. */
    static List<Recorded> firstTrips(List<Recorded> all) {
        long firstReply = all.stream().filter(r -> r.part() == Part.REPLY).mapToLong(r -> r.hop().timeNanos()).min()
            .orElse(Long.MAX_VALUE);
        Set<String> seen = new HashSet<>();
        List<Recorded> out = new ArrayList<>();
        for (Recorded r : all) {
            if (r.part() == Part.REQUEST && r.hop().timeNanos() >= firstReply) {
                continue;
            }
            if (seen.add(r.part() + " " + r.hop().node() + " " + ingress(r.hop()))) {
                out.add(r);
            }
        }
        return out;
    }

    private static String ingress(Hop h) {
        return switch (h) {
            case SwitchHop s -> s.inPort();
            case RoutedHop r -> r.inInterface();
        };
    }

    /** One step for a switch decision, two when it learns the target's MAC on a local port (the callout). */
    private static List<String> switchSteps(SwitchHop h, Part part, String lead) {
        String learning = h.step(Stage.LEARNING);
        boolean learnsTarget = part == Part.REPLY && h.inKind() != PortKind.TUNNEL && learning != null
            && (learning.contains(" learned on port ") || learning.contains(" moved to port "));
        String detail = String.join("; ", clauses(h, part, learnsTarget));
        String result = h.step(Stage.RESULT);
        String decided = h.node() + " port " + h.inPort() + ": " + join(detail, result);
        String prefix = lead == null ? "" : lead + "; ";
        String sentence;
        if (h.dropped()) {
            sentence = prefix + h.node() + " drops it on port " + h.inPort() + " " + dropText(result)
                + (detail.isEmpty() ? "" : " (" + detail + ")");
        } else if (h.arrival() != null) {
            SwitchHop.TunnelArrival a = h.arrival();
            sentence = prefix + h.node() + " decapsulates it: VXLAN VNI " + a.vni() + " from " + a.fromVtep()
                + " -> VLAN " + a.vlan() + " (" + join(detail, result) + ")";
        } else if (!h.sends().isEmpty()) {
            sentence = prefix + h.node() + "'s vxswitch " + (h.sends().getFirst().flooded() ? "floods" : "sends")
                + " it into the tunnel: " + tunnel(h.sends()) + " (" + decided + ")";
        } else if (lead != null) {
            sentence = lead + " (" + decided + ")";
        } else if (!isArp(h.frame())) {
            sentence = h.node() + " carries the VXLAN packet in VLAN " + h.vlan() + " (" + decided + ")";
        } else {
            sentence = h.node() + " takes it in on port " + h.inPort() + ": " + join(detail, result);
        }
        List<String> steps = new ArrayList<>(List.of(sentence));
        if (learnsTarget) {
            steps.add(h.node() + " learns " + MacAddress.format(senderMac(h.frame())) + " on port " + h.inPort()
                + " (VLAN " + h.vlan() + "): frames to that MAC now go to " + h.inPort() + " only");
        }
        return steps;
    }

    /**
     * The trace steps worth telling: a forged source let through, what was learned (with the VTEP behind which,
     * for a frame from the tunnel), the lookup, reverse-path and promiscuous decisions. Learning being off is told
     * only where the reply comes in on a vNIC port: there it decides whether the switch learns the target.
     */
    private static List<String> clauses(SwitchHop h, Part part, boolean learnsTarget) {
        List<String> clauses = new ArrayList<>();
        String security = h.step(Stage.SECURITY);
        if (security != null && !security.endsWith(": ok")) {
            clauses.add(security);
        }
        String learning = h.step(Stage.LEARNING);
        if (learning != null && !learnsTarget && !learning.contains(" own MAC") && !learning.contains(" is the MAC of ")
            && (!learning.startsWith("learning off") || (part == Part.REPLY && h.inKind() == PortKind.VNIC))) {
            clauses.add(h.arrival() != null && learning.contains(" on port ")
                ? learning + " behind VTEP " + h.arrival().fromVtep() : learning);
        }
        String lookup = h.step(Stage.LOOKUP);
        if (lookup != null) {
            clauses.add(lookup);
        }
        for (String flood : h.steps(Stage.FLOOD)) {
            if (flood.contains("promiscuous") || flood.contains("reverse-path")) {
                clauses.add(flood);
            }
        }
        return clauses;
    }

    private static String routed(List<Recorded> hops) {
        RoutedHop first = (RoutedHop) hops.getFirst().hop();
        RoutedHop last = (RoutedHop) hops.getLast().hop();
        MemorySegment s = MemorySegment.ofArray(first.frame());
        long ip = Ethernet.HEADER_LENGTH;
        String path = hops.stream().map(r -> (RoutedHop) r.hop())
            .map(r -> r.node() + " (" + r.inInterface() + " -> " + r.outInterface() + ")")
            .collect(Collectors.joining(", "));
        return "The underlay routes the VXLAN packet " + Ipv4Address.format(Ipv4.src(s, ip)) + " > "
            + Ipv4Address.format(Ipv4.dst(s, ip)) + ": " + path + ", TTL " + Ipv4.ttl(s, ip) + " -> " + last.ttl();
    }

    private static String tunnel(List<SwitchHop.TunnelSend> sends) {
        return "VXLAN VNI " + sends.getFirst().vni() + " to " + sends.stream().map(SwitchHop.TunnelSend::toVtep)
            .collect(Collectors.joining(", ")) + (sends.getFirst().flooded() ? ", its flood list" : " only");
    }

    /** {@code drop (forged_transmit): source ...} as {@code (forged_transmit): source ...}. */
    private static String dropText(String result) {
        return result != null && result.startsWith("drop ") ? result.substring("drop ".length()) : String.valueOf(result);
    }

    private static String join(String detail, String result) {
        return detail.isEmpty() ? result : detail + "; " + result;
    }

    private static String ending(Cast cast, List<Recorded> hops, boolean resolved) {
        boolean replied = hops.stream().anyMatch(r -> r.part() == Part.REPLY);
        if (resolved) {
            return "    " + cast.asker() + " now has " + cast.targetAddress() + " in its ARP cache, and its ping "
                + "can send.";
        }
        if (!replied) {
            return "    No reply came back to a host switch: " + cast.asker() + " never learns " + cast.targetAddress()
                + "'s MAC.";
        }
        return "    The reply goes no further: " + cast.asker() + " never learns " + cast.targetAddress()
            + "'s MAC; each retry ends the same way, and ping reports Destination Host Unreachable.";
    }

    private static boolean isArp(byte[] frame) {
        FrameMeta meta = new FrameMeta();
        return FrameParser.parse(MemorySegment.ofArray(frame), 0, frame.length, meta) == Malformation.NONE
            && meta.etherType() == EtherType.ARP;
    }

    /** The ARP sender hardware address of a frame the recorder matched (tagged or not). */
    private static long senderMac(byte[] frame) {
        MemorySegment s = MemorySegment.ofArray(frame);
        FrameMeta meta = new FrameMeta();
        FrameParser.parse(s, 0, frame.length, meta);
        return Arp.sha(s, meta.payloadPosition());
    }
}
