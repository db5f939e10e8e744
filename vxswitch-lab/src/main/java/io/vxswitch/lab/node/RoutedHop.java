package io.vxswitch.lab.node;

/**
 * A router forwarding one IPv4 packet.
 *
 * @param inInterface  where it came in
 * @param outInterface where it leaves
 * @param nextHop      the next hop's address (the destination itself on a connected subnet)
 * @param ttl          the TTL it leaves with
 * @param description  one tcpdump-like line for the frame as received
 */
public record RoutedHop(long timeNanos, String node, String inInterface, String outInterface, int nextHop, int ttl,
                        byte[] frame, String description) implements Hop {
}
