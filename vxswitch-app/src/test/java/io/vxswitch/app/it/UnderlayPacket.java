package io.vxswitch.app.it;

import java.nio.file.Path;
import java.util.List;

/**
 * One packet of an underlay capture as tshark dissects it ({@code -T fields}): the outer addresses, the VXLAN
 * header fields, the inner source MAC, and whether the dissectors found anything malformed.
 */
record UnderlayPacket(int frame, String outerSrc, String outerDst, String vni, String flagI, String flagsReserved,
                      String reserved8, String innerSrcMac, String malformed, String expertSeverity) {
    private static final List<String> FIELDS = List.of("frame.number", "ip.src", "ip.dst", "vxlan.vni", "vxlan.flag_i",
        "vxlan.flags_reserved", "vxlan.reserved8", "eth.src", "_ws.malformed", "_ws.expert.severity");

    /** Every packet in {@code pcap} (fields with several occurrences, like ip.src, are comma separated). */
    static List<UnderlayPacket> dissect(Path pcap) {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-T", "fields",
            "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (String f : FIELDS) {
            cmd.add("-e");
            cmd.add(f);
        }
        return Cmd.run(cmd).check().out().lines().filter(l -> !l.isBlank()).map(UnderlayPacket::parse).toList();
    }

    private static UnderlayPacket parse(String line) {
        String[] f = line.split("\t", -1);
        String[] macs = f[7].split(",");
        return new UnderlayPacket(Integer.parseInt(f[0]), first(f[1]), first(f[2]), f[3], f[4], f[5], f[6],
            macs[macs.length - 1], f[8], f[9]);
    }

    private static String first(String aggregated) {
        int comma = aggregated.indexOf(',');
        return comma < 0 ? aggregated : aggregated.substring(0, comma);
    }

    boolean from(String src, String dst) {
        return outerSrc.equals(src) && outerDst.equals(dst);
    }

    /** VXLAN with the I flag, this VNI, every reserved field zero (RFC 7348 §5), nothing malformed. */
    boolean isCleanVxlan(int expectedVni) {
        return vni.equals(Integer.toString(expectedVni)) && (flagI.equals("1") || flagI.equalsIgnoreCase("true"))
            && flagsReserved.matches("0x0*|0") && reserved8.equals("0") && malformed.isEmpty()
            && noExpertErrors();
    }

    /** tshark's expert severities: chat 0x200000, note 0x400000, warn 0x600000, error 0x800000. */
    private boolean noExpertErrors() {
        for (String s : expertSeverity.split(",")) {
            if (!s.isBlank() && Long.decode(s.trim()) >= 0x800000) {
                return false;
            }
        }
        return true;
    }
}
