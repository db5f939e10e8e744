package io.vxswitch.packet;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neighbour solicitation and advertisement (RFC 4861), checked byte for byte against the frames scapy 2.5 builds for
 * the same hosts: {@code Ether()/IPv6(hlim=255)/ICMPv6ND_NS(tgt)/ICMPv6NDOptSrcLLAddr()} and the
 * {@code ICMPv6ND_NA(S=1, O=1)/ICMPv6NDOptDstLLAddr()} that answers it.
 */
class NeighborDiscoveryTest {
    static final long VM1 = 0x0200_0000_0001L;
    static final long VM3 = 0x0200_0000_0003L;
    static final long DB8 = 0x2001_0db8_0000_0000L;

    /** 2001:db8::1 (02:00:00:00:00:01) asks who has 2001:db8::3, from scapy. */
    static final String SOLICITATION = "3333ff00000302000000000186dd6000000000203aff20010db8000000000000000000000001"
        + "ff0200000000000000000001ff00000387001c250000000020010db80000000000000000000000030101020000000001";
    /** 2001:db8::3 is at 02:00:00:00:00:03, solicited and override, from scapy. */
    static final String ADVERTISEMENT = "02000000000102000000000386dd6000000000203aff20010db80000000000000000000000"
        + "0320010db800000000000000000000000188008a6e6000000020010db80000000000000000000000030201020000000003";

    private static MemorySegment solicitation() {
        MemorySegment s = MemorySegment.ofArray(new byte[86]);
        assertThat(FrameBuilder.neighborSolicitation(s, 0, VM1, DB8, 1, DB8, 3)).isEqualTo(86);
        return s;
    }

    @Test
    void theSolicitationIsTheOneAHostSends() {
        assertThat(Hex.of(solicitation(), 0, 86)).isEqualTo(SOLICITATION);
    }

    @Test
    void aSolicitationIsReadWithItsTargetAndSourceLinkLayerAddress() {
        MemorySegment s = solicitation();
        long icmp = NeighborDiscovery.message(s, Ethernet.HEADER_LENGTH, 72);
        assertThat(icmp).isEqualTo(Ethernet.HEADER_LENGTH + Ipv6.LENGTH);
        assertThat(NeighborDiscovery.type(s, icmp)).isEqualTo(NeighborDiscovery.SOLICITATION);
        assertThat(NeighborDiscovery.targetHigh(s, icmp)).isEqualTo(DB8);
        assertThat(NeighborDiscovery.targetLow(s, icmp)).isEqualTo(3);
        assertThat(NeighborDiscovery.linkLayerOption(s, icmp, 32, NeighborDiscovery.OPTION_SOURCE_LINK_LAYER))
            .isEqualTo(VM1);
        assertThat(NeighborDiscovery.linkLayerOption(s, icmp, 32, NeighborDiscovery.OPTION_TARGET_LINK_LAYER))
            .isEqualTo(NeighborDiscovery.NO_MAC);
    }

    @Test
    void answeringInPlaceGivesTheAdvertisementTheOwnerWouldSend() {
        MemorySegment s = solicitation();
        MacAddress.write(s, 0, VM1);
        MacAddress.write(s, 6, VM3);
        NeighborDiscovery.answer(s, Ethernet.HEADER_LENGTH, VM3);
        assertThat(Hex.of(s, 0, 86)).isEqualTo(ADVERTISEMENT);
        assertThat(NeighborDiscovery.message(s, Ethernet.HEADER_LENGTH, 72)).isPositive();
    }

    @Test
    void whatAReceiverWouldRefuseIsNotAMessage() {
        MemorySegment s = solicitation();
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 14 + 7, (byte) 64); // hop limit: forwarded by a router
        assertThat(NeighborDiscovery.message(s, 14, 72)).as("hop limit 64").isNegative();

        s = solicitation();
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 85, (byte) 2); // one bit of the option: checksum wrong
        assertThat(NeighborDiscovery.message(s, 14, 72)).as("bad checksum").isNegative();

        s = solicitation();
        assertThat(NeighborDiscovery.message(s, 14, 71)).as("payload length past the frame").isNegative();
        assertThat(NeighborDiscovery.message(s, 14, 20)).as("truncated").isNegative();
    }

    @Test
    void aZeroLengthOptionEndsTheWalk() {
        MemorySegment s = solicitation();
        long icmp = 14 + Ipv6.LENGTH;
        s.set(java.lang.foreign.ValueLayout.JAVA_BYTE, icmp + 25, (byte) 0);
        assertThat(NeighborDiscovery.linkLayerOption(s, icmp, 32, NeighborDiscovery.OPTION_SOURCE_LINK_LAYER))
            .isEqualTo(NeighborDiscovery.NO_MAC);
    }

    @Test
    void onlyAddressesAHostOwnsAreHostAddresses() {
        assertThat(NeighborDiscovery.isHostAddress(DB8, 1)).isTrue();
        assertThat(NeighborDiscovery.isHostAddress(0, 0)).as("::").isFalse();
        assertThat(NeighborDiscovery.isHostAddress(0xFE80_0000_0000_0000L, 1)).as("link-local").isFalse();
        assertThat(NeighborDiscovery.isHostAddress(0xFF02_0000_0000_0000L, 1)).as("multicast").isFalse();
    }
}
