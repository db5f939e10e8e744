package io.vxswitch.forwarding.fdb;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several forwarding threads share one FDB: lookups and refreshes take no lock while another thread learns, moves,
 * ages and deletes. Each check here fails when an optimistic read is not validated: a deletion shifts probe chains,
 * so an unvalidated lookup can miss an entry that never left, or see a port and a remote VTEP from two moments.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbConcurrencyTest {
    private static final int NO_LIMIT = Integer.MAX_VALUE;
    private static final int VLAN = 119;
    private static final int STABLE_PORT = 3;
    private static final long MOVER = 0x02_00_00_00_ff_01L;
    private static final int READERS = 2;
    private static final long RUN_NANOS = 700_000_000L;

    /** MACs learned once on port 3 before the threads start; never removed, so always found there. */
    private static long stable(int i) {
        return 0x02_00_00_01_00_00L | i;
    }

    /** MACs the writer learns and deletes, so the index keeps shifting probe chains under the readers. */
    private static long churn(int i) {
        return 0x02_00_00_02_00_00L | i;
    }

    @Test
    void readers_see_every_standing_entry_and_each_entry_as_of_one_moment_while_a_writer_reshapes_the_table() {
        // A small table, kept near half its capacity so probe chains are long and deletions shift them.
        Fdb fdb = new Fdb(1024, 8, 0x5eed);
        int stableCount = 256;
        for (int i = 0; i < stableCount; i++) {
            fdb.learn(VLAN, stable(i), STABLE_PORT, NO_LIMIT, 1);
        }
        fdb.learn(VLAN, MOVER, 1, 10, NO_LIMIT, 1);
        AtomicBoolean running = new AtomicBoolean(true);
        ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
        CountDownLatch started = new CountDownLatch(READERS + 1);
        long[] lookups = new long[READERS];

        List<Thread> threads = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
            int reader = r;
            threads.add(Thread.ofPlatform().start(() -> {
                started.countDown();
                long n = 0;
                long now = 2;
                while (running.get()) {
                    int i = (int) (n % stableCount);
                    long found = fdb.destination(VLAN, stable(i));
                    if (found == Fdb.NOT_FOUND || Fdb.destinationPort(found) != STABLE_PORT) {
                        errors.add("stable MAC " + i + " looked up as " + found);
                    }
                    LearnOutcome refresh = fdb.learn(VLAN, stable(i), STABLE_PORT, NO_LIMIT, now++);
                    if (refresh != LearnOutcome.REFRESHED) {
                        errors.add("refresh of stable MAC " + i + " gave " + refresh);
                    }
                    long m = fdb.destination(VLAN, MOVER);
                    int port = Fdb.destinationPort(m);
                    int remote = Fdb.destinationRemote(m);
                    if (m == Fdb.NOT_FOUND || !(port == 1 && remote == 10 || port == 2 && remote == 20)) {
                        errors.add("moving MAC seen on port " + port + " behind remote " + remote);
                    }
                    n++;
                }
                lookups[reader] = n;
            }));
        }
        threads.add(Thread.ofPlatform().start(() -> {
            started.countDown();
            long now = 2;
            int round = 0;
            while (running.get()) {
                for (int i = 0; i < 200; i++) {
                    fdb.learn(VLAN, churn(i), 5, NO_LIMIT, now);
                }
                fdb.learn(VLAN, MOVER, round % 2 == 0 ? 2 : 1, round % 2 == 0 ? 20 : 10, NO_LIMIT, now);
                for (int i = 0; i < 200; i++) {
                    fdb.remove(VLAN, churn(i));
                }
                fdb.expire(now); // nothing is old enough to go: exercises putting refreshed entries back in order
                now += 1000;
                round++;
            }
        }));
        try {
            started.await();
            Thread.sleep(RUN_NANOS / 1_000_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.set(false);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        assertThat(errors).as("what readers saw").isEmpty();
        assertThat(java.util.Arrays.stream(lookups).min().orElseThrow()).as("lookups by the slowest reader")
            .isGreaterThan(1000);
        assertThat(fdb.size()).isEqualTo(stableCount + 1);
        assertThat(fdb.learnedOn(STABLE_PORT)).isEqualTo(stableCount);
        assertThat(fdb.stats().moved()).isGreaterThan(0);
    }

    @Test
    void refreshes_from_another_thread_keep_an_entry_from_aging_out() {
        Fdb fdb = new Fdb(64, 4, 7);
        long aging = 1_000;
        fdb.setAging(0, aging);
        fdb.learn(VLAN, stable(1), 0, NO_LIMIT, 0);
        fdb.learn(VLAN, stable(2), 0, NO_LIMIT, 10);
        Thread other = Thread.ofPlatform().start(() -> fdb.learn(VLAN, stable(1), 0, NO_LIMIT, 900));
        try {
            other.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }

        assertThat(fdb.expire(1_010)).as("only the entry last seen at 10").isEqualTo(1);
        assertThat(fdb.portOf(VLAN, stable(1))).isZero();
        assertThat(fdb.portOf(VLAN, stable(2))).isEqualTo(Fdb.NOT_FOUND);
        assertThat(fdb.nextExpiry()).isEqualTo(1_900);
        assertThat(fdb.expire(1_900)).isEqualTo(1);
    }
}
