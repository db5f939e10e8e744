package io.vxswitch.app.daemon;

import io.vxswitch.bgp.evpn.RouteDistinguisher;
import io.vxswitch.bgp.session.SessionConfig;
import io.vxswitch.evpn.EvpnConfig;
import io.vxswitch.evpn.EvpnSpeaker;
import io.vxswitch.evpn.VniConfig;
import io.vxswitch.evpn.switching.LocalMacFeed;
import io.vxswitch.evpn.switching.SwitchProgrammer;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.linux.dataplane.Dataplane;
import io.vxswitch.mgmt.TunnelInfo;
import io.vxswitch.vxlan.Vtep;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The EVPN control plane of a running host switch: the BGP speaker ({@link EvpnSpeaker}) with a VNI per tunnel with
 * {@code controlPlane: evpn}, the {@link SwitchProgrammer} that carries its decisions onto the dataplane's command path,
 * and the {@link LocalMacFeed} that tells it which MACs are local. Started after the dataplane, closed before it, so
 * the neighbors hear a Cease and withdraw this host's routes at once.
 */
final class EvpnControl implements AutoCloseable {
    /** Changes of learned MACs buffered between two polls (100 ms): a MAC flood beyond it costs a rescan, not a loss. */
    static final int JOURNAL_CAPACITY = 1 << 16;

    private final EvpnSpeaker speaker;
    private final LocalMacFeed feed;
    private final String summary;

    private EvpnControl(EvpnSpeaker speaker, LocalMacFeed feed, String summary) {
        this.speaker = speaker;
        this.feed = feed;
        this.summary = summary;
    }

    /** Builds the control plane for {@code config}'s EVPN tunnels and starts its sessions. */
    static EvpnControl start(DaemonConfig config, Switch sw, Dataplane dataplane, List<TunnelInfo> tunnels,
                             Consumer<String> log) {
        EvpnSection section = config.evpn();
        List<VniConfig> vnis = new ArrayList<>();
        List<SwitchProgrammer.Tunnel> bound = new ArrayList<>();
        List<LocalMacFeed.Segment> segments = new ArrayList<>();
        Set<Integer> tunnelPorts = new HashSet<>();
        int index = 0;
        for (TunnelConfig t : config.tunnels()) {
            Vtep vtep = tunnels.stream().filter(i -> i.name().equals(t.name())).findFirst().orElseThrow().vtep();
            tunnelPorts.add(vtep.tunnelPort());
            if (t.evpn() == null) {
                continue;
            }
            index++;
            InetAddress local = inet(t.local().toString());
            VniConfig defaults = VniConfig.defaults(t.vni(), section.asn(), section.routerId(), index, local, false);
            RouteDistinguisher rd = t.evpn().rd() != null ? t.evpn().rd() : defaults.rd();
            List<Long> imports = t.evpn().importTargets().isEmpty() ? defaults.importTargets() : t.evpn().importTargets();
            List<Long> exports = t.evpn().exportTargets().isEmpty() ? defaults.exportTargets() : t.evpn().exportTargets();
            vnis.add(new VniConfig(t.vni(), rd, imports, exports, local, t.evpn().arpSuppression()));
            bound.add(new SwitchProgrammer.Tunnel(t.vni(), t.vlan(), vtep.tunnelPort(), vtep.floodList(), vtep.remotes(),
                    new HashSet<>(t.remotes()), t.evpn().arpSuppression()));
            int vlan = t.vlan();
            boolean suppress = t.evpn().arpSuppression();
            // every EVPN VLAN snoops its hosts' ARP for MAC/IP routes; only arpSuppression answers for them
            dataplane.submit(s -> {
                if (suppress) {
                    s.arpSuppression().enable(vlan);
                } else {
                    s.arpSuppression().snoop(vlan);
                }
            });
            segments.add(new LocalMacFeed.Segment(t.vni(), t.vlan()));
        }
        List<SessionConfig> neighbors = new ArrayList<>();
        for (EvpnSection.Neighbor n : section.neighbors()) {
            neighbors.add(new SessionConfig(section.asn(), section.routerId(), n.address(), n.port(), n.asn(),
                    section.holdTime(), section.keepalive(), section.connectRetry(), n.source()));
        }
        Consumer<String> evpnLog = line -> log.accept("bgp: " + line);
        EvpnSpeaker speaker = new EvpnSpeaker(new EvpnConfig(section.asn(), section.routerId(), neighbors, vnis),
                new SwitchProgrammer(dataplane::submit, bound, evpnLog), evpnLog);
        sw.fdb().enableJournal(JOURNAL_CAPACITY);
        LocalMacFeed feed = new LocalMacFeed(sw, speaker, segments, tunnelPorts);
        speaker.everyTick(feed::poll);
        speaker.start();
        String summary = String.format("evpn AS %d, router id %s, VNIs %s, neighbors %s", section.asn(),
            io.vxswitch.packet.Ipv4Address.format(section.routerId()), vnis.stream().map(v -> v.vni() + " (rd " + v.rd()
                + ")").toList(), section.neighbors().stream().map(n -> n.address().getHostAddress() + " (AS " + n.asn()
                + (n.asn() == section.asn() ? ", iBGP" : ", eBGP") + ")").toList());
        return new EvpnControl(speaker, feed, summary);
    }

    /** vNIC ports changed: advertise and withdraw their MACs at the next poll, not at the next periodic rescan. */
    void rescanSoon() {
        feed.rescanSoon();
    }

    String summary() {
        return summary;
    }

    EvpnSpeaker speaker() {
        return speaker;
    }

    private static InetAddress inet(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address literal: " + literal, e);
        }
    }

    /** Sends each neighbor a Cease, so the fabric withdraws this host's routes now rather than at hold-time expiry. */
    @Override
    public void close() {
        speaker.close();
    }
}
