package io.vxswitch.vxlan;

import io.vxswitch.packet.Vxlan;

/**
 * How strictly the decapsulator checks what it receives.
 *
 * @param dstPort            the VXLAN UDP port whole frames must be addressed to (default 4789, IANA; the
 *                           Linux kernel's default without {@code dstport} is 8472). Not checked on the socket
 *                           path: a socket bound to the port only receives datagrams for it.
 * @param strictReservedBits drop packets with any reserved bit set (flags other than I, the 24 bits after the
 *                           flags, the 8 bits after the VNI). RFC 7348 §5 says reserved fields are "ignored on
 *                           receipt", which is the default (false). The Linux kernel drops such packets and
 *                           counts an rx frame error on the vxlan device; true matches it. Strict mode also
 *                           refuses extensions that reuse those bits (GBP, GPE) when a peer sends them.
 * @param verifyUdpChecksum  on whole frames, check a non-zero outer UDP checksum and refuse a zero one over
 *                           IPv6 (default true). RFC 7348 §5: a receiver MAY verify; if it does and the check
 *                           fails it MUST drop; a zero checksum over IPv4 MUST be accepted. Turn it off for
 *                           frames captured on a host before checksum offload completed them.
 */
public record DecapOptions(int dstPort, boolean strictReservedBits, boolean verifyUdpChecksum) {

    public DecapOptions {
        if (dstPort < 1 || dstPort > 65535) {
            throw new IllegalArgumentException("VXLAN UDP port " + dstPort + " out of range 1..65535");
        }
    }

    /** Port 4789, reserved bits ignored (RFC 7348), checksums verified. */
    public static DecapOptions defaults() {
        return new DecapOptions(Vxlan.IANA_PORT, false, true);
    }

    /** Like the Linux kernel: reserved bits set → drop. */
    public static DecapOptions linuxStrict() {
        return defaults().withStrictReservedBits(true);
    }

    public DecapOptions withDstPort(int port) {
        return new DecapOptions(port, strictReservedBits, verifyUdpChecksum);
    }

    public DecapOptions withStrictReservedBits(boolean value) {
        return new DecapOptions(dstPort, value, verifyUdpChecksum);
    }

    public DecapOptions withVerifyUdpChecksum(boolean value) {
        return new DecapOptions(dstPort, strictReservedBits, value);
    }
}
