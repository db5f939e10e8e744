package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.tap.TapDevice;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A {@code read(2)} per frame into one buffer, reused: the tap's descriptor is what the agent waits on. */
final class SyscallTapReads implements TapReads {
    private final TapDevice tap;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer;
    private final int readBytes;

    /** @param readBytes the longest frame a read may return, and one byte more to see a cut */
    SyscallTapReads(TapDevice tap, int readBytes) {
        this.tap = tap;
        this.readBytes = readBytes;
        this.buffer = arena.allocate(readBytes, 64);
    }

    @Override
    public int next() {
        return tap.read(buffer, 0, readBytes);
    }

    @Override
    public MemorySegment buffer() {
        return buffer;
    }

    @Override
    public long offset() {
        return 0;
    }

    @Override
    public void endTurn(boolean cut) {
        // the descriptor stays readable while frames are queued: the agent comes back for them
    }

    @Override
    public int fd() {
        return tap.fd();
    }

    @Override
    public void close() {
        arena.close();
    }
}
