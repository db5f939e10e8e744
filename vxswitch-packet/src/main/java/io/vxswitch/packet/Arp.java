package io.vxswitch.packet;

import java.lang.foreign.MemorySegment;

/**
 * ARP packet view (RFC 826), for the only combination a virtual switch meets: Ethernet hardware
 * addresses and IPv4 protocol addresses. The field offsets below are only valid for that combination,
 * so check {@link #isEthernetIpv4} before trusting {@code sha..tpa}.
 */
public final class Arp {
    public static final int HTYPE_OFFSET = 0;
    public static final int PTYPE_OFFSET = 2;
    public static final int HLEN_OFFSET = 4;
    public static final int PLEN_OFFSET = 5;
    public static final int OPER_OFFSET = 6;
    public static final int SHA_OFFSET = 8;
    public static final int SPA_OFFSET = 14;
    public static final int THA_OFFSET = 18;
    public static final int TPA_OFFSET = 24;
    /** Length of an Ethernet/IPv4 ARP packet; the 42-byte frame is padded to 60 by a physical NIC. */
    public static final int LENGTH = 28;

    /** ar$hrd for Ethernet (IANA ARP parameters, hardware type 1). */
    public static final int HTYPE_ETHERNET = 1;
    /** ar$pro: protocol types share the EtherType space (RFC 826). */
    public static final int PTYPE_IPV4 = EtherType.IPV4;
    public static final int HLEN_ETHERNET = 6;
    public static final int PLEN_IPV4 = 4;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    private Arp() {
    }

    public static int htype(MemorySegment s, long arp) {
        return Wire.u16(s, arp + HTYPE_OFFSET);
    }

    public static int ptype(MemorySegment s, long arp) {
        return Wire.u16(s, arp + PTYPE_OFFSET);
    }

    public static int hlen(MemorySegment s, long arp) {
        return Wire.u8(s, arp + HLEN_OFFSET);
    }

    public static int plen(MemorySegment s, long arp) {
        return Wire.u8(s, arp + PLEN_OFFSET);
    }

    public static int oper(MemorySegment s, long arp) {
        return Wire.u16(s, arp + OPER_OFFSET);
    }

    /** Sender hardware address. */
    public static long sha(MemorySegment s, long arp) {
        return Wire.u48(s, arp + SHA_OFFSET);
    }

    /** Sender protocol (IPv4) address. */
    public static int spa(MemorySegment s, long arp) {
        return Wire.i32(s, arp + SPA_OFFSET);
    }

    /** Target hardware address; zero in a request (RFC 826 leaves it unspecified, every stack sends zero). */
    public static long tha(MemorySegment s, long arp) {
        return Wire.u48(s, arp + THA_OFFSET);
    }

    public static int tpa(MemorySegment s, long arp) {
        return Wire.i32(s, arp + TPA_OFFSET);
    }

    /** True if the fixed header announces 6-byte Ethernet and 4-byte IPv4 addresses. */
    public static boolean isEthernetIpv4(MemorySegment s, long arp) {
        return htype(s, arp) == HTYPE_ETHERNET && ptype(s, arp) == PTYPE_IPV4
            && hlen(s, arp) == HLEN_ETHERNET && plen(s, arp) == PLEN_IPV4;
    }

    /**
     * A gratuitous ARP announces the sender's own binding: sender and target protocol addresses are
     * equal (RFC 5227 §2.3). Switches watch for it because it signals a VM that moved.
     */
    public static boolean isGratuitous(MemorySegment s, long arp) {
        return spa(s, arp) == tpa(s, arp);
    }

    public static void htype(MemorySegment s, long arp, int value) {
        Wire.putU16(s, arp + HTYPE_OFFSET, value);
    }

    public static void ptype(MemorySegment s, long arp, int value) {
        Wire.putU16(s, arp + PTYPE_OFFSET, value);
    }

    public static void hlen(MemorySegment s, long arp, int value) {
        Wire.putU8(s, arp + HLEN_OFFSET, value);
    }

    public static void plen(MemorySegment s, long arp, int value) {
        Wire.putU8(s, arp + PLEN_OFFSET, value);
    }

    public static void oper(MemorySegment s, long arp, int value) {
        Wire.putU16(s, arp + OPER_OFFSET, value);
    }

    public static void sha(MemorySegment s, long arp, long mac) {
        Wire.putU48(s, arp + SHA_OFFSET, mac);
    }

    public static void spa(MemorySegment s, long arp, int ip) {
        Wire.putU32(s, arp + SPA_OFFSET, ip);
    }

    public static void tha(MemorySegment s, long arp, long mac) {
        Wire.putU48(s, arp + THA_OFFSET, mac);
    }

    public static void tpa(MemorySegment s, long arp, int ip) {
        Wire.putU32(s, arp + TPA_OFFSET, ip);
    }

    /** Writes a complete Ethernet/IPv4 ARP packet ({@link #LENGTH} bytes) at {@code arp}. */
    public static void write(MemorySegment s, long arp, int oper, long sha, int spa, long tha, int tpa) {
        htype(s, arp, HTYPE_ETHERNET);
        ptype(s, arp, PTYPE_IPV4);
        hlen(s, arp, HLEN_ETHERNET);
        plen(s, arp, PLEN_IPV4);
        oper(s, arp, oper);
        sha(s, arp, sha);
        spa(s, arp, spa);
        tha(s, arp, tha);
        tpa(s, arp, tpa);
    }
}
