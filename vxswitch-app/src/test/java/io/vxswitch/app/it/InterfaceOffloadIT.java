package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An interface port with {@code offload: true} (PACKET_VNET_HDR): the VM behind the veth keeps its offloads on, as a
 * VM's NIC has them, and the switch takes its TCP super-frames and partial checksums whole instead of asking for
 * {@code ethtool -K ... off}.
 * <pre>
 *   peer 10.0.0.5 --veth (TSO, checksum offload on)-- up0 (interface port, offload) --+ vxswitch
 *   vm1  10.0.0.1 --tap (offload)-----------------------------------------------------+
 * </pre>
 * Both directions carry 20 MiB whose SHA-256 is compared end to end: each receiver trusts a checksum left to a NIC
 * that never ran, so only the digest would see a frame corrupted on the way. Three ways: the peer's TSO super-frames
 * read with recvmmsg, the same through the ring, and the peer sending 1500-byte segments that the kernel's GRO on
 * up0 joins into super-frames before vxswitch reads them.
 */
@Timeout(180)
class InterfaceOffloadIT extends LabIT {
    @ParameterizedTest(name = "ring {0}, super-frames from {1}")
    @CsvSource({"false, tso", "true, tso", "false, gro"})
    void super_frames_cross_an_interface_port_whole_both_ways_and_arrive_intact(boolean ring, String from) {
        Tools.assume("the digest transfer", "ethtool", "python3");
        Netns host = lab.netns("host");
        Netns peer = lab.vmOnVeth("peer", host, "up0", "10.0.0.5/24", "02:00:00:00:00:05", 1500);
        // tso: the peer's NIC segments and checksums in "hardware" (the kernel leaves it to the veth). gro: the peer
        // sends segments, and up0's GRO joins them (leaving the checksum to fill in, as TSO does).
        boolean tso = from.equals("tso");
        String segmentation = tso ? "on" : "off";
        peer.exec("ethtool", "-K", "eth0", "tx", "on", "sg", "on", "tso", segmentation, "gso", segmentation);
        host.exec("ethtool", "-K", "up0", "gro", tso ? "off" : "on");
        Daemon daemon = Daemon.start(lab, host, """
            switch: {name: it-interface-offload}
            portGroups:
              - {name: lan, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: lan}
              - {name: up0, type: interface, interface: up0, kind: vnic, portGroup: lan, offload: true, ring: %s}
            """.formatted(ring));
        assertThat(daemon.output()).as("a ring's blocks hold a 64 KiB super-frame")
            .contains("on interface up0 (mtu 1500" + (ring ? ", rx ring 32 x 128 KiB" : "") + ", offload: vnet header)");
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");

        DigestTransfer.assertIntact(lab, peer, vm1, "10.0.0.1", 7);
        DigestTransfer.assertIntact(lab, vm1, peer, "10.0.0.5", 8);

        JsonNode up0 = daemon.portStats("up0");
        assertThat(up0.get("rxBytes").asDouble() / up0.get("rxFrames").asDouble())
            .as("mean size of the frames up0 took from the peer: super-frames, not 1514-byte ones\n" + up0)
            .isGreaterThan(4000);
        assertThat(up0.get("offload").has("superFramesCut")).as("nothing cut for up0: its kernel takes super-frames")
            .isFalse();
        for (String name : new String[] {"vm1", "up0"}) {
            // tx_queue_full may count a copy or two when a burst of super-frames outruns the sender: TCP resends it
            JsonNode drops = daemon.portStats(name).get("drops");
            assertThat(drops.has("rx_refused") || drops.has("tx_refused"))
                .as("frames " + name + " could not take or send: " + drops).isFalse();
        }
        assertThat(daemon.stop()).doesNotContain("Exception");
    }
}
