package io.vxswitch.bgp.session;

import io.vxswitch.bgp.message.AddressFamily;
import io.vxswitch.bgp.message.BgpMessage;
import io.vxswitch.bgp.message.Capability;
import io.vxswitch.bgp.message.Keepalive;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.Notification;
import io.vxswitch.bgp.message.Open;
import io.vxswitch.bgp.message.RouteRefresh;
import io.vxswitch.bgp.message.Update;
import io.vxswitch.bgp.peers.Eventually;
import io.vxswitch.packet.Ipv4Address;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer over real TCP that misbehaves once the session is up (or in its OPEN): vxswitch answers each case with
 * the NOTIFICATION RFC 4271 §6 names, logs one clear line, withdraws what the peer taught, and keeps running.
 */
class BrokenPeerTest {
    private static final MessageCodec CODEC = MessageCodec.FOUR_OCTET_AS;
    private static final String MARKER = "ffffffffffffffffffffffffffffffff";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "garbage instead of a message, 474554202f20485454502f312e310d0a0d0a000000000000, 1, 1, Connection Not Synchronized",
            "an unknown well-known attribute, " + MARKER + "0020 02 0000 0009 400101 00 406302 abcd, 3, 2, Unrecognized Well-known Attribute",
            "a truncated UPDATE, " + MARKER + "001a 02 0000 0007 400101 00 4002, 3, 1, Malformed Attribute List",
            "an attribute longer than the message, " + MARKER + "0019 02 0000 0002 4001, 3, 1, Malformed Attribute List",
    })
    void aBrokenMessageOnAnEstablishedSessionGetsTheRightNotification(String what, String hex, int code, int subcode,
                                                                     String name) throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        List<String> downs = new CopyOnWriteArrayList<>();
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BgpSpeaker speaker = new BgpSpeaker(log::add)) {
            speaker.start();
            speaker.addNeighbor(config(listener.getLocalPort(), 65000), events(downs));
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout(10_000);
                InputStream in = peer.getInputStream();
                OutputStream out = peer.getOutputStream();
                assertThat(read(in)).isInstanceOf(Open.class);
                out.write(CODEC.encode(reflectorOpen(65000)));
                out.write(CODEC.encode(Keepalive.INSTANCE));
                assertThat(read(in)).isEqualTo(Keepalive.INSTANCE);
                Eventually.within(Duration.ofSeconds(5), "the session is established", () -> speaker.sessions().getFirst().state() == SessionState.ESTABLISHED);

                out.write(HexFormat.of().parseHex(hex.replace(" ", "")));
                Notification n = (Notification) read(in);
                assertThat(n.code() + "/" + n.subcode()).as(n.describe()).isEqualTo(code + "/" + subcode);
                assertThat(in.read()).as("the connection is closed after the NOTIFICATION").isEqualTo(-1);
            }
            Eventually.within(Duration.ofSeconds(5), "the session goes down", () -> !downs.isEmpty());
            assertThat(downs.getFirst()).contains(name);
            assertThat(log).anyMatch(l -> l.contains("neighbor 127.0.0.1") && l.contains(name) && l.contains("sending NOTIFICATION"));
            assertThat(log).noneMatch(l -> l.contains("internal error"));
        }
    }

    @ParameterizedTest(name = "an OPEN from AS {0} to a session configured for AS 65000")
    @CsvSource({"65001", "4200000000"})
    void anOpenFromTheWrongAsGetsBadPeerAs(long asn) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
             BgpSpeaker speaker = new BgpSpeaker(l -> { })) {
            speaker.start();
            speaker.addNeighbor(config(listener.getLocalPort(), 65000), events(new CopyOnWriteArrayList<>()));
            try (Socket peer = listener.accept()) {
                peer.setSoTimeout(10_000);
                read(peer.getInputStream());
                peer.getOutputStream().write(CODEC.encode(reflectorOpen(asn)));
                Notification n = (Notification) read(peer.getInputStream());
                assertThat(n.code() + "/" + n.subcode()).isEqualTo("2/2");
                // RFC 6793 §4.2: a 4-octet AS is AS_TRANS in the 2-octet field, and that is what Bad Peer AS echoes
                int field = asn > 65535 ? Open.AS_TRANS : (int) asn;
                assertThat(n.data()).containsExactly(field >>> 8, field & 0xFF);
            }
        }
    }

    private static Open reflectorOpen(long asn) {
        return Open.of(asn, 90, Ipv4Address.parse("192.0.2.254"), List.of(
                Capability.multiprotocol(AddressFamily.L2VPN_EVPN), Capability.fourOctetAs(asn)));
    }

    private static BgpMessage read(InputStream in) throws IOException {
        DataInputStream data = new DataInputStream(in);
        byte[] header = new byte[19];
        data.readFully(header);
        int length = MessageCodec.frame(header, 0, 19);
        byte[] message = new byte[length];
        System.arraycopy(header, 0, message, 0, 19);
        data.readFully(message, 19, length - 19);
        return CODEC.decode(message);
    }

    private static SessionConfig config(int port, long peerAs) {
        return SessionConfig.of(65000, Ipv4Address.parse("192.0.2.1"), InetAddress.getLoopbackAddress(), peerAs)
                .withPort(port).withTimers(Duration.ofSeconds(90), Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    private static SessionEvents events(List<String> downs) {
        return new SessionEvents() {
            @Override
            public void established(BgpSession s, Open peer) {
            }

            @Override
            public void update(BgpSession s, Update update) {
            }

            @Override
            public void routeRefresh(BgpSession s, RouteRefresh request) {
            }

            @Override
            public void down(BgpSession s, String reason) {
                downs.add(reason);
            }
        };
    }
}
