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
    /** Room for the NLRI of a withdrawal: the header, the two length fields and MP_UNREACH's own fields. */
    private static final int WITHDRAW_BUDGET = MessageCodec.MAX_LENGTH - 19 - 4 - 4 - 3;

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
            // the room left for NLRI is what the same UPDATE with no route leaves (many route targets take room)
            int budget = MessageCodec.MAX_LENGTH
                    - MessageCodec.TWO_OCTET_AS.encode(update(first, List.of(), localAsn, internal)).length;
            for (List<EvpnRoute> chunk : chunks(group.stream().map(LocalRoute::route).toList(), budget)) {
                out.add(update(first, chunk, localAsn, internal));
            }
        }
        return out;
    }

    private static Update update(LocalRoute first, List<EvpnRoute> routes, long localAsn, boolean internal) {
        PathAttributes.Builder b = PathAttributes.builder().origin(PathAttributes.ORIGIN_IGP)
                .mpReach(MpReach.evpn(first.nextHop(), routes)).pmsiTunnel(first.pmsi());
        if (internal) {
            b.asPath(List.of()).localPref(100);
        } else {
            b.asPath(List.of(new AsPathSegment(AsPathSegment.AS_SEQUENCE, new long[] {localAsn})));
        }
        first.communities().forEach(b::extendedCommunity);
        return Update.of(b.build());
    }

    static List<Update> withdrawals(Collection<EvpnRoute> routes) {
        List<Update> out = new ArrayList<>();
        for (List<EvpnRoute> chunk : chunks(List.copyOf(routes), WITHDRAW_BUDGET)) {
            out.add(Update.of(PathAttributes.builder().mpUnreach(MpUnreach.evpn(chunk)).build()));
        }
        return out;
    }

    private static List<List<EvpnRoute>> chunks(List<EvpnRoute> routes, int budget) {
        List<List<EvpnRoute>> out = new ArrayList<>();
        List<EvpnRoute> current = new ArrayList<>();
        int bytes = 0;
        for (EvpnRoute r : routes) {
            int n = MessageCodec.encodedLength(r);
            if (bytes + n > budget && !current.isEmpty()) {
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
