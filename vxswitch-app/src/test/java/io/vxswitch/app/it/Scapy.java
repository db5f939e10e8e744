package io.vxswitch.app.it;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hand-made packets with scapy (Debian's python3-scapy), for what no well-behaved peer sends: VXLAN from an address
 * that is no VTEP, inner frames claiming someone else's MAC. The script runs inside a namespace the test built, and
 * sends on one of its links.
 */
final class Scapy {
    /** Debian's interpreter first: a python3 earlier on PATH (pyenv) may not see the system's scapy. */
    private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");

    private Scapy() {
    }

    /** The python that imports scapy; skips the test (JUnit assumption) if there is none. */
    static String python(String why) {
        for (String p : PYTHONS) {
            if (Cmd.run(List.of(p, "-c", "import scapy.all")).ok()) {
                return p;
            }
        }
        assumeTrue(false, why + " needs scapy (apt-get install python3-scapy, as in .ci/run) - skipped");
        return null;
    }

    /**
     * Sends {@code count} VXLAN packets (VNI {@code vni}, UDP 4789) out of {@code dev} in {@code ns}: outer Ethernet
     * to {@code dstMac}, IPv4 from {@code srcIp} to {@code dstIp}; inside, a broadcast ARP request from
     * {@code innerSrcMac} for 10.0.0.1.
     */
    static void sendVxlan(String python, Netns ns, String dev, String dstMac, String srcIp, String dstIp, int vni,
                          String innerSrcMac, int count) {
        String script = """
            import sys
            from scapy.all import ARP, Ether, IP, UDP, sendp
            from scapy.layers.vxlan import VXLAN
            dev, dst_mac, src_ip, dst_ip, vni, inner_src, count = sys.argv[1:]
            inner = Ether(src=inner_src, dst="ff:ff:ff:ff:ff:ff") / ARP(op=1, hwsrc=inner_src, psrc="10.0.0.66",
                                                                      pdst="10.0.0.1")
            packet = (Ether(dst=dst_mac) / IP(src=src_ip, dst=dst_ip) / UDP(sport=40000, dport=4789)
                      / VXLAN(flags=0x08, vni=int(vni)) / inner)
            sendp(packet, iface=dev, count=int(count), inter=0.01, verbose=False)
            """;
        List<String> command = new ArrayList<>(List.of(python, "-c", script, dev, dstMac, srcIp, dstIp,
            Integer.toString(vni), innerSrcMac, Integer.toString(count)));
        ns.exec(command.toArray(String[]::new));
    }
}
