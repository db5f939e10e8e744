package io.vxswitch.linux.packet;

import io.vxswitch.linux.IoCounter;
import io.vxswitch.linux.IoCounters;
import io.vxswitch.linux.ffi.DataPathCalls;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.MessageVector;

import java.lang.foreign.MemorySegment;

/** {@link PacketSocket#send}: a batch of frames in one {@code sendmmsg}, refused frames skipped and counted. */
final class BatchSend {
    private BatchSend() {
    }

    static int send(DataPathCalls calls, IoCounters counters, int f, FrameBatch batch, int count) {
        MessageVector v = batch.vector;
        if (count > v.count()) {
            throw new IllegalArgumentException(count + " frames do not fit a batch of " + v.count());
        }
        for (int k = 0; k < count; k++) {
            v.prepareSend(k, batch.offsets[k], batch.lengths[k], 0);
        }
        int sent = 0;
        int next = 0;
        while (next < count) {
            // A slice only after a refused frame: the common case passes the vector as it is.
            MemorySegment from = next == 0 ? v.messages() : v.messages().asSlice(v.messageOffset(next));
            int r = calls.sendmmsg(f, from, count - next, 0);
            if (r > 0) {
                for (int k = next; k < next + r; k++) {
                    counters.add(IoCounter.TX_BYTES, v.length(k));
                }
                counters.add(IoCounter.TX_FRAMES, r);
                sent += r;
                next += r;
            } else if (r == -Errno.EAGAIN || r == -Errno.ENOBUFS) {
                counters.add(IoCounter.TX_WOULD_BLOCK, count - next);
                break;
            } else {
                // sendmmsg reports the error of the first message it could not send: drop that one.
                counters.increment(IoCounter.TX_ERRORS);
                next++;
            }
        }
        return sent;
    }
}
