package io.vxswitch.bgp.message;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The path attributes of one UPDATE (RFC 4271 §5, RFC 4456 for the reflector's ORIGINATOR_ID / CLUSTER_LIST,
 * RFC 4760 for MP_REACH / MP_UNREACH, RFC 4360 extended communities, RFC 6514 PMSI tunnel). Absent numbers are -1,
 * absent objects null, absent lists empty: what an UPDATE lacked stays visible (a missing LOCAL_PREF is not 100).
 */
public record PathAttributes(int origin, List<AsPathSegment> asPath, InetAddress nextHop, long med, long localPref,
                             boolean atomicAggregate, long originatorId, List<Integer> clusterList,
                             List<Integer> communities, List<Long> extendedCommunities, PmsiTunnel pmsiTunnel,
                             MpReach mpReach, MpUnreach mpUnreach, List<UnknownAttribute> others) {
    public static final int ORIGIN_IGP = 0;
    public static final int ORIGIN_EGP = 1;
    public static final int ORIGIN_INCOMPLETE = 2;

    public static final PathAttributes NONE = builder().build();

    public PathAttributes {
        asPath = asPath == null ? null : List.copyOf(asPath);
        clusterList = List.copyOf(clusterList);
        communities = List.copyOf(communities);
        extendedCommunities = List.copyOf(extendedCommunities);
        others = List.copyOf(others);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** True when the UPDATE carries no attribute at all (a plain withdrawal, or a KEEPALIVE-like empty UPDATE). */
    public boolean isEmpty() {
        return equals(NONE);
    }

    /** A builder for the attributes vxswitch sends; every field starts absent. */
    public static final class Builder {
        private int origin = -1;
        private List<AsPathSegment> asPath;
        private InetAddress nextHop;
        private long med = -1;
        private long localPref = -1;
        private boolean atomicAggregate;
        private long originatorId = -1;
        private final List<Integer> clusterList = new ArrayList<>();
        private final List<Integer> communities = new ArrayList<>();
        private final List<Long> extendedCommunities = new ArrayList<>();
        private PmsiTunnel pmsiTunnel;
        private MpReach mpReach;
        private MpUnreach mpUnreach;
        private final List<UnknownAttribute> others = new ArrayList<>();

        public Builder origin(int v) {
            origin = v;
            return this;
        }

        public Builder asPath(List<AsPathSegment> v) {
            asPath = v;
            return this;
        }

        public Builder nextHop(InetAddress v) {
            nextHop = v;
            return this;
        }

        public Builder med(long v) {
            med = v;
            return this;
        }

        public Builder localPref(long v) {
            localPref = v;
            return this;
        }

        public Builder atomicAggregate(boolean v) {
            atomicAggregate = v;
            return this;
        }

        public Builder originatorId(long v) {
            originatorId = v;
            return this;
        }

        public Builder clusterList(List<Integer> v) {
            clusterList.clear();
            clusterList.addAll(v);
            return this;
        }

        public Builder communities(List<Integer> v) {
            communities.clear();
            communities.addAll(v);
            return this;
        }

        public Builder extendedCommunity(long v) {
            extendedCommunities.add(v);
            return this;
        }

        public Builder pmsiTunnel(PmsiTunnel v) {
            pmsiTunnel = v;
            return this;
        }

        public Builder mpReach(MpReach v) {
            mpReach = v;
            return this;
        }

        public Builder mpUnreach(MpUnreach v) {
            mpUnreach = v;
            return this;
        }

        public Builder other(UnknownAttribute v) {
            others.add(v);
            return this;
        }

        public PathAttributes build() {
            return new PathAttributes(origin, asPath, nextHop, med, localPref, atomicAggregate, originatorId,
                    clusterList, communities, extendedCommunities, pmsiTunnel, mpReach, mpUnreach, others);
        }
    }
}
