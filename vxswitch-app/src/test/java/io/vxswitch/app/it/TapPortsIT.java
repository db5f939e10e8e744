package io.vxswitch.app.it;

import io.vxswitch.linux.dataplane.TapReadMode;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two "VMs" on vxswitch TAP ports. The daemon runs in namespace host and creates taps vm1, vm2 and spy; the test
 * moves each tap into its own namespace, the way a hypervisor hands a tap to a VM:
 * <pre>
 *   [vm1 10.0.0.1 02:..:01]--tap vm1--+
 *   [vm2 10.0.0.2 02:..:02]--tap vm2--+-- vxswitch (namespace host), port group VLAN 119
 *   [spy, no address, tcpdump]--tap spy--+
 * </pre>
 * vm1 and vm2 ping each other. There is no "fdb show" command yet, so the FDB is checked by its effect: the spy
 * port sees the ARP request (broadcast, flooded) but none of the unicast ARP reply and ICMP echoes, which the switch
 * can only keep from it if it holds vm1's MAC on port vm1 and vm2's MAC on port vm2.
 */
@Timeout(120)
class TapPortsIT extends LabIT {
    private static final String VM1_MAC = "02:00:00:00:00:01";
    private static final String VM2_MAC = "02:00:00:00:00:02";
    private static final String SPY_MAC = "02:00:00:00:00:0f";

    @Test
    void vnic_ports_with_their_vm_macs_switch_unicast_between_two_vms_and_remove_their_taps_on_sigterm() {
        // The VDS model: each vNIC port knows its VM's MAC (a static FDB entry); security is the VDS default
        // (promiscuous, MAC changes and forged transmits all rejected) and nothing is learned.
        String yaml = """
            switch: {name: it-taps}
            portGroups:
              - {name: vlan119, vlan: 119}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mac: "%s"}
              - {name: vm2, type: tap, portGroup: vlan119, mac: "%s"}
              - {name: spy, type: tap, portGroup: vlan119, mac: "%s"}
            """.formatted(VM1_MAC, VM2_MAC, SPY_MAC);
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, yaml);
        assertThat(daemon.output()).as("one start-up line per port, with the vNIC MAC")
            .containsPattern("port vm1 .*MAC " + VM1_MAC + " on tap vm1")
            .containsPattern("port vm2 .*MAC " + VM2_MAC + " on tap vm2");
        if (TapReadMode.whyNotRing() == null) {
            assertThat(daemon.output()).as("by default taps are read through io_uring where the kernel can")
                .containsPattern("on tap vm1 .*\\(io_uring reads\\)").doesNotContain("tap reads: read(2)");
        }

        Netns[] vms = twoVmsPingEachOtherAndTheSpySeesNoUnicast(host);

        String out = daemon.stop();
        assertThat(out).as("vxswitch output after SIGTERM").contains("stopped").doesNotContain("Exception");
        assertThat(vms[0].linkGone("vm1")).as("tap vm1 removed when vxswitch stops\n" + out).isTrue();
        assertThat(vms[1].linkGone("vm2")).as("tap vm2 removed when vxswitch stops\n" + out).isTrue();
    }

    @Test
    void learning_ports_learn_both_vm_macs_and_switch_unicast_between_them() {
        // No MACs in the config: the port group accepts any source MAC and learns it on the port it came from.
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, learning("it-taps-learning"));
        twoVmsPingEachOtherAndTheSpySeesNoUnicast(host);
        assertThat(daemon.isAlive()).as("vxswitch still running\n" + daemon.output()).isTrue();
    }

    /**
     * The default ({@code tapReads: auto}) where io_uring is switched off, as a container's seccomp profile or an
     * administrator's {@code kernel.io_uring_disabled} does: one line says taps are read with read(2) and why, and
     * the VMs are switched as before. The sysctl is the machine's: it is put back as soon as the switch has started.
     */
    @Test
    void where_io_uring_is_switched_off_the_default_reads_taps_with_read_and_says_why() throws IOException {
        Netns host = lab.netns("host");
        Daemon daemon = whileIoUringIsSwitchedOff(() -> Daemon.start(lab, host, learning("it-taps-no-uring")));
        assertThat(daemon.output()).as("the fallback, said once, with the reason and what to do")
            .containsOnlyOnce("tap reads: read(2), a system call per frame, as io_uring cannot read taps here")
            .contains("kernel.io_uring_disabled").contains("switch.tapReads: read")
            .doesNotContain("(io_uring reads)")
            .as("each tap's line, how it is read")
            .containsPattern("on tap vm1 .*\\(read\\(2\\) reads: io_uring refused \\[io_uring_setup: EPERM\\]\\)");
        twoVmsPingEachOtherAndTheSpySeesNoUnicast(host);
        assertThat(daemon.isAlive()).as("vxswitch still running\n" + daemon.output()).isTrue();
    }

    /**
     * io_uring allowed as the switch starts, and switched off before a tap port is added: the start-up's probe said
     * nothing, so the added port's own line says that it reads with read(2), and why; the VM behind it is switched.
     */
    @Test
    void a_tap_added_where_io_uring_was_switched_off_since_the_start_says_it_reads_with_read() throws IOException {
        Assumptions.assumeTrue(TapReadMode.whyNotRing() == null, "io_uring cannot read taps here at all");
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, learning("it-taps-late-no-uring"));
        assertThat(daemon.output()).doesNotContain("tap reads: read(2)");
        String added = whileIoUringIsSwitchedOff(
            () -> daemon.cli("ports", "add", "vm3", "--type", "tap", "--port-group", "vlan119"));
        assertThat(added).as("the added port's line")
            .startsWith("added port vm3")
            .containsPattern("on tap vm3 .*\\(read\\(2\\) reads: io_uring refused \\[io_uring_setup: EPERM\\]\\)");
        lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1_MAC);
        Netns vm3 = lab.vmOnTap("vm3", host, "vm3", "10.0.0.3/24", "02:00:00:00:00:03");
        Ping there = vm3.ping("10.0.0.1");
        assertThat(there.allAnsweredOnce()).as("the tap read with read(2) forwards\n" + there + lab.diagnostics())
            .isTrue();
        assertThat(daemon.isAlive()).as("vxswitch still running\n" + daemon.output()).isTrue();
    }

    /**
     * Runs {@code action} with {@code kernel.io_uring_disabled=2}, and puts the machine's sysctl back right after it,
     * whatever happens; skips the test where the sysctl cannot be set.
     */
    private static <T> T whileIoUringIsSwitchedOff(Supplier<T> action) throws IOException {
        Path sysctl = Path.of("/proc/sys/kernel/io_uring_disabled");
        Assumptions.assumeTrue(Files.isWritable(sysctl), "no kernel.io_uring_disabled to set here");
        String before = Files.readString(sysctl).trim();
        try {
            Files.writeString(sysctl, "2");
            return action.get();
        } finally {
            Files.writeString(sysctl, before);
        }
    }

    /** Switch {@code name}: taps vm1, vm2 and spy in a port group that accepts any source MAC and learns it. */
    private static String learning(String name) {
        return """
            switch: {name: %s}
            portGroups:
              - {name: vlan119, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119}
              - {name: vm2, type: tap, portGroup: vlan119}
              - {name: spy, type: tap, portGroup: vlan119}
            """.formatted(name);
    }

    private Netns[] twoVmsPingEachOtherAndTheSpySeesNoUnicast(Netns host) {
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1_MAC);
        Netns vm2 = lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", VM2_MAC);
        Netns spy = lab.vmOnTap("spy", host, "spy", null, SPY_MAC);
        Capture sniff = Capture.tcpdump(lab, spy, "spy");

        Ping there = vm1.ping("10.0.0.2");
        Ping back = vm2.ping("10.0.0.1");
        String seen = sniff.stop();

        assertThat(there.allAnsweredOnce()).as(there + lab.diagnostics()).isTrue();
        assertThat(back.allAnsweredOnce()).as(back + lab.diagnostics()).isTrue();
        // ARP learned by the VMs: each has the other's MAC in its neighbour table
        assertThat(vm1.exec("ip", "neigh", "show", "10.0.0.2")).contains("lladdr " + VM2_MAC);
        assertThat(vm2.exec("ip", "neigh", "show", "10.0.0.1")).contains("lladdr " + VM1_MAC);
        // The FDB by its effect: broadcast reaches the spy, unicast between vm1 and vm2 does not
        assertThat(seen).as("what the spy port received")
            .contains(VM1_MAC + " > ff:ff:ff:ff:ff:ff").contains("Request who-has 10.0.0.2")
            .doesNotContain("ICMP echo").doesNotContain("Reply 10.0.0.2 is-at");
        return new Netns[] {vm1, vm2};
    }
}
