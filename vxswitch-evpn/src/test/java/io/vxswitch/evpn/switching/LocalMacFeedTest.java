package io.vxswitch.evpn.switching;

import io.vxswitch.evpn.LocalMacs;
import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which MACs the EVPN speaker hears are local, from a real switch's FDB: learned, static and vNIC MACs on local
 * ports of the VNI's VLAN; nothing behind the tunnel, nothing in other VLANs; a MAC that moves behind a VTEP is
 * withdrawn.
 */
class LocalMacFeedTest {
    private static final long VNIC = MacAddress.parseBits("02:00:00:00:00:01");
    private static final long NESTED = MacAddress.parseBits("02:00:00:00:00:99");
    private static final long REMOTE = MacAddress.parseBits("02:00:00:00:00:03");

    private final Switch sw = new Switch(SwitchOptions.defaults("host").withMaxPorts(8));
    private final List<String> heard = new ArrayList<>();
    private int nested;
    private int tunnel;
    private LocalMacFeed feed;

    @BeforeEach
    void setUp() {
        sw.addPortGroup(PortGroupPolicy.vdsDefault("vlan119", VlanPolicy.access(119)));
        sw.addPortGroup(new PortGroupPolicy("nested", VlanPolicy.access(119), SecurityPolicy.VDS_DEFAULT,
            MacLearningPolicy.ENABLED));
        sw.addPortGroup(new PortGroupPolicy("tunnel", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.DISABLED));
        sw.addVnicPort("vm1", "vlan119", VNIC);
        nested = sw.addVnicPort("esxi", "nested", -1);
        tunnel = sw.addTunnelPort("vx119", "tunnel");
        sw.fdb().enableJournal(16);
        feed = new LocalMacFeed(sw, new LocalMacs() {
            @Override
            public void localMacLearned(int vni, long mac, boolean sticky) {
                heard.add("+" + vni + " " + MacAddress.format(mac) + (sticky ? " sticky" : ""));
            }

            @Override
            public void localMacRemoved(int vni, long mac) {
                heard.add("-" + vni + " " + MacAddress.format(mac));
            }

            @Override
            public void localMacAddress(int vni, long mac, java.net.InetAddress ip) {
                heard.add("ip " + vni + " " + MacAddress.format(mac) + " " + ip.getHostAddress());
            }

            @Override
            public void syncLocalMacs(int vni, Map<Long, Boolean> macs) {
                Map<String, Boolean> shown = new TreeMap<>();
                macs.forEach((m, sticky) -> shown.put(MacAddress.format(m), sticky));
                heard.add("sync " + vni + " " + shown);
            }
        }, List.of(new LocalMacFeed.Segment(119, 119)), Set.of(tunnel));
    }

    @Test
    void the_first_poll_rescans_vnic_and_static_macs_and_leaves_the_tunnels_out() {
        sw.fdb().addStatic(119, MacAddress.parseBits("02:00:00:00:00:55"), nested);
        sw.fdb().addEvpn(119, REMOTE, tunnel, 0, 0);
        feed.poll();
        assertThat(heard).containsExactly("sync 119 {02:00:00:00:00:01=false, 02:00:00:00:00:55=true}");
    }

    @Test
    void what_local_hosts_say_in_arp_and_neighbour_discovery_is_heard_as_addresses() {
        sw.arpSuppression().snoop(119);
        feed.poll();
        heard.clear();
        int vm1 = sw.port("vm1").id();
        MemorySegment frame = MemorySegment.ofArray(new byte[86]);
        var d = sw.newDecision();
        sw.forward(vm1, frame, 0, FrameBuilder.gratuitousArp(frame, 0, VNIC, Ipv4Address.parse("10.0.0.1")), 0, d);
        long db8 = 0x2001_0db8_0119_0000L;
        sw.forward(vm1, frame, 0, FrameBuilder.neighborSolicitation(frame, 0, VNIC, db8, 1, db8, 2), 0, d);
        feed.poll();
        assertThat(heard).containsExactly("ip 119 02:00:00:00:00:01 10.0.0.1",
            "ip 119 02:00:00:00:00:01 2001:db8:119:0:0:0:0:1");
    }

    @Test
    void a_mac_learned_on_a_local_port_is_heard_at_the_next_poll_and_its_aging_too() {
        feed.poll();
        heard.clear();
        sw.fdb().learn(119, NESTED, nested, 100, 1_000);
        feed.poll();
        assertThat(heard).containsExactly("+119 02:00:00:00:00:99");
        sw.fdb().expire(1_000 + 301_000_000_000L);
        feed.poll();
        assertThat(heard).containsExactly("+119 02:00:00:00:00:99", "-119 02:00:00:00:00:99");
    }

    @Test
    void a_mac_the_control_plane_moves_behind_a_vtep_is_no_longer_local() {
        feed.poll();
        sw.fdb().learn(119, NESTED, nested, 100, 1_000);
        feed.poll();
        heard.clear();
        sw.fdb().addEvpn(119, NESTED, tunnel, 0, 1);
        feed.poll();
        assertThat(heard).containsExactly("-119 02:00:00:00:00:99");
    }

    @Test
    void an_evpn_mac_that_a_local_frame_takes_back_is_local_again() {
        sw.fdb().addEvpn(119, NESTED, tunnel, 0, 1);
        feed.poll();
        heard.clear();
        sw.fdb().learn(119, NESTED, nested, 100, 1_000);
        feed.poll();
        assertThat(heard).containsExactly("+119 02:00:00:00:00:99");
    }

    @Test
    void macs_in_other_vlans_are_not_this_vnis() {
        feed.poll();
        heard.clear();
        sw.fdb().learn(200, NESTED, nested, 100, 1_000);
        feed.poll();
        assertThat(heard).isEmpty();
    }

    @Test
    void a_journal_that_overflowed_asks_for_a_rescan() {
        feed.poll();
        heard.clear();
        for (int i = 0; i < 40; i++) {
            sw.fdb().learn(119, 0x0200_0000_1000L + i, nested, 100, 1_000);
        }
        feed.poll();
        assertThat(heard).first().asString().startsWith("sync 119 {");
        assertThat(heard.getFirst()).contains("02:00:00:00:10:27");
    }

    @Test
    void a_port_change_rescans_at_the_next_poll() {
        feed.poll();
        heard.clear();
        sw.addVnicPort("vm2", "vlan119", MacAddress.parseBits("02:00:00:00:00:02"));
        feed.rescanSoon();
        feed.poll();
        assertThat(heard).singleElement().asString().contains("02:00:00:00:00:02=false");
    }
}
