package io.vxswitch.linux.dataplane;

import io.vxswitch.linux.CpuAffinity;
import io.vxswitch.linux.LinuxException;
import org.agrona.concurrent.Agent;

import java.util.function.Consumer;

/**
 * Keeps the thread it is placed on to one CPU, alone: when the thread starts, it is pinned there and the process's
 * other threads (JIT, GC, the API, a sender) are moved off it, so nothing time-slices the forwarding agent. Does no
 * work per turn. If the kernel refuses, it says so and the thread runs where the kernel places it.
 */
final class CpuPlacement implements Agent {
    private final int cpu;
    private final boolean busyPoll;
    private final Consumer<String> log;

    /** @param busyPoll said in the log line: the thread's agent never sleeps */
    CpuPlacement(int cpu, boolean busyPoll, Consumer<String> log) {
        this.cpu = cpu;
        this.busyPoll = busyPoll;
        this.log = log;
    }

    @Override
    public void onStart() {
        try {
            CpuAffinity.pinCurrentThread(cpu);
            int moved = CpuAffinity.moveOtherThreadsOff(cpu);
            log.accept("switch loop on CPU " + cpu + (busyPoll ? ", busy polling" : "") + "; " + moved
                + " other threads of the process moved off it");
        } catch (LinuxException | IllegalArgumentException e) {
            log.accept("switch loop: " + e.getMessage() + "; it runs where the kernel places it");
        }
    }

    @Override
    public int doWork() {
        return 0;
    }

    @Override
    public String roleName() {
        return "cpu-" + cpu;
    }
}
