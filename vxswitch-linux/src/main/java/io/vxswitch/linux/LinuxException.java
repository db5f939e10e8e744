package io.vxswitch.linux;

import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Libc;

/**
 * A Linux call failed while vxswitch was setting something up (opening a device, binding a socket). The
 * message says what vxswitch was doing, what the user can do about it, and the raw syscall and errno:
 * <pre>cannot create tap 'vm1': tap name 'vm1' is in use by another process (waited 1 s for it to let go; see ip -d
 * link show vm1) [ioctl(TUNSETIFF): EBUSY, Device or resource busy]</pre>
 *
 * <p>Unchecked: these are configuration problems reported once at the top (the daemon prints the message
 * and exits non-zero), not conditions a caller retries. The data path never throws it: per-frame calls
 * return {@code -errno} instead (see the {@code io.vxswitch.linux} package documentation).
 */
public final class LinuxException extends RuntimeException {
    private final String syscall;
    private final int errno;
    private final String hint;

    /**
     * @param action  what vxswitch was doing, e.g. {@code cannot create tap 'vm1'}
     * @param syscall the call and, for ioctl/setsockopt, the request, e.g. {@code ioctl(TUNSETIFF)}
     * @param errno   the positive errno
     * @param hint    what the user can do, or {@code null} to fall back on libc's text
     */
    public LinuxException(String action, String syscall, int errno, String hint) {
        super(message(action, syscall, errno, hint));
        this.syscall = syscall;
        this.errno = errno;
        this.hint = hint;
    }

    static String message(String action, String syscall, int errno, String hint) {
        String text = Libc.strerror(errno);
        String detail = "[" + syscall + ": " + Errno.name(errno) + ", " + text + "]";
        return action + ": " + (hint != null ? hint : text) + " " + detail;
    }

    /** Throws if {@code result} is {@code -errno}; returns it otherwise. */
    public static int check(int result, String action, String syscall) {
        if (result < 0) {
            throw new LinuxException(action, syscall, -result, ErrorHints.generic(-result));
        }
        return result;
    }

    public String syscall() {
        return syscall;
    }

    public int errno() {
        return errno;
    }

    public String errnoName() {
        return Errno.name(errno);
    }

    /** The advice in the message, or {@code null} if there was none beyond libc's text. */
    public String hint() {
        return hint;
    }
}
