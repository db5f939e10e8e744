package io.vxswitch.linux.poll;

import java.util.concurrent.locks.LockSupport;

/** How an idle strategy sleeps: a plain park, or a wait on the loop's {@link Epoll} that ends with I/O. */
@FunctionalInterface
public interface Parker {
    /** The JVM's park; only time (or an unpark) ends it. */
    Parker LOCK_SUPPORT = LockSupport::parkNanos;

    void park(long nanos);
}
