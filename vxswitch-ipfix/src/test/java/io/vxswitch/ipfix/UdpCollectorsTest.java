package io.vxswitch.ipfix;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Messages reach every collector as one datagram each (two collectors on loopback). */
class UdpCollectorsTest {
    @Test
    void each_collector_gets_the_whole_message_as_one_datagram() throws Exception {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        try (DatagramChannel a = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(loopback, 0));
             DatagramChannel b = DatagramChannel.open(StandardProtocolFamily.INET).bind(new InetSocketAddress(loopback, 0))) {
            UdpCollectors collectors = new UdpCollectors(List.of((InetSocketAddress) a.getLocalAddress(),
                (InetSocketAddress) b.getLocalAddress()));
            IpfixMessageWriter w = new IpfixMessageWriter(1452);
            w.begin(1, 0, 5);
            w.addTemplates(1);
            ByteBuffer message = w.finish();
            int length = message.remaining();
            assertThat(collectors.send(message)).as("send errors").isZero();
            assertThat(message.remaining()).as("the caller's buffer is left as it was").isEqualTo(length);
            for (DatagramChannel c : List.of(a, b)) {
                ByteBuffer got = ByteBuffer.allocate(2048);
                c.receive(got);
                got.flip();
                assertThat(got.remaining()).isEqualTo(length);
                assertThat(got.getShort(0)).isEqualTo((short) 10);
                assertThat(got.getInt(12)).as("observation domain").isEqualTo(5);
            }
            collectors.close();
        }
    }
}
