package io.vxswitch.lab.node;

/** Neighbour (ARP) entry states, as {@code ip neigh} shows them; a subset of Linux's NUD states. */
public enum NeighbourState {
    /** ARP requests are out, packets wait in the entry's queue. */
    INCOMPLETE,
    /** The link-layer address is known. */
    REACHABLE,
    /** Resolution gave up; the next packet starts over. */
    FAILED
}
