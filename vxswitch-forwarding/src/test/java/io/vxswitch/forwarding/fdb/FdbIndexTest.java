package io.vxswitch.forwarding.fdb;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

/**
 * Backward-shift deletion under heavy collisions. With the secret chosen here the test knows every key's home slot,
 * so it can build long probe chains on purpose: many keys with the same home, chains of neighbouring homes that
 * merge, and chains that wrap around the end of the table.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class FdbIndexTest {
    private static final long SECRET = 0x0ddba11_5eedL;
    private static final int CAPACITY = 64;

    private final long[] keys = new long[CAPACITY];
    private final FdbIndex index = new FdbIndex(keys, CAPACITY, SECRET);

    @Test
    void the_table_has_a_power_of_two_of_at_least_twice_the_capacity_slots() {
        assertThat(new FdbIndex(new long[1], 1, 0).slotCount()).isEqualTo(2);
        assertThat(new FdbIndex(new long[3], 3, 0).slotCount()).isEqualTo(8);
        assertThat(new FdbIndex(new long[4], 4, 0).slotCount()).isEqualTo(8);
        assertThat(index.slotCount()).isEqualTo(128);
    }

    @Test
    void the_secret_changes_where_keys_land() {
        FdbIndex other = new FdbIndex(keys, CAPACITY, SECRET + 1);
        int same = 0;
        for (long key = 0; key < 1000; key++) {
            if (index.home(key) == other.home(key)) {
                same++;
            }
        }
        assertThat(same).isLessThan(50); // about 1000/128 expected by chance
    }

    @Test
    void deleting_from_one_long_chain_of_equal_homes_keeps_every_other_key_reachable() {
        List<Long> chain = keysWithHomes(Set.of(5), 40);
        for (long seed = 0; seed < 50; seed++) {
            insertDeleteAndCheck(chain, new Random(seed));
        }
    }

    @Test
    void deleting_from_merged_chains_of_neighbouring_homes_keeps_every_other_key_reachable() {
        List<Long> merged = keysWithHomes(Set.of(20, 21, 23, 26), 60);
        for (long seed = 0; seed < 50; seed++) {
            insertDeleteAndCheck(merged, new Random(seed));
        }
    }

    @Test
    void deleting_from_a_chain_that_wraps_past_the_last_slot_keeps_every_other_key_reachable() {
        int last = index.slotCount() - 1;
        List<Long> wrapping = keysWithHomes(Set.of(last - 2, last, 0, 1), 60);
        for (long seed = 0; seed < 50; seed++) {
            insertDeleteAndCheck(wrapping, new Random(seed));
        }
    }

    @Test
    void random_churn_at_full_load_never_loses_a_key() {
        Random random = new Random(42);
        List<Long> live = new ArrayList<>();
        List<Integer> freeIds = new ArrayList<>();
        for (int id = 0; id < CAPACITY; id++) {
            freeIds.add(id);
        }
        for (int step = 0; step < 20_000; step++) {
            if (!freeIds.isEmpty() && (live.isEmpty() || random.nextBoolean())) {
                long key = random.nextLong() & 0x0FFF_FFFF_FFFF_FFFFL;
                if (index.find(key) != FdbIndex.NONE) {
                    continue;
                }
                int id = freeIds.removeLast();
                keys[id] = key;
                index.insert(id);
                live.add(key);
            } else {
                long key = live.remove(random.nextInt(live.size()));
                int id = index.find(key);
                index.delete(id);
                freeIds.add(id);
                assertThat(index.find(key)).isEqualTo(FdbIndex.NONE);
            }
            if (step % 100 == 0) {
                assertConsistent(live);
            }
        }
    }

    /** Inserts all keys (ids 0..n-1), deletes them in a random order and checks the table after every deletion. */
    private void insertDeleteAndCheck(List<Long> chainKeys, Random random) {
        List<Long> live = new ArrayList<>(chainKeys);
        Collections.shuffle(live, random);
        for (int id = 0; id < live.size(); id++) {
            keys[id] = live.get(id);
            index.insert(id);
        }
        assertConsistent(live);
        Collections.shuffle(live, random);
        while (!live.isEmpty()) {
            long gone = live.removeLast();
            index.delete(index.find(gone));
            assertThat(index.find(gone)).isEqualTo(FdbIndex.NONE);
            assertConsistent(live);
        }
        for (int slot = 0; slot < index.slotCount(); slot++) {
            assertThat(index.idAt(slot)).isEqualTo(FdbIndex.NONE);
        }
    }

    /**
     * Every live key is found, and no probe chain has a gap: every slot from a key's home up to where it sits is
     * occupied, which is what lets a lookup stop at the first empty slot.
     */
    private void assertConsistent(List<Long> live) {
        for (long key : live) {
            int id = index.find(key);
            assertThat(id).as("key %x", key).isNotEqualTo(FdbIndex.NONE);
            assertThat(keys[id]).isEqualTo(key);
        }
        int mask = index.slotCount() - 1;
        int occupied = 0;
        for (int slot = 0; slot <= mask; slot++) {
            int id = index.idAt(slot);
            if (id == FdbIndex.NONE) {
                continue;
            }
            occupied++;
            for (int s = index.home(keys[id]); s != slot; s = (s + 1) & mask) {
                assertThat(index.idAt(s)).as("gap at slot %d before key in slot %d", s, slot)
                    .isNotEqualTo(FdbIndex.NONE);
            }
        }
        assertThat(occupied).isEqualTo(live.size());
    }

    /** {@code n} distinct keys whose home slots are all in {@code homes}, each of those homes used. */
    private List<Long> keysWithHomes(Set<Integer> homes, int n) {
        List<Long> found = new ArrayList<>();
        for (long key = 0; found.size() < n; key++) {
            if (homes.contains(index.home(key))) {
                found.add(key);
            }
        }
        assertThat(found.stream().map(index::home).distinct()).hasSize(homes.size());
        return found;
    }
}
