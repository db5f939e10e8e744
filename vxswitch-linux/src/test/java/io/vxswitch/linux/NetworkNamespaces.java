package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.Sockets;

import java.lang.foreign.Arena;
import java.util.function.Supplier;

/**
 * Runs setup code inside a named network namespace ({@code ip netns add NAME}, bound at
 * {@code /run/netns/NAME}): devices and sockets it creates belong to that namespace and stay there, while
 * the rest of the JVM stays where it is. {@code setns(2)} moves only the calling thread, so the code runs
 * on a fresh platform thread that ends afterwards; no pooled thread is ever left in another namespace.
 *
 * <p>For tests only (the daemon works in the namespace it was started in): other modules' tests get it from
 * this module's test-jar.
 */
public final class NetworkNamespaces {
    public static final String RUN_NETNS = "/run/netns/";
    static final int CLONE_NEWNET = 0x40000000;

    private NetworkNamespaces() {
    }

    /**
     * Runs {@code action} in namespace {@code name} and returns its result; its exceptions are rethrown
     * here.
     *
     * @throws LinuxException no such namespace, or no CAP_SYS_ADMIN to enter it
     */
    public static <T> T callIn(String name, Supplier<T> action) {
        if (name == null || name.isEmpty() || name.contains("/") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("network namespace name '" + name + "' is not valid");
        }
        String action0 = "cannot enter network namespace '" + name + "'";
        int fd;
        try (Arena arena = Arena.ofConfined()) {
            fd = Libc.open(arena.allocateFrom(RUN_NETNS + name), Sockets.O_CLOEXEC);
        }
        if (fd < 0) {
            String hint = -fd == Errno.ENOENT ? "no network namespace '" + name + "' (see ip netns list)"
                : ErrorHints.generic(-fd);
            throw new LinuxException(action0, "open(" + RUN_NETNS + name + ")", -fd, hint);
        }
        var outcome = new Object() {
            T result;
            Throwable failure;
        };
        Thread thread = Thread.ofPlatform().name("netns-" + name).unstarted(() -> {
            try {
                int r = Libc.setns(fd, CLONE_NEWNET);
                if (r < 0) {
                    String hint = -r == Errno.EPERM ? "need CAP_SYS_ADMIN" + ErrorHints.RUN_AS_ROOT
                        : ErrorHints.generic(-r);
                    throw new LinuxException(action0, "setns(CLONE_NEWNET)", -r, hint);
                }
                outcome.result = action.get();
            } catch (Throwable t) {
                outcome.failure = t;
            }
        });
        try {
            thread.start();
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running in network namespace '" + name + "'", e);
        } finally {
            Libc.close(fd);
        }
        if (outcome.failure instanceof RuntimeException e) {
            throw e;
        }
        if (outcome.failure instanceof Error e) {
            throw e;
        }
        if (outcome.failure != null) {
            throw new IllegalStateException(outcome.failure);
        }
        return outcome.result;
    }
}
