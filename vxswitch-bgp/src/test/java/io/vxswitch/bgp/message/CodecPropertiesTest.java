package io.vxswitch.bgp.message;

import io.vxswitch.bgp.evpn.EthernetSegment;
import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.evpn.ExtendedCommunities;
import io.vxswitch.bgp.evpn.InclusiveMulticastRoute;
import io.vxswitch.bgp.evpn.MacIpRoute;
import io.vxswitch.bgp.evpn.RouteDistinguisher;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer's bytes, however broken, end in a {@link BgpException} (a NOTIFICATION) or a message, never another
 * exception; and every route vxswitch writes reads back as itself.
 */
class CodecPropertiesTest {
    private static final MessageCodec CODEC = MessageCodec.FOUR_OCTET_AS;

    @Property(tries = 2000)
    void anyBodyBehindAValidHeaderDecodesOrIsANotification(@ForAll @IntRange(min = 1, max = 5) int type,
                                                            @ForAll @Size(max = 300) byte[] body) {
        byte[] message = new byte[19 + body.length];
        java.util.Arrays.fill(message, 0, 16, (byte) 0xFF);
        message[16] = (byte) (message.length >>> 8);
        message[17] = (byte) message.length;
        message[18] = (byte) type;
        System.arraycopy(body, 0, message, 19, body.length);
        decodeOrNotify(message);
    }

    @Property(tries = 2000)
    void capturedMessagesWithOneByteChangedDecodeOrNotify(@ForAll("capturedNames") String name,
                                                          @ForAll @IntRange(min = 16, max = 300) int at,
                                                          @ForAll byte value) {
        byte[] message = CapturedSession.message(name);
        message[Math.min(at, message.length - 1)] = value;
        decodeOrNotify(message);
    }

    @Property(tries = 2000)
    void capturedMessagesCutShortDecodeOrNotify(@ForAll("capturedNames") String name,
                                                @ForAll @IntRange(min = 19, max = 300) int keep) {
        byte[] full = CapturedSession.message(name);
        byte[] message = java.util.Arrays.copyOf(full, Math.min(keep, full.length));
        message[16] = (byte) (message.length >>> 8);
        message[17] = (byte) message.length;
        decodeOrNotify(message);
    }

    @Property(tries = 1000)
    void routesWrittenReadBackAsThemselves(@ForAll("routes") List<EvpnRoute> routes, @ForAll boolean withdraw)
            throws UnknownHostException {
        PathAttributes.Builder b = PathAttributes.builder();
        if (withdraw) {
            b.mpUnreach(MpUnreach.evpn(routes));
        } else {
            b.mpReach(MpReach.evpn(InetAddress.getByName("192.0.2.7"), routes)).origin(0).asPath(List.of())
                    .localPref(100).extendedCommunity(ExtendedCommunities.encapsulation(8))
                    .extendedCommunity(ExtendedCommunities.routeTarget(4_200_000_000L, 119));
        }
        Update update = Update.of(b.build());
        assertThat(CODEC.decode(CODEC.encode(update))).isEqualTo(update);
    }

    private static void decodeOrNotify(byte[] message) {
        try {
            int length = MessageCodec.frame(message, 0, message.length);
            if (length == message.length) {
                CODEC.decode(message, 0, length);
            }
        } catch (BgpException expected) {
            assertThat(expected.code()).isBetween(1, 7);
        }
    }

    @Provide
    Arbitrary<String> capturedNames() {
        return Arbitraries.of(new ArrayList<>(CapturedSession.MESSAGES.keySet()));
    }

    @Provide
    Arbitrary<List<EvpnRoute>> routes() {
        Arbitrary<RouteDistinguisher> rds = Combinators.combine(Arbitraries.integers(), Arbitraries.integers().between(0, 65535))
                .as(RouteDistinguisher::ipv4);
        Arbitrary<InetAddress> addresses = Arbitraries.bytes().array(byte[].class).ofSize(4)
                .injectDuplicates(0.1).map(AttributeCodec::address);
        Arbitrary<InetAddress> v6 = Arbitraries.bytes().array(byte[].class).ofSize(16).map(AttributeCodec::address);
        Arbitrary<EvpnRoute> macIp = Combinators.combine(rds, Arbitraries.longs().between(0, 0xFFFF_FFFF_FFFFL),
                Arbitraries.oneOf(addresses, v6).injectNull(0.3), Arbitraries.integers().between(0, 0xFF_FFFF),
                Arbitraries.integers().between(-1, 0xFF_FFFF), Arbitraries.longs().between(0, 0xFFFF_FFFFL))
                .as((rd, mac, ip, vni, l2, tag) -> new MacIpRoute(rd, EthernetSegment.SINGLE_HOMED, tag, mac, ip, vni, l2));
        Arbitrary<EvpnRoute> imet = Combinators.combine(rds, Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.oneOf(addresses, v6)).as(InclusiveMulticastRoute::new);
        return Arbitraries.oneOf(macIp, imet).list().ofMinSize(1).ofMaxSize(40);
    }
}
