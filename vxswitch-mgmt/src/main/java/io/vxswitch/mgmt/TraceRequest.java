package io.vxswitch.mgmt;

import io.vxswitch.mgmt.view.FdbFilter;
import io.vxswitch.packet.EtherType;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A frame to trace, as {@code ofproto/trace} takes one: either described by its fields or given whole as hex.
 *
 * @param port      the port it arrives on
 * @param src       source MAC
 * @param dst       destination MAC
 * @param vlan      802.1Q tag to put on it (null: untagged)
 * @param ethertype {@code arp}, {@code ipv4} (an ICMP echo) or a number such as {@code 0x88cc} (null: ipv4)
 * @param srcIp     sender IPv4 address for arp/ipv4 (null: 192.0.2.1)
 * @param dstIp     target IPv4 address for arp/ipv4 (null: 192.0.2.2)
 * @param hex       the whole frame in hex, from the destination MAC on; excludes the fields above
 */
public record TraceRequest(String port, String src, String dst, Integer vlan, String ethertype, String srcIp,
                           String dstIp, String hex) {
    static final int MAX_FRAME = 9022;

    /** Builds the frame into a new segment of exactly its length. */
    public MemorySegment frame(Arena arena) {
        if (port == null || port.isBlank()) {
            throw ApiException.badRequest("a trace needs the port the frame arrives on (\"port\")");
        }
        if (hex != null) {
            if (src != null || dst != null || vlan != null || ethertype != null) {
                throw ApiException.badRequest("give either hex (a whole frame) or src/dst/vlan/ethertype, not both");
            }
            return fromHex(arena);
        }
        if (src == null || dst == null) {
            throw ApiException.badRequest("a trace needs \"src\" and \"dst\" MACs, or \"hex\" with a whole frame");
        }
        long s = FdbFilter.parseMac(src);
        long d = FdbFilter.parseMac(dst);
        int sip = ip(srcIp, "192.0.2.1", "srcIp");
        int dip = ip(dstIp, "192.0.2.2", "dstIp");
        MemorySegment buf = arena.allocate(MAX_FRAME);
        String kind = ethertype == null ? "ipv4" : ethertype.trim().toLowerCase(Locale.ROOT);
        int length = switch (kind) {
            case "ipv4", "icmp" -> FrameBuilder.icmpEcho(buf, 0, s, d, sip, dip, true, 1, 1);
            case "arp" -> {
                int n = FrameBuilder.arpRequest(buf, 0, s, sip, dip);
                MacAddress.write(buf, 0, d); // the destination asked for, e.g. a unicast ARP probe
                yield n;
            }
            default -> {
                int type = etherType(kind);
                int n = FrameBuilder.ethernet(buf, 0, d, s, type);
                yield FrameBuilder.padToMinimum(buf, 0, n);
            }
        };
        if (vlan != null) {
            if (vlan < 0 || vlan > 4094) {
                throw ApiException.badRequest("vlan must be 0-4094, got " + vlan);
            }
            length = FrameBuilder.pushVlanTag(buf, 0, length, vlan);
        }
        return buf.asSlice(0, length);
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private MemorySegment fromHex(Arena arena) {
        byte[] bytes;
        try {
            bytes = HexFormat.of().parseHex(hex.replaceAll("[\\s:.-]", ""));
        } catch (IllegalArgumentException e) {
            // HexFormat says which character, as "\"z\" = 122": say it as a sentence instead
            throw ApiException.badRequest("hex must be the frame's bytes in hex digits (0-9, a-f; spaces, ':', '.' and"
                + " '-' between them are ignored) and of an even count, got '" + abbreviate(hex) + "'");
        }
        if (bytes.length < 14 || bytes.length > MAX_FRAME) {
            throw ApiException.badRequest("a frame in hex must be 14-" + MAX_FRAME + " bytes, got " + bytes.length);
        }
        MemorySegment s = arena.allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, s, 0, bytes.length);
        return s;
    }

    private static int ip(String text, String otherwise, String what) {
        try {
            return Ipv4Address.parse(text == null ? otherwise : text.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(what + ": " + e.getMessage());
        }
    }

    private static int etherType(String text) {
        try {
            int t = text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text);
            if (t >= 0x0600 && t <= 0xFFFF && t != EtherType.VLAN) {
                return t;
            }
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw ApiException.badRequest("ethertype must be arp, ipv4 or a number 0x0600-0xffff (not 0x8100: use"
            + " \"vlan\"), got '" + text + "'");
    }
}
