package io.vxswitch.forwarding.policy;

/**
 * MAC learning of a port group, named after vSphere's DVSMacManagementPolicy / DVSMacLearningPolicy.
 *
 * @param enabled              learn source MACs seen on the port (default off: the VDS knows only its vNIC MACs)
 * @param allowUnicastFlooding the port receives unknown-unicast floods (default on when learning is on)
 * @param limit                most MACs learned on one port (default 4096)
 * @param limitPolicy          what happens to a frame from a new source MAC once the limit is reached
 * @param agingSeconds         how long a learned MAC lives without traffic (default 300 s); static entries never age
 */
public record MacLearningPolicy(boolean enabled, boolean allowUnicastFlooding, int limit, LimitPolicy limitPolicy,
                                int agingSeconds) {
    public static final int DEFAULT_LIMIT = 4096;
    public static final int MAX_LIMIT = 4096;
    public static final int DEFAULT_AGING_SECONDS = 300;
    public static final int MIN_AGING_SECONDS = 10;
    public static final int MAX_AGING_SECONDS = 1_000_000;

    public static final MacLearningPolicy DISABLED =
        new MacLearningPolicy(false, false, DEFAULT_LIMIT, LimitPolicy.DROP, DEFAULT_AGING_SECONDS);
    public static final MacLearningPolicy ENABLED =
        new MacLearningPolicy(true, true, DEFAULT_LIMIT, LimitPolicy.DROP, DEFAULT_AGING_SECONDS);

    public enum LimitPolicy {
        /** Frames from a new source MAC beyond the limit are dropped. */
        DROP,
        /** Frames from a new source MAC beyond the limit are forwarded but the MAC is not learned. */
        ALLOW
    }

    public MacLearningPolicy {
        if (limit < 0 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("MAC learning limit must be 0-" + MAX_LIMIT + ", got " + limit);
        }
        if (agingSeconds < MIN_AGING_SECONDS || agingSeconds > MAX_AGING_SECONDS) {
            throw new IllegalArgumentException("MAC aging must be " + MIN_AGING_SECONDS + "-" + MAX_AGING_SECONDS
                + " seconds, got " + agingSeconds);
        }
        if (limitPolicy == null) {
            throw new IllegalArgumentException("MAC learning limit policy must be drop or allow");
        }
    }

    public MacLearningPolicy withLimit(int newLimit, LimitPolicy policy) {
        return new MacLearningPolicy(enabled, allowUnicastFlooding, newLimit, policy, agingSeconds);
    }

    public MacLearningPolicy withUnicastFlooding(boolean allow) {
        return new MacLearningPolicy(enabled, allow, limit, limitPolicy, agingSeconds);
    }

    public MacLearningPolicy withAgingSeconds(int seconds) {
        return new MacLearningPolicy(enabled, allowUnicastFlooding, limit, limitPolicy, seconds);
    }

    /** True if the port both learns and takes unknown-unicast floods. */
    public boolean floodsUnknownUnicast() {
        return enabled && allowUnicastFlooding;
    }

    @Override
    public String toString() {
        if (!enabled) {
            return "learning off";
        }
        return "learning on, unicast flooding " + (allowUnicastFlooding ? "on" : "off") + ", limit " + limit
            + " (" + limitPolicy.name().toLowerCase(java.util.Locale.ROOT) + "), aging " + agingSeconds + "s";
    }
}
