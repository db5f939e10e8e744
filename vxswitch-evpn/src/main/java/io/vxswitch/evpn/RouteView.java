package io.vxswitch.evpn;

import java.util.List;

/**
 * One EVPN route as {@code vxswitch evpn routes} shows it, in FRR's notation ({@code [2]:[0]:[48]:[MAC]:[32]:[IP]}):
 * received from a neighbor ({@code source} is its address) or originated here ({@code source} "local").
 */
public record RouteView(int type, int vni, String rd, String prefix, String nextHop, List<String> communities,
                        long sequence, String source) {
    public RouteView {
        communities = List.copyOf(communities);
    }
}
