/**
 * The libc functions and kernel structs vxswitch uses, bound with the FFM linker. {@link
 * io.vxswitch.linux.ffi.Libc} returns {@code -errno} on failure (errno captured per call); each struct is a
 * {@link java.lang.foreign.MemoryLayout} with accessors through {@link java.lang.invoke.VarHandle}s. Sizes and
 * offsets are those of Linux x86_64 (LP64, glibc); the one struct that differs on other 64-bit
 * architectures, {@code epoll_event}, picks its layout from {@code os.arch}. Internal to vxswitch-linux.
 */
package io.vxswitch.linux.ffi;
