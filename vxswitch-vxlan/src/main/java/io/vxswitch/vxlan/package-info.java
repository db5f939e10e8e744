/**
 * VXLAN (RFC 7348) as pure logic: no sockets, no threads, no clock of its own.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link io.vxswitch.vxlan.VniMap}: VNI ↔ VLAN, several VNIs per tunnel endpoint.</li>
 * <li>{@link io.vxswitch.vxlan.RemoteVteps}: remote VTEP address ↔ small int id (what the FDB stores).</li>
 * <li>{@link io.vxswitch.vxlan.FloodList}: per VNI, head-end replication peers or a multicast group.</li>
 * <li>{@link io.vxswitch.vxlan.TunnelEgress}: the send side, the lab's and the daemon's: the remote VTEPs a copy
 *     goes to (the learned one, or the flood list), its VNI, {@link io.vxswitch.vxlan.MtuCheck} (refuses what would
 *     not fit), the VXLAN header written in place in front of the inner frame, the UDP source port from
 *     {@link io.vxswitch.vxlan.SourcePortHash}. Below VXLAN the daemon's kernel writes UDP and IP;
 *     {@link io.vxswitch.vxlan.OuterHeaderWriter} writes outer Ethernet/IP/UDP where no kernel does (the lab).</li>
 * <li>{@link io.vxswitch.vxlan.VxlanDecapsulator}: validation of a received packet (socket payload or whole
 *     frame), drops counted by {@link io.vxswitch.vxlan.VxlanDrop} in {@link io.vxswitch.vxlan.VxlanCounters},
 *     which the {@link io.vxswitch.vxlan.Vtep} registers with the switch's counters.</li>
 * </ul>
 *
 * <h2>Hard cases, decided here</h2>
 * <ul>
 * <li>UDP port: 4789 (IANA, RFC 7348 §5) by default. The Linux kernel's vxlan device uses 8472 when created
 *     without {@code dstport}; both ends must agree, so configure it.</li>
 * <li>Reserved bits on receipt: RFC 7348 §5 says ignore them (default); Linux drops the packet (strict mode,
 *     {@link io.vxswitch.vxlan.DecapOptions#linuxStrict()}). Always zero on send.</li>
 * <li>Outer UDP checksum: zero over IPv4 on send by default (RFC 7348 §5 SHOULD; Linux 6.x sends one, and
 *     accepts zero); always computed over IPv6 (RFC 8200 §8.1). On receive, zero over IPv4 is accepted, a
 *     non-zero one is verified (MAY verify, MUST drop on failure). Frames captured on the sending host with
 *     checksum offload on carry only the pseudo-header sum; turn verification off for such captures.</li>
 * <li>Source port: hash of the inner flow (RFC 7348 §5), default range 49152-65535 as the RFC recommends;
 *     Linux uses 32768-60999 (ephemeral range). Answer to the VXLAN port, never to the source port.</li>
 * <li>MTU: never fragment (RFC 7348 §4.3). Outer IPv4 DF set by default (Linux leaves it clear); outer
 *     fragments received are dropped (the RFC allows it).</li>
 * <li>Inner 802.1Q tag: RFC 7348 §6.1 says SHOULD discard unless configured; reported
 *     ({@link io.vxswitch.vxlan.DecapResult#innerTagged()}), the forwarding plane decides.</li>
 * <li>A VLAN the tunnel port carries but no VNI maps: its copies are dropped and counted
 *     ({@link io.vxswitch.vxlan.VxlanDrop#VLAN_WITHOUT_VNI}), never sent with a made-up VNI.</li>
 * <li>Split horizon and remote learning use these pieces but live in the forwarding plane, which marks a copy for
 *     the tunnel as flooded; {@link io.vxswitch.vxlan.TunnelEgress} replicates it to the flood list.</li>
 * </ul>
 */
package io.vxswitch.vxlan;
