package io.vxswitch.evpn.switching;

import io.vxswitch.forwarding.Switch;
import io.vxswitch.forwarding.SwitchOptions;
import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.policy.MacLearningPolicy;
import io.vxswitch.forwarding.policy.PortGroupPolicy;
import io.vxswitch.forwarding.policy.SecurityPolicy;
import io.vxswitch.forwarding.policy.VlanPolicy;
import io.vxswitch.forwarding.policy.VlanRange;
import io.vxswitch.vxlan.FloodList;
import io.vxswitch.vxlan.RemoteVteps;
import io.vxswitch.vxlan.VtepAddress;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/** EVPN's decisions reach the switch in bursts: one command per commit, applied in order by the command path. */
class SwitchProgrammerTest {
    private static final int VNI = 119;
    private static final int VLAN = 119;

    private Switch sw;
    private RemoteVteps remotes;
    private FloodList flood;
    private int tunnelPort;
    private final List<Consumer<Switch>> submitted = new ArrayList<>();
    private SwitchProgrammer programmer;

    @BeforeEach
    void setUp() {
        sw = new Switch(SwitchOptions.defaults("test").withMaxPorts(8));
        sw.addPortGroup(new PortGroupPolicy("vxlan", VlanPolicy.trunk(VlanRange.parseList("119"), 0),
            SecurityPolicy.VDS_DEFAULT, MacLearningPolicy.ENABLED));
        tunnelPort = sw.addTunnelPort("vx119", "vxlan");
        remotes = new RemoteVteps(16);
        remotes.serve(sw);
        flood = new FloodList(remotes);
        programmer = new SwitchProgrammer(submitted::add,
            List.of(new SwitchProgrammer.Tunnel(VNI, VLAN, tunnelPort, flood, remotes, Set.of(), false)), line -> { });
    }

    @Test
    void changes_wait_for_the_commit_and_then_go_as_one_command() {
        programmer.addFloodVtep(VNI, ip("198.51.100.2"));
        programmer.installRemoteMac(VNI, 0x0A00_0000_0001L, ip("198.51.100.2"), 0);
        programmer.installRemoteMac(VNI, 0x0A00_0000_0002L, ip("198.51.100.2"), 3);
        assertThat(submitted).as("nothing before the commit").isEmpty();

        programmer.commit();
        assertThat(submitted).hasSize(1);
        runSubmitted();
        assertThat(flood.targets(VNI).size()).isEqualTo(1);
        int id = remotes.idOf(VtepAddress.parse("198.51.100.2"));
        assertThat(sw.fdb().entryRemote(sw.fdb().entryId(VLAN, 0x0A00_0000_0001L))).isEqualTo(id);
        assertThat(sw.fdb().evpnSequence(VLAN, 0x0A00_0000_0002L)).isEqualTo(3);

        programmer.commit();
        assertThat(submitted).as("an empty burst is no command").isEmpty();
    }

    @Test
    void a_burst_keeps_its_order_a_mac_installed_then_withdrawn_is_gone_and_so_is_its_vtep() {
        programmer.installRemoteMac(VNI, 0x0A00_0000_0001L, ip("198.51.100.3"), 0);
        programmer.removeRemoteMac(VNI, 0x0A00_0000_0001L);
        programmer.commit();
        runSubmitted();
        assertThat(sw.fdb().portOf(VLAN, 0x0A00_0000_0001L)).isEqualTo(Fdb.NOT_FOUND);
        assertThat(remotes.idOf(VtepAddress.parse("198.51.100.3"))).as("no MAC or flood list names it")
            .isEqualTo(RemoteVteps.NONE);
    }

    @Test
    void a_mac_that_moves_to_another_vtep_releases_the_first_one() {
        programmer.installRemoteMac(VNI, 0x0A00_0000_0001L, ip("198.51.100.4"), 0);
        programmer.commit();
        programmer.installRemoteMac(VNI, 0x0A00_0000_0001L, ip("198.51.100.5"), 1);
        programmer.commit();
        runSubmitted();
        assertThat(remotes.idOf(VtepAddress.parse("198.51.100.4"))).isEqualTo(RemoteVteps.NONE);
        int id = remotes.idOf(VtepAddress.parse("198.51.100.5"));
        assertThat(sw.fdb().entryRemote(sw.fdb().entryId(VLAN, 0x0A00_0000_0001L))).isEqualTo(id);
    }

    @Test
    void a_long_burst_is_cut_into_commands_of_at_most_max_batch_changes() {
        int n = SwitchProgrammer.MAX_BATCH * 2 + 5;
        for (int i = 0; i < n; i++) {
            programmer.installRemoteMac(VNI, 0x0A00_0000_0000L | i, ip("198.51.100.6"), 0);
        }
        assertThat(submitted).as("full batches go before the commit").hasSize(2);
        programmer.commit();
        assertThat(submitted).hasSize(3);
        runSubmitted();
        assertThat(sw.fdb().size()).isEqualTo(n);
    }

    private void runSubmitted() {
        submitted.forEach(c -> c.accept(sw));
        submitted.clear();
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
