/**
 * Linux I/O for vxswitch through the FFM API ({@code java.lang.foreign}): no JNI, no C to compile.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link io.vxswitch.linux.tap.TapDevice}: a TAP device per vNIC or namespace port.</li>
 * <li>{@link io.vxswitch.linux.packet.PacketSocket}: a host interface (uplink, veth) through AF_PACKET,
 *     promiscuous, with stripped VLAN tags put back.</li>
 * <li>{@link io.vxswitch.linux.udp.UdpSocket} and {@link io.vxswitch.linux.udp.UdpSocketPool}: the VXLAN
 *     underlay, batched with recvmmsg/sendmmsg, source-port entropy from a few sockets.</li>
 * <li>{@link io.vxswitch.linux.poll.Epoll}, {@link io.vxswitch.linux.poll.EventFd}: what a forwarding agent waits
 *     on ({@link io.vxswitch.linux.dataplane.Dataplane} runs the agents, with Agrona's runners).</li>
 * <li>{@link io.vxswitch.linux.ffi}: the libc bindings and struct layouts underneath.</li>
 * </ul>
 *
 * <h2>Two kinds of failure</h2>
 * Setting up (creating a tap, binding a socket) throws {@link io.vxswitch.linux.LinuxException}, whose
 * message says what to do ({@code need CAP_NET_ADMIN: run as root}) and names the syscall and errno.
 * Moving frames never throws and never allocates: {@code read}/{@code receive} return how many frames or
 * bytes arrived and {@code 0} when nothing is waiting; {@code write}/{@code send} return what was sent and
 * {@code 0} when the kernel's queue is full (the frame is not sent); a negative result is {@code -errno}
 * (the frame is lost). Every outcome is counted in the port's {@link io.vxswitch.linux.IoCounters} (a counter
 * set of the switch's kind, a row for the receiving thread and one for the sending thread).
 *
 * <h2>Threads and namespaces</h2>
 * Every object belongs to one agent's thread at a time. Devices and sockets are created in the network
 * namespace of the calling thread; a tap may then be moved elsewhere and keeps working.
 *
 * <h2>Buffers</h2>
 * Frames live in native memory ({@link java.lang.foreign.Arena}), never on the Java heap: the kernel reads
 * and writes them in place. Batches ({@link io.vxswitch.linux.packet.FrameBatch},
 * {@link io.vxswitch.linux.udp.UdpBatch}) own one buffer of fixed slots plus the kernel's message headers,
 * built once.
 */
package io.vxswitch.linux;
