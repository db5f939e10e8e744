package io.vxswitch.linux.dataplane;

import java.lang.foreign.MemorySegment;

/**
 * How a {@link TapPort} takes the frames its VM sent: one {@code read(2)} per frame ({@link SyscallTapReads}), or a
 * ring of reads in flight collected once a turn ({@link RingTapReads}). A frame handed out stays in place until the
 * next {@link #next}.
 */
interface TapReads extends AutoCloseable {
    /** The next frame's length, at {@link #offset} of {@link #buffer}; 0 if none this turn; -errno on failure. */
    int next();

    MemorySegment buffer();

    long offset();

    /** The turn is over; {@code cut}: it stopped at its batch, with frames perhaps left. */
    void endTurn(boolean cut);

    /** What the agent waits on, readable while frames wait. */
    int fd();

    @Override
    void close();
}
