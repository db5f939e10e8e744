package io.vxswitch.vxlan;

import io.vxswitch.packet.Ipv4;
import io.vxswitch.packet.Vxlan;

/**
 * How {@link OuterHeaderWriter} fills the outer headers (for the daemon's sockets, the kernel fills them).
 *
 * @param dstPort         outer UDP destination port. Default 4789, the IANA port (RFC 7348 §5). The Linux
 *                        kernel uses 8472 when {@code ip link add ... type vxlan} is given no {@code dstport},
 *                        so set the port explicitly on both ends.
 * @param ttl             outer IPv4 TTL / IPv6 hop limit, 1..255; default 64 (Linux's {@code ttl auto} gives
 *                        the route's default, 64).
 * @param dontFragment    set DF on the outer IPv4 header (default true). RFC 7348 §4.3: VTEPs MUST NOT
 *                        fragment, and DF keeps routers from fragmenting too, so an underlay MTU problem
 *                        shows as ICMP "fragmentation needed" rather than slow reassembly or loss. Linux
 *                        leaves DF clear unless {@code df set}. IPv6 has no DF: routers never fragment.
 * @param ipv4UdpChecksum compute the outer UDP checksum over IPv4 (default false: RFC 7348 §5 says it "SHOULD
 *                        be transmitted as zero", and every receiver accepts zero). Linux 6.x computes it
 *                        ({@code udpcsum}). Over IPv6 the checksum is always computed (RFC 8200 §8.1; the
 *                        zero-checksum exception of RFC 6935/6936 is not used).
 */
public record EncapOptions(int dstPort, int ttl, boolean dontFragment, boolean ipv4UdpChecksum) {

    public EncapOptions {
        if (dstPort < 1 || dstPort > 65535) {
            throw new IllegalArgumentException("VXLAN UDP port " + dstPort + " out of range 1..65535 (IANA: "
                + Vxlan.IANA_PORT + ", Linux default without dstport: " + Vxlan.LINUX_DEFAULT_PORT + ")");
        }
        if (ttl < 1 || ttl > 255) {
            throw new IllegalArgumentException("outer TTL " + ttl + " out of range 1..255");
        }
    }

    /** Port 4789, TTL 64, DF set, no UDP checksum over IPv4. */
    public static EncapOptions defaults() {
        return new EncapOptions(Vxlan.IANA_PORT, Ipv4.DEFAULT_TTL, true, false);
    }

    public EncapOptions withDstPort(int port) {
        return new EncapOptions(port, ttl, dontFragment, ipv4UdpChecksum);
    }

    public EncapOptions withTtl(int value) {
        return new EncapOptions(dstPort, value, dontFragment, ipv4UdpChecksum);
    }

    public EncapOptions withDontFragment(boolean value) {
        return new EncapOptions(dstPort, ttl, value, ipv4UdpChecksum);
    }

    public EncapOptions withIpv4UdpChecksum(boolean value) {
        return new EncapOptions(dstPort, ttl, dontFragment, value);
    }
}
