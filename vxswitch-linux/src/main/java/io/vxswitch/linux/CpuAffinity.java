package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/**
 * Which CPUs a thread may run on ({@code sched_setaffinity}). A switch loop on a core of its own does not share it
 * with the JVM's compiler and GC threads: under a shared core the scheduler time-slices them, and a frame then waits a
 * whole tick (4 ms at HZ 250) behind a compilation. Setup only, never on the data path.
 */
public final class CpuAffinity {
    private static final Path TASKS = Path.of("/proc/self/task");
    /** {@code sizeof(cpu_set_t)} in glibc: 1024 CPUs. */
    private static final int SET_BYTES = 128;

    private CpuAffinity() {
    }

    /** CPUs the kernel has online ({@code /sys/devices/system/cpu/online}, e.g. "0-1"). */
    public static BitSet online() {
        try {
            return parseList(Files.readString(Path.of("/sys/devices/system/cpu/online")).strip());
        } catch (IOException e) {
            BitSet all = new BitSet();
            all.set(0, Runtime.getRuntime().availableProcessors());
            return all;
        }
    }

    /** Parses a kernel CPU list such as "0-3,8,10-11". */
    static BitSet parseList(String list) {
        BitSet cpus = new BitSet();
        for (String part : list.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            cpus.set(from, to + 1);
        }
        return cpus;
    }

    /**
     * Keeps the calling thread to {@code cpu}.
     *
     * @throws LinuxException if the kernel refuses (no such CPU, or one outside the process's cpuset)
     */
    public static void pinCurrentThread(int cpu) {
        BitSet one = new BitSet();
        one.set(cpu);
        set(0, one, "cannot pin the switch loop to CPU " + cpu);
    }

    /**
     * Moves every thread of this process but the calling one off {@code cpu} (to the other online CPUs), so the calling
     * thread, pinned there, has it alone; also when the whole process was started pinned to {@code cpu} (taskset).
     * Threads started later inherit their creator's CPUs, so the JVM's later threads stay off too.
     *
     * @return how many threads were moved
     */
    public static int moveOtherThreadsOff(int cpu) {
        BitSet others = online();
        others.clear(cpu);
        if (others.isEmpty()) {
            throw new IllegalArgumentException("CPU " + cpu + " is the only one online: nothing to move the rest to");
        }
        int self = Libc.gettid();
        int moved = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path t : tasks) {
                int tid = Integer.parseInt(t.getFileName().toString());
                if (tid != self) {
                    set(tid, others, null);
                    moved++;
                }
            }
        } catch (IOException e) {
            throw new LinuxException("cannot list this process's threads", "opendir(/proc/self/task)", Errno.EIO,
                e.getMessage());
        }
        return moved;
    }

    private static void set(int tid, BitSet cpus, String action) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(SET_BYTES, 8);
            long[] words = cpus.toLongArray();
            for (int i = 0; i < words.length && i < SET_BYTES / 8; i++) {
                mask.set(ValueLayout.JAVA_LONG, i * 8L, words[i]);
            }
            int r = Libc.schedSetaffinity(tid, mask);
            if (r < 0 && action != null) {
                throw new LinuxException(action, "sched_setaffinity", -r,
                    "give a CPU this process may use (see taskset -p and /sys/devices/system/cpu/online)");
            }
        }
    }
}
