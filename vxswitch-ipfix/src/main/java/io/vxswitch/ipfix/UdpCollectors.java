package io.vxswitch.ipfix;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.List;

/**
 * The collectors over UDP (RFC 7011 §10.3): one unconnected socket per address family, each message sent to every
 * collector as one datagram. A send that fails (no route, a full socket buffer) loses that message for that collector
 * only; it is counted, never retried (UDP export has no retransmission: the sequence numbers tell the collector).
 */
public final class UdpCollectors implements MessageChannel {
    private final List<InetSocketAddress> collectors;
    private final DatagramChannel v4;
    private final DatagramChannel v6;

    public UdpCollectors(List<InetSocketAddress> collectors) {
        this.collectors = List.copyOf(collectors);
        try {
            v4 = collectors.stream().anyMatch(c -> c.getAddress().getAddress().length == 4)
                ? DatagramChannel.open(StandardProtocolFamily.INET) : null;
            v6 = collectors.stream().anyMatch(c -> c.getAddress().getAddress().length == 16)
                ? DatagramChannel.open(StandardProtocolFamily.INET6) : null;
            for (DatagramChannel ch : new DatagramChannel[] {v4, v6}) {
                if (ch != null) {
                    ch.configureBlocking(false); // the exporter never waits on a collector: a full buffer is a loss
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a UDP socket for IPFIX export: " + e.getMessage(), e);
        }
    }

    @Override
    public int send(ByteBuffer message) {
        int failed = 0;
        for (InetSocketAddress c : collectors) {
            ByteBuffer m = message.duplicate();
            try {
                DatagramChannel ch = c.getAddress().getAddress().length == 4 ? v4 : v6;
                if (ch.send(m, c) == 0) {
                    failed++; // the socket buffer is full
                }
            } catch (IOException e) {
                failed++;
            }
        }
        return failed;
    }

    @Override
    public void close() {
        try {
            if (v4 != null) {
                v4.close();
            }
            if (v6 != null) {
                v6.close();
            }
        } catch (IOException e) {
            // closing a datagram socket has nothing left to lose
        }
    }
}
