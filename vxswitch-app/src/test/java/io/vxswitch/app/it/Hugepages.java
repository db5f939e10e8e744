package io.vxswitch.app.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * 2 MB huge pages for DPDK's testpmd, which will not build its packet pool without them: {@code vm.nr_hugepages}
 * raised by what the test needs (other tests on the machine may hold some already) and a hugetlbfs mounted on a
 * folder of the test's own. {@link #close} unmounts it and puts the sysctl back to what it was; call it after every
 * process using the pages has exited (a mount in use cannot go).
 */
final class Hugepages implements AutoCloseable {
    private static final Path NR = Path.of("/proc/sys/vm/nr_hugepages");

    private final Path mount;
    private final long before;
    private boolean mounted;

    private Hugepages(Path mount, long before) {
        this.mount = mount;
        this.before = before;
    }

    /** {@code pages} more huge pages, and hugetlbfs mounted on {@code mount} (created). */
    static Hugepages reserve(Path mount, int pages) {
        long before = Long.parseLong(read().trim());
        Hugepages h = new Hugepages(mount, before);
        try {
            write(before + pages);
            Files.createDirectories(mount);
            Cmd.run(List.of("mount", "-t", "hugetlbfs", "-o", "pagesize=2M", "none", mount.toString())).check();
            h.mounted = true;
            return h;
        } catch (IOException e) {
            h.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | AssertionError e) {
            h.close();
            throw e;
        }
    }

    Path dir() {
        return mount;
    }

    private static String read() {
        try {
            return Files.readString(NR);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(long pages) {
        Cmd.run(List.of("sysctl", "-qw", "vm.nr_hugepages=" + pages)).check();
    }

    /** Unmounts (lazily if something still holds it) and restores {@code vm.nr_hugepages}. */
    @Override
    public void close() {
        if (mounted) {
            if (!Cmd.run(List.of("umount", mount.toString())).ok()) {
                Cmd.run(List.of("umount", "-l", mount.toString()));
            }
            mounted = false;
        }
        write(before);
    }
}
