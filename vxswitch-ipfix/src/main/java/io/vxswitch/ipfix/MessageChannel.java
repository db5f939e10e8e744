package io.vxswitch.ipfix;

import java.nio.ByteBuffer;

/** Where finished IPFIX messages go: the collectors over UDP ({@link UdpCollectors}), or a test's list. */
public interface MessageChannel extends AutoCloseable {
    /** Sends {@code message} (position to limit) to every collector; returns how many sends failed. */
    int send(ByteBuffer message);

    @Override
    void close();
}
