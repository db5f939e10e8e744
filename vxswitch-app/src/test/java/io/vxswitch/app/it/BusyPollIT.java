package io.vxswitch.app.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code switch: {cpu: 1, poll: busy}}: the switch loop keeps to CPU 1 alone, never sleeps, and frames still flow.
 */
@Timeout(90)
class BusyPollIT extends LabIT {
    @Test
    void the_switch_loop_has_its_cpu_to_itself_and_busy_polls() throws Exception {
        assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "needs two CPUs");
        Netns host = lab.netns("host");
        Daemon daemon = Daemon.start(lab, host, """
            switch: {name: it-busy, threads: 1, cpu: 1, poll: busy}
            portGroups:
              - {name: lan, vlan: 0}
            ports:
              - {name: vm1, type: tap, portGroup: lan, mac: "02:00:00:00:00:01"}
              - {name: vm2, type: tap, portGroup: lan, mac: "02:00:00:00:00:02"}
            """);
        daemon.awaitLog("switch loop on CPU 1, busy polling; \\d+ other threads of the process moved off it",
            Duration.ofSeconds(5));
        Netns vm1 = lab.vmOnTap("vm1", host, "vm1", "10.0.0.1/24", "02:00:00:00:00:01");
        lab.vmOnTap("vm2", host, "vm2", "10.0.0.2/24", "02:00:00:00:00:02");
        Ping p = vm1.ping("10.0.0.2");
        assertThat(p.allAnsweredOnce()).as(p + lab.diagnostics()).isTrue();

        Map<String, String> cpus = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc", Long.toString(daemon.pid()), "task"))) {
            for (Path t : tasks.toList()) {
                String name = Files.readString(t.resolve("comm")).strip();
                for (String line : Files.readAllLines(t.resolve("status"))) {
                    if (line.startsWith("Cpus_allowed_list:")) {
                        cpus.put(name + "/" + t.getFileName(), line.substring(18).strip());
                    }
                }
            }
        }
        assertThat(cpus).as("each thread's CPUs").anySatisfy((thread, list) -> {
            assertThat(thread).startsWith("vxswitch-switch");
            assertThat(list).isEqualTo("1");
        });
        assertThat(cpus.entrySet().stream().filter(e -> !e.getKey().startsWith("vxswitch-switch")))
            .as("every other thread keeps off CPU 1").allSatisfy(e -> assertThat(e.getValue()).isEqualTo("0"));
        // Never sleeping shows as no voluntary context switch of the loop's thread: one sleeping in epoll_wait makes
        // at least ten a second (its 100 ms timeout) when idle. CPU time would say it too, but only on a quiet host:
        // beside a busy build the loop shares CPU 1 and gets what the scheduler gives it (44 ticks of 100, once).
        Path loop = cpus.keySet().stream().filter(t -> t.startsWith("vxswitch-switch")).findFirst()
            .map(t -> Path.of("/proc", Long.toString(daemon.pid()), "task", t.substring(t.indexOf('/') + 1)))
            .orElseThrow();
        long voluntary = voluntarySwitches(loop);
        long before = daemon.cpuTicks();
        Background.sleep(1_000);
        assertThat(voluntarySwitches(loop) - voluntary).as("times the busy loop gave up its CPU in 1 s").isLessThan(3);
        assertThat(daemon.cpuTicks() - before).as("CPU ticks of a loop that never sleeps, in 1 s").isGreaterThan(0);
        assertThat(daemon.stop()).contains("stopped").doesNotContain("Exception");
    }

    /** {@code voluntary_ctxt_switches} of a thread ({@code /proc/PID/task/TID}): how often it slept or blocked. */
    private static long voluntarySwitches(Path task) throws java.io.IOException {
        for (String line : Files.readAllLines(task.resolve("status"))) {
            if (line.startsWith("voluntary_ctxt_switches:")) {
                return Long.parseLong(line.substring(line.indexOf(':') + 1).strip());
            }
        }
        throw new AssertionError("no voluntary_ctxt_switches in " + task.resolve("status"));
    }
}
