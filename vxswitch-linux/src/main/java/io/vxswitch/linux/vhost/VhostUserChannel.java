package io.vxswitch.linux.vhost;

import io.vxswitch.linux.ffi.CmsgHdr;
import io.vxswitch.linux.ffi.Errno;
import io.vxswitch.linux.ffi.Iovec;
import io.vxswitch.linux.ffi.Libc;
import io.vxswitch.linux.ffi.MsgHdr;
import io.vxswitch.linux.ffi.Sockets;
import io.vxswitch.linux.ffi.UnixCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One connected vhost-user socket (a Unix stream socket): reads whole messages with the descriptors that came with
 * them ({@code SCM_RIGHTS} control messages, vhost-user.rst "Communication"), and writes replies. Blocking; used by
 * one control thread, which another thread may wake with {@link #shutdown}.
 */
public final class VhostUserChannel implements AutoCloseable {
    private static final int MSG_CTRUNC = 0x8;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment msg = arena.allocate(MsgHdr.LAYOUT);
    private final MemorySegment iov = arena.allocate(Iovec.LAYOUT);
    private final long controlSpace = CmsgHdr.space(4L * VhostUserMessage.MAX_FDS);
    private final MemorySegment control = arena.allocate(controlSpace, 8);
    private final int[] received = new int[VhostUserMessage.MAX_FDS];
    private int fd;

    /** Takes ownership of the connected socket {@code fd}. */
    public VhostUserChannel(int fd) {
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    /**
     * Reads the next message into {@code m}, with its descriptors.
     *
     * @return false when the front-end closed the connection (or it was reset, or {@link #shutdown})
     * @throws VhostUserException a malformed message (wrong version, a payload too large, too many descriptors); the
     *                            connection is unusable afterwards
     */
    public boolean read(VhostUserMessage m) {
        closeFds(m); // descriptors of the last message nobody took
        int fdCount = 0;
        long got = 0;
        while (got < VhostUserMessage.HEADER_SIZE) {
            long n = receive(m.buffer(), got, VhostUserMessage.HEADER_SIZE - got, true);
            if (n <= 0) {
                closeReceived(fdCount);
                return false;
            }
            fdCount = takeDescriptors(fdCount);
            got += n;
        }
        m.fds(java.util.Arrays.copyOf(received, fdCount));
        if ((m.flags() & VhostUserMessage.VERSION_MASK) != VhostUserMessage.VERSION) {
            throw new VhostUserException("a message of protocol version " + (m.flags() & VhostUserMessage.VERSION_MASK)
                + " (" + VhostUserMessage.name(m.request()) + "); this back-end speaks version 1");
        }
        int size = m.size();
        if (size < 0 || size > VhostUserMessage.MAX_PAYLOAD) {
            throw new VhostUserException(VhostUserMessage.name(m.request()) + " with a payload of "
                + Integer.toUnsignedString(size) + " bytes (at most " + VhostUserMessage.MAX_PAYLOAD + ")");
        }
        long payload = 0;
        while (payload < size) {
            long n = receive(m.buffer(), VhostUserMessage.HEADER_SIZE + payload, size - payload, false);
            if (n <= 0) {
                return false;
            }
            payload += n;
        }
        return true;
    }

    /**
     * One {@code recvmsg} into {@code buffer[at .. at + length)}, descriptors into the control buffer; the bytes read,
     * 0 at the end of the stream, or -1 after a reset.
     */
    private long receive(MemorySegment buffer, long at, long length, boolean withControl) {
        while (true) {
            Iovec.baseAddress(iov, 0, buffer.address() + at);
            Iovec.length(iov, 0, length);
            MsgHdr.name(msg, 0, MemorySegment.NULL);
            MsgHdr.nameLength(msg, 0, 0);
            MsgHdr.iov(msg, 0, iov, 1);
            MsgHdr.control(msg, 0, withControl ? control : MemorySegment.NULL);
            MsgHdr.controlLength(msg, 0, withControl ? controlSpace : 0);
            MsgHdr.flags(msg, 0, 0);
            long n = UnixCalls.recvmsg(fd, msg, UnixCalls.MSG_CMSG_CLOEXEC);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n < 0) {
                return -1; // ECONNRESET, or a shut-down socket: the front-end is gone either way
            }
            if (n > 0 && !withControl && MsgHdr.controlLength(msg, 0) > 0) {
                throw new VhostUserException("descriptors in the middle of a message's payload");
            }
            return n;
        }
    }

    /** Adds the descriptors of the last recvmsg to {@link #received}; returns the new count. */
    private int takeDescriptors(int count) {
        long length = MsgHdr.controlLength(msg, 0);
        int n = count;
        long at = 0;
        while (at + CmsgHdr.SIZE <= length) {
            long cmsgLength = CmsgHdr.length(control, at);
            if (cmsgLength < CmsgHdr.SIZE || at + cmsgLength > length) {
                break;
            }
            if (CmsgHdr.level(control, at) == Sockets.SOL_SOCKET && CmsgHdr.type(control, at) == UnixCalls.SCM_RIGHTS) {
                long data = cmsgLength - CmsgHdr.dataOffset();
                for (long k = 0; k + 4 <= data; k += 4) {
                    int f = control.get(ValueLayout.JAVA_INT, at + CmsgHdr.dataOffset() + k);
                    if (n < received.length) {
                        received[n++] = f;
                    } else {
                        Libc.close(f);
                    }
                }
            }
            at += CmsgHdr.align(cmsgLength);
        }
        if ((MsgHdr.flags(msg, 0) & MSG_CTRUNC) != 0) {
            closeReceived(n);
            throw new VhostUserException("more descriptors in one message than the " + VhostUserMessage.MAX_FDS
                + " the protocol allows");
        }
        return n;
    }

    private void closeReceived(int count) {
        for (int i = 0; i < count; i++) {
            Libc.close(received[i]);
        }
    }

    /** Closes the descriptors of {@code m} that nobody took. */
    static void closeFds(VhostUserMessage m) {
        for (int i = 0; i < m.fdCount(); i++) {
            int f = m.takeFd(i);
            if (f >= 0) {
                Libc.close(f);
            }
        }
        m.clearFds();
    }

    /**
     * Sends {@code m} (its header says the payload size) with its descriptors, which stay the caller's. False if the
     * peer is gone.
     */
    public boolean write(VhostUserMessage m) {
        long length = VhostUserMessage.HEADER_SIZE + Integer.toUnsignedLong(m.size());
        int[] fds = m.fdArray();
        MemorySegment buffer = m.buffer();
        long sent = 0;
        while (sent < length) {
            Iovec.baseAddress(iov, 0, buffer.address() + sent);
            Iovec.length(iov, 0, length - sent);
            MsgHdr.name(msg, 0, MemorySegment.NULL);
            MsgHdr.nameLength(msg, 0, 0);
            MsgHdr.iov(msg, 0, iov, 1);
            if (sent == 0 && fds.length > 0) {
                long data = 4L * fds.length;
                CmsgHdr.write(control, 0, Sockets.SOL_SOCKET, UnixCalls.SCM_RIGHTS, data);
                for (int i = 0; i < fds.length; i++) {
                    control.set(ValueLayout.JAVA_INT, CmsgHdr.dataOffset() + 4L * i, fds[i]);
                }
                MsgHdr.control(msg, 0, control);
                MsgHdr.controlLength(msg, 0, CmsgHdr.space(data));
            } else {
                MsgHdr.control(msg, 0, MemorySegment.NULL);
                MsgHdr.controlLength(msg, 0, 0);
            }
            MsgHdr.flags(msg, 0, 0);
            long n = UnixCalls.sendmsg(fd, msg, UnixCalls.MSG_NOSIGNAL);
            if (n == -Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                return false;
            }
            sent += n;
        }
        return true;
    }

    /** Sends {@code m} as the reply to the request in its header, with {@code size} bytes of payload already set. */
    public boolean reply(VhostUserMessage m, int size) {
        closeFds(m); // what the request brought and the session did not keep
        m.header(m.request(), VhostUserMessage.VERSION | VhostUserMessage.FLAG_REPLY, size);
        return write(m);
    }

    /** Wakes the thread reading (it sees the end of the stream); any thread. */
    public void shutdown() {
        int f = fd;
        if (f >= 0) {
            UnixCalls.shutdown(f, UnixCalls.SHUT_RDWR);
        }
    }

    @Override
    public void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            Libc.close(f);
            arena.close();
        }
    }
}
