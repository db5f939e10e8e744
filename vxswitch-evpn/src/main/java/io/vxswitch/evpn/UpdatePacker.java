package io.vxswitch.evpn;

import io.vxswitch.bgp.evpn.EvpnRoute;
import io.vxswitch.bgp.message.AsPathSegment;
import io.vxswitch.bgp.message.MessageCodec;
import io.vxswitch.bgp.message.MpReach;
import io.vxswitch.bgp.message.MpUnreach;
import io.vxswitch.bgp.message.PathAttributes;
import io.vxswitch.bgp.message.Update;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs routes into as few UPDATEs as fit in BGP's 4096 bytes: routes with the same attributes share one MP_REACH,
 * withdrawals share MP_UNREACH. 100,000 MACs then take about a thousand UPDATEs, not 100,000.
 */
final class UpdatePacker {
    /** Room left for NLRI after the header, the attributes and MP_REACH's own fields, with margin. */
    private static final int NLRI_BUDGET = MessageCodec.MAX_LENGTH - 19 - 4 - 200;

    private UpdatePacker() {
    }

    static List<Update> advertisements(Collection<LocalRoute> routes, long localAsn, boolean internal) {
        Map<Object, List<LocalRoute>> groups = new LinkedHashMap<>();
        for (LocalRoute r : routes) {
            groups.computeIfAbsent(r.attributesKey(), k -> new ArrayList<>()).add(r);
        }
        List<Update> out = new ArrayList<>();
        for (List<LocalRoute> group : groups.values()) {
            LocalRoute first = group.getFirst();
            for (List<EvpnRoute> chunk : chunks(group.stream().map(LocalRoute::route).toList())) {
                PathAttributes.Builder b = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                        .mpReach(MpReach.evpn(first.nextHop(), chunk)).pmsiTunnel(first.pmsi());
                if (internal) {
                    b.asPath(List.of()).localPref(100);
                } else {
                    b.asPath(List.of(new AsPathSegment(AsPathSegment.AS_SEQUENCE, new long[] {localAsn})));
                }
                first.communities().forEach(b::extendedCommunity);
                out.add(Update.of(b.build()));
            }
        }
        return out;
    }

    static List<Update> withdrawals(Collection<EvpnRoute> routes) {
        List<Update> out = new ArrayList<>();
        for (List<EvpnRoute> chunk : chunks(List.copyOf(routes))) {
            out.add(Update.of(PathAttributes.builder().mpUnreach(MpUnreach.evpn(chunk)).build()));
        }
        return out;
    }

    private static List<List<EvpnRoute>> chunks(List<EvpnRoute> routes) {
        List<List<EvpnRoute>> out = new ArrayList<>();
        List<EvpnRoute> current = new ArrayList<>();
        int bytes = 0;
        for (EvpnRoute r : routes) {
            int n = MessageCodec.encodedLength(r);
            if (bytes + n > NLRI_BUDGET && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(r);
            bytes += n;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
