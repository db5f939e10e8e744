/**
 * The lab: a deterministic discrete-event network emulator that runs the real forwarding plane.
 *
 * <ul>
 * <li>{@code engine} — virtual time ({@link io.vxswitch.lab.engine.Simulator}) and point-to-point links
 *     with latency and frame listeners (for capture files);
 * <li>{@code node} — what plugs into links: {@link io.vxswitch.lab.node.VdsHost} (an ESXi host around the
 *     real {@link io.vxswitch.forwarding.Switch}), {@link io.vxswitch.lab.node.PhysicalSwitch} (an 802.1D/Q
 *     learning bridge), {@link io.vxswitch.lab.node.NestedHypervisor} (a bridge with VMs behind one vNIC),
 *     {@link io.vxswitch.lab.node.Host} (a VM with ARP and ICMP echo);
 * <li>{@code ping} — iputils {@code ping} in virtual time, printing exactly what the real one prints;
 * <li>{@code topology} — the YAML topology format, with file positions in every error;
 * <li>{@code run} — building a network from a topology and running its pings.
 * </ul>
 * {@link io.vxswitch.lab.Lab} is the entry point: {@code Lab.run(file)} and {@code Lab.seed(policy, rpc)}.
 */
package io.vxswitch.lab;
