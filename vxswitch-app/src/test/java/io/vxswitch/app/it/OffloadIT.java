package io.vxswitch.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Taps with checksum and TCP segmentation offload (the default): vm1's stack hands vxswitch 64 KiB TCP super-frames
 * with checksums left to fill in, and every kind of egress must turn them into what its wire carries.
 * <pre>
 *   vm1 10.0.0.1 --tap (offload)--+                                       +-- vm3 10.0.0.3 (hostB: br0 + kernel vxlan)
 *   vm2 10.0.0.2 --tap (offload)--+ vxswitch (hostA) -- vx119 VTEP 192.0.2.1 == ul0 veth == 192.0.2.2
 *   vm4 10.0.0.4 --tap (no offload)-+
 *   peer 10.0.0.5 --veth-- up0 (interface port)
 * </pre>
 * Super-frames go whole to vm2 (its kernel takes them as they are), cut into segments with their checksums to vm4,
 * to the packet socket of up0, and into VXLAN datagrams for the kernel VTEP, where tshark checks every inner checksum.
 */
@Timeout(180)
class OffloadIT extends LabIT {
    private static final int SECONDS = 2;

    private Netns vm1;
    private Netns vm2;
    private Netns vm3;
    private Netns vm4;
    private Netns peer;
    private Netns hostB;
    private Daemon daemon;

    @BeforeEach
    void build() {
        Tools.assume("the offload checks", "ethtool", "iperf3", "tshark", "python3");
        Netns hostA = lab.netns("hostA");
        hostB = lab.netns("hostB");
        lab.veth(hostA, "ul0", hostB, "ul0", 1500);
        hostA.ip("addr add 192.0.2.1/24 dev ul0");
        hostB.ip("addr add 192.0.2.2/24 dev ul0");
        hostA.offloadsOff("ul0");
        hostB.offloadsOff("ul0");
        // hostA's underlay NIC checksums UDP (as real NICs do; kernels before 6.10 refuse UDP GSO without it) but does
        // not segment UDP, so the kernel cuts vxswitch's GSO messages before the veth and tshark on hostB sees the
        // datagrams as they would be on a wire.
        hostA.exec("ethtool", "-K", "ul0", "tx", "on", "tx-udp-segmentation", "off");
        vm3 = lab.vm3BehindKernelVtep(hostB, "192.0.2.2", "192.0.2.1", "10.0.0.3/24", "02:00:00:00:00:03");
        peer = lab.vmOnVeth("peer", hostA, "up0", "10.0.0.5/24", "02:00:00:00:00:05", 1450);
        peer.offloadsOff("eth0");
        hostA.offloadsOff("up0");

        daemon = Daemon.start(lab, hostA, """
            switch: {name: it-offload}
            portGroups:
              - {name: vlan119, vlan: 119, security: {forgedTransmits: accept}, macLearning: {enabled: true}}
            ports:
              - {name: vm1, type: tap, portGroup: vlan119, mtu: 1450}
              - {name: vm2, type: tap, portGroup: vlan119, mtu: 1450}
              - {name: vm4, type: tap, portGroup: vlan119, mtu: 1450, offload: false}
              - {name: up0, type: interface, interface: up0, portGroup: vlan119}
            tunnels:
              - {name: vx119, vni: 119, vlan: 119, local: 192.0.2.1, remotes: [192.0.2.2], port: 4789}
            """);
        assertThat(daemon.output()).contains("tap vm1 (offload: csum, tso, uso)").doesNotContain("tap vm4 (offload")
            .contains(", UDP GSO");
        vm1 = lab.vmOnTap("vm1", hostA, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        vm2 = lab.vmOnTap("vm2", hostA, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        vm4 = lab.vmOnTap("vm4", hostA, "vm4", "10.0.0.4/24", "02:00:00:00:00:04");
    }

    @Test
    void tcp_super_frames_from_an_offloading_tap_reach_every_kind_of_port_finished() throws Exception {
        assertThat(vm1.exec("ethtool", "-k", "vm1")).as("the kernel's view of vm1's NIC")
            .contains("tcp-segmentation-offload: on").contains("tx-checksumming: on");

        for (Object[] to : new Object[][] {{vm2, "10.0.0.2", "tap with offload"}, {vm4, "10.0.0.4", "tap without"},
                {peer, "10.0.0.5", "interface port"}, {vm3, "10.0.0.3", "kernel VTEP"}}) {
            Iperf.Result r = Iperf.tcp(lab, (Netns) to[0], (String) to[1], vm1, SECONDS);
            System.out.printf("[OffloadIT] iperf3 TCP vm1 -> %s (%s), %d s: %.1f Mbit/s%n", to[1], to[2], SECONDS,
                r.mbps());
            assertThat(r.mbps()).as("TCP vm1 -> " + to[2] + "\n" + r.output() + lab.diagnostics()).isGreaterThan(1);
        }

        JsonNode vm1Stats = daemon.portStats("vm1");
        double meanFrame = vm1Stats.get("rxBytes").asDouble() / vm1Stats.get("rxFrames").asDouble();
        assertThat(meanFrame).as("mean size of the frames vm1 handed over: super-frames, not 1464-byte ones\n"
            + vm1Stats).isGreaterThan(4000);
        assertThat(daemon.portStats("vx119").get("offload").get("superFramesCut").asLong())
            .as("super-frames the tunnel cut").isPositive();
        assertThat(daemon.portStats("vm2").get("offload").has("superFramesCut"))
            .as("a tap with offload takes them whole").isFalse();
        for (String name : List.of("vm2", "vm4", "up0", "vx119")) {
            assertThat(daemon.portStats(name).get("drops").has("tx_refused")).as("copies to " + name + " that could "
                + "not be finished or sent\n" + daemon.portStats(name)).isFalse();
        }

        // The same across the tunnel, in a size tshark can read back: every inner TCP segment with its IP and TCP
        // checksums right and no larger than vm1's MTU.
        Capture capture = Capture.tshark(lab, hostB, "ul0", "udp port 4789 and src host 192.0.2.1");
        Background srv = lab.spawn("iperf3 server vm3", vm3, "iperf3", "-s", "-1", "-B", "10.0.0.3", "--forceflush");
        srv.awaitOutput(out -> out.contains("Server listening"), "'Server listening'", Duration.ofSeconds(10));
        Cmd.Result sent = vm1.run(Duration.ofSeconds(30), "iperf3", "-c", "10.0.0.3", "-n", "3M");
        srv.stop("TERM", Duration.ofSeconds(3));
        capture.stop();
        assertThat(sent.ok()).as(sent.out() + sent.err()).isTrue();
        List<String> segments = Cmd.run(List.of("tshark", "-n", "-r", capture.file().toString(),
                "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-Y", "tcp",
                "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=,", "-e", "ip.checksum.status",
                "-e", "tcp.checksum.status", "-e", "ip.len"))
            .check().out().lines().filter(l -> !l.isBlank()).toList();
        assertThat(segments).as("inner TCP segments vxswitch sent to the kernel VTEP (3 MB in about 2200; tshark may "
            + "miss some at this rate)").hasSizeGreaterThan(200);
        assertThat(segments).as("outer and inner IPv4 checksums good (1), TCP checksum good, inner packet within "
            + "vm1's MTU of 1450").allSatisfy(line -> {
                String[] f = line.split("\t");
                assertThat(f[0]).isEqualTo("1,1");
                assertThat(f[1]).isEqualTo("1");
                assertThat(Integer.parseInt(f[2].split(",")[1])).isLessThanOrEqualTo(1450);
            });
        assertThat(daemon.stop()).doesNotContain("Exception").doesNotContain("refused a UDP GSO send");
    }

    /**
     * The other way: vm3's segments arrive one VXLAN datagram each and are coalesced into super-frames for vm1's tap
     * (which then trusts their checksum, so the bytes are compared end to end), cut again for vm4 and up0.
     */
    @Test
    void tcp_segments_from_the_tunnel_are_coalesced_for_an_offloading_tap_and_arrive_intact() throws Exception {
        for (Object[] to : new Object[][] {{vm1, "10.0.0.1", "tap with offload"}, {vm4, "10.0.0.4", "tap without"},
                {peer, "10.0.0.5", "interface port"}}) {
            Iperf.Result r = Iperf.tcp(lab, (Netns) to[0], (String) to[1], vm3, SECONDS);
            System.out.printf("[OffloadIT] iperf3 TCP vm3 -> %s (%s), %d s: %.1f Mbit/s%n", to[1], to[2], SECONDS,
                r.mbps());
            assertThat(r.mbps()).as("TCP vm3 -> " + to[2] + "\n" + r.output() + lab.diagnostics()).isGreaterThan(1);
        }
        long datagrams = 0;
        for (JsonNode t : new ObjectMapper().readTree(daemon.cli("tunnels", "--json"))) {
            for (JsonNode peerVtep : t.get("peers")) {
                datagrams += peerVtep.get("rxPackets").asLong();
            }
        }
        long frames = daemon.portStats("vx119").get("rxFrames").asLong();
        assertThat(datagrams).as("VXLAN datagrams from hostB against the frames they became in the switch "
            + "(" + frames + ")").isGreaterThan(3 * frames);
        JsonNode gro = daemon.portStats("vx119").get("offload");
        assertThat(gro.get("segmentsCoalesced").asLong()).as("GRO counters " + gro)
            .isGreaterThan(3 * gro.get("superFramesCoalesced").asLong()).isLessThanOrEqualTo(datagrams);

        DigestTransfer.assertIntact(lab, vm3, vm1, "10.0.0.1", 7);
        assertThat(daemon.stop()).doesNotContain("Exception");
    }

    /**
     * vm1 sends with UDP_SEGMENT (USO): its kernel hands the tap 14000-byte UDP super-frames, which reach a tap with
     * offload whole (its kernel cuts them for the socket), and a tap without, the packet socket and the tunnel as ten
     * datagrams each, every one checked for length, content and (by the receiving kernel) checksum.
     */
    @Test
    void udp_super_frames_from_an_offloading_tap_arrive_as_their_datagrams() throws Exception {
        assertThat(vm1.exec("ethtool", "-k", "vm1")).as("USO on vm1's NIC (Linux 6.2+)")
            .contains("tx-udp-segmentation: on");
        for (Object[] to : new Object[][] {{vm2, "10.0.0.2"}, {vm4, "10.0.0.4"}, {peer, "10.0.0.5"}, {vm3, "10.0.0.3"}}) {
            Background receiver = lab.spawn("udp receiver " + to[1], (Netns) to[0], "python3", "-c", UDP_RECEIVER,
                (String) to[1]);
            receiver.awaitOutput(out -> out.contains("listening"), "'listening'", Duration.ofSeconds(10));
            Cmd.Result sent = vm1.run(Duration.ofSeconds(30), "python3", "-c", UDP_SENDER, (String) to[1]);
            assertThat(sent.ok()).as(sent.out() + sent.err()).isTrue();
            receiver.awaitOutput(out -> out.contains("datagrams "), "the receiver's count", Duration.ofSeconds(20));
            assertThat(receiver.output()).as("UDP datagrams at " + to[1] + "\n" + lab.diagnostics())
                .contains("datagrams 500 good 500");
        }
        JsonNode vm1Stats = daemon.portStats("vm1");
        assertThat(vm1Stats.get("rxBytes").asDouble() / vm1Stats.get("rxFrames").asDouble())
            .as("mean size of the frames vm1 handed over: UDP super-frames\n" + vm1Stats).isGreaterThan(4000);
    }

    /** 50 sends of ten 1400-byte datagrams with UDP_SEGMENT, each datagram numbered and filled from its number. */
    private static final String UDP_SENDER = """
        import socket, sys, time
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setsockopt(17, 103, 1400)  # SOL_UDP, UDP_SEGMENT
        for b in range(50):
            s.sendto(b"".join((b * 10 + i).to_bytes(4, "big") + bytes((b * 10 + i + j) & 0xFF for j in range(1396))
                              for i in range(10)), (sys.argv[1], 9001))
            time.sleep(0.005)
        time.sleep(0.2)
        s.setsockopt(17, 103, 0)
        s.sendto(b"end", (sys.argv[1], 9001))
        """;
    /** Counts datagrams until "end": how many, and how many have the length and content they were sent with. */
    private static final String UDP_RECEIVER = """
        import socket, sys
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((sys.argv[1], 9001)); s.settimeout(15)
        # room for all 500 (SO_RCVBUFFORCE, root): checking each one in Python is slower than they come on a busy
        # machine, and the default buffer (~90 such datagrams) then drops some that the switch delivered
        s.setsockopt(socket.SOL_SOCKET, 33, 8 << 20)
        print("listening", flush=True)
        n = good = 0
        while True:
            d = s.recv(65535)
            if d == b"end": break
            n += 1; q = int.from_bytes(d[:4], "big")
            good += len(d) == 1400 and d[4:] == bytes((q + j) & 0xFF for j in range(1396))
        udp = [l.split() for l in open("/proc/net/snmp") if l.startswith("Udp:")]
        print("datagrams", n, "good", good, "(this namespace's UDP receive buffer errors:",
              udp[1][udp[0].index("RcvbufErrors")] + ")", flush=True)
        """;
}
