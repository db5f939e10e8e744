package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed story on real devices: a VM that is itself a hypervisor, with many MACs behind its one vNIC.
 * <pre>
 *   vm1 10.0.0.1 --tap vm1--+ vxswitch (namespace host)
 *                           +--tap esx--[namespace esx: Linux bridge br0 02:..:0e:00, 10.0.0.100]
 *                                            +-- veth -- nvm1 10.0.0.11 02:00:00:00:01:01
 *                                            +-- veth -- nvm2 10.0.0.12 02:00:00:00:01:02
 *                                            +-- veth -- nvm3 10.0.0.13 02:00:00:00:01:03
 * </pre>
 * The nested hypervisor's own address (10.0.0.100, on br0) uses the MAC a VDS would know for its vNIC; the nested
 * VMs' MACs are unknown to the switch. The port group of port esx changes from test to test.
 */
@Timeout(120)
class NestedHypervisorIT extends LabIT {
    private static final String VM1_MAC = "02:00:00:00:00:01";
    private static final String ESX_MAC = "02:00:00:00:0e:00";
    private static final String[] NESTED_IPS = {"10.0.0.11", "10.0.0.12", "10.0.0.13"};

    private Netns vm1;

    @Test
    void with_mac_learning_every_nested_vm_answers_once() {
        build("{name: nested, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}",
            "{name: esx, type: tap, portGroup: nested}");
        for (String ip : NESTED_IPS) {
            Ping p = vm1.ping(ip);
            assertThat(p.allAnsweredOnce()).as("ping %s through the learning port: answered, no DUP!\n%s%s", ip, p,
                lab.diagnostics()).isTrue();
        }
        Ping own = vm1.ping("10.0.0.100");
        assertThat(own.allAnsweredOnce()).as(own + lab.diagnostics()).isTrue();
    }

    @Test
    void with_the_vds_default_policy_nested_vms_are_cut_off_and_only_the_vnic_mac_answers() {
        // Security all reject, no learning: the port knows one MAC, the nested hypervisor's vNIC (br0's MAC).
        build("{name: nested, vlan: 119}",
            "{name: esx, type: tap, portGroup: nested, mac: \"" + ESX_MAC + "\"}");
        Ping own = vm1.ping("10.0.0.100");
        assertThat(own.allAnsweredOnce()).as("the nested hypervisor's own address, behind its vNIC MAC: the setup "
            + "works\n" + own + lab.diagnostics()).isTrue();
        for (String ip : NESTED_IPS) {
            Ping p = vm1.ping(ip, 3, 1);
            assertThat(p.noneAnswered()).as("ping %s: the nested VM's replies are forged transmits and are dropped\n%s",
                ip, p).isTrue();
        }
    }

    @Test
    void with_a_mac_limit_of_two_and_policy_drop_the_third_nested_vm_is_cut_off() {
        build("{name: nested, vlan: 119, security: {forgedTransmits: accept}, "
                + "macLearning: {enabled: true, limit: 2, limitPolicy: drop}}",
            "{name: esx, type: tap, portGroup: nested}");
        // The nested VMs are silent (IPv6 off) until pinged, so they are learned in ping order.
        for (String ip : new String[] {NESTED_IPS[0], NESTED_IPS[1]}) {
            Ping p = vm1.ping(ip);
            assertThat(p.allAnsweredOnce()).as("ping %s, within the limit\n%s%s", ip, p, lab.diagnostics()).isTrue();
        }
        Ping third = vm1.ping(NESTED_IPS[2], 3, 1);
        assertThat(third.noneAnswered()).as("ping %s: a third MAC on a port limited to 2 (drop)\n%s", NESTED_IPS[2],
            third).isTrue();
        Ping again = vm1.ping(NESTED_IPS[0]);
        assertThat(again.allAnsweredOnce()).as("the first nested VM still answers\n" + again).isTrue();
        String report = daemon.stop();
        assertThat(report).as("the shutdown report counts the frames cut off by the limit\n" + report)
            .containsPattern("esx +\\d+ +\\d+ +\\d+ +\\d+ +.*mac_limit=[1-9]");
    }

    private Daemon daemon;

    private void build(String nestedGroup, String nestedPort) {
        Netns host = lab.netns("host");
        daemon = Daemon.start(lab, host, """
            switch: {name: it-nested}
            portGroups:
              - {name: vlan119, vlan: 119}
              - %s
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mac: "%s"}
              - %s
            """.formatted(nestedGroup, VM1_MAC, nestedPort));
        vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", VM1_MAC);

        Netns esx = lab.netns("esx");
        esx.ip("link add br0 address " + ESX_MAC + " type bridge mcast_snooping 0");
        esx.ip("addr add 10.0.0.100/24 dev br0");
        esx.ip("link set br0 up");
        host.ip("link set esx netns " + esx.name());
        esx.ip("link set esx master br0");
        esx.ip("link set esx up");
        for (int i = 0; i < NESTED_IPS.length; i++) {
            String name = "nvm" + (i + 1);
            lab.vmOnVeth(name, esx, name, NESTED_IPS[i] + "/24", "02:00:00:00:01:0" + (i + 1), 1500);
            esx.ip("link set " + name + " master br0");
        }
    }
}
