package io.vxswitch.evpn;

/**
 * One BGP neighbor as {@code vxswitch bgp neighbors} shows it (FRR's {@code show bgp summary} columns): its state,
 * how long it has been up, routes received (valid now) and sent, messages each way, and the last error.
 */
public record NeighborView(String address, long asn, String state, long uptimeSeconds, int routesReceived,
                           int routesSent, long messagesIn, long messagesOut, long updatesIn, long updatesOut,
                           long establishedTransitions, String lastError, String lastDown) {
}
