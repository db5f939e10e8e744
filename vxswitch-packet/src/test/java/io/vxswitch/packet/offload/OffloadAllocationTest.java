package io.vxswitch.packet.offload;

import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Cutting super-frames and coalescing segments allocates nothing, counted by the JVM for this thread. */
class OffloadAllocationTest {
    @Test
    void segmenting_and_coalescing_allocate_nothing_per_frame() {
        MemorySegment frame = MemorySegment.ofArray(new byte[70_000]);
        int length = SegmenterTest.superFrame(frame, false, 0, SegmenterTest.payload(60_000, 1));
        Offload tso = new Offload();
        tso.set(VirtioNetHeader.F_NEEDS_CSUM, VirtioNetHeader.GSO_TCPV4, TcpCoalescerTest.HEADERS, 1398,
            TcpCoalescerTest.L4, 16);
        List<MemorySegment> segs = TcpCoalescerTest.segments(SegmenterTest.payload(30_000, 2), 1398);
        MemorySegment out = MemorySegment.ofArray(new byte[2048]);
        Segmenter segmenter = new Segmenter();
        TcpCoalescer coalescer = new TcpCoalescer(MemorySegment.ofArray(new byte[70_000]), 0, 70_000);
        Offload coalesced = new Offload();
        Runnable round = () -> {
            int n = segmenter.prepare(frame, 0, length, tso, 0);
            for (int k = 0; k < n; k++) {
                segmenter.write(k, out, 0);
            }
            coalescer.start(segs.get(0), 0, (int) segs.get(0).byteSize());
            for (int k = 1; k < segs.size(); k++) {
                coalescer.append(segs.get(k), 0, (int) segs.get(k).byteSize());
            }
            coalescer.finish(coalesced);
        };
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().threadId();
        for (int i = 0; i < 3_000; i++) {
            round.run();
        }
        long least = Long.MAX_VALUE;
        for (int window = 0; window < 5 && least > 0; window++) {
            long start = threads.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 1_000; i++) {
                round.run();
            }
            least = Math.min(least, threads.getThreadAllocatedBytes(tid) - start);
        }
        assertThat(least).as("bytes allocated cutting 1000 super-frames of 43 segments and coalescing 1000 bursts "
            + "of 22").isLessThan(1024);
    }
}
