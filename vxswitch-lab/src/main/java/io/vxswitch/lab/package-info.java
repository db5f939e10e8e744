/**
 * The lab: a deterministic discrete-event network emulator that runs the real forwarding plane.
 *
 * <ul>
 * <li>{@code engine} — virtual time ({@link io.vxswitch.lab.engine.Simulator}) and point-to-point links
 *     with latency and frame listeners (for capture files);
 * <li>{@code node} — what plugs into links: {@link io.vxswitch.lab.node.VdsHost} (an ESXi host around the
 *     real {@link io.vxswitch.forwarding.Switch}), {@link io.vxswitch.lab.node.VtepHost} (a host running vxswitch
 *     as a VXLAN tunnel endpoint: a real switch and a real {@link io.vxswitch.vxlan.Vtep} over an underlay NIC),
 *     {@link io.vxswitch.lab.node.Router} (an IPv4 router with static routes),
 *     {@link io.vxswitch.lab.node.PhysicalSwitch} (an 802.1D/Q learning bridge),
 *     {@link io.vxswitch.lab.node.NestedHypervisor} (a bridge with VMs behind one vNIC),
 *     {@link io.vxswitch.lab.node.Host} (a VM with ARP and ICMP echo);
 * <li>{@code ping} — iputils {@code ping} in virtual time, printing exactly what the real one prints;
 * <li>{@code topology} — the YAML topology format, with file positions in every error;
 * <li>{@code run} — building a network from a topology and running its pings;
 * <li>{@code explain} — the first ping's ARP exchange as numbered steps ({@code --explain});
 * <li>{@code capture} — one pcap file per link ({@code --pcap DIR}).
 * </ul>
 * {@link io.vxswitch.lab.Lab} is the entry point: {@code Lab.run(file)} and {@code Lab.seed(policy, rpc)};
 * {@link io.vxswitch.lab.LabExample} holds the shipped topologies (the seed article, and the nested example).
 */
package io.vxswitch.lab;
