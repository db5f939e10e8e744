package io.vxswitch.lab.node;

/**
 * What one node did with one frame: a host switch's forwarding decision, or a router forwarding a packet.
 * Nodes report hops to a {@link HopListener} for the frames it asks about; the lab's {@code --explain}
 * strings them together into a story.
 */
public sealed interface Hop permits SwitchHop, RoutedHop {
    /** Virtual time the node handled the frame. */
    long timeNanos();

    /** The node's name in the topology. */
    String node();

    /** The frame as the node received it: for a switch behind a tunnel, the decapsulated inner frame. */
    byte[] frame();
}
