package io.vxswitch.forwarding;

/**
 * Host-wide settings of a switch.
 *
 * @param fdbCapacity             most entries in the MAC table (learned + static), like OVS's mac-table-size
 * @param maxPorts                most ports the switch can hold
 * @param reversePathCheckPromisc also withhold reflected frames from promiscuous ports (ESXi's
 *                                Net.ReversePathFwdCheckPromisc): a frame arriving on an uplink with the source
 *                                MAC of a local vNIC or of a MAC learned on a local port is not delivered to them
 * @param hashSecret              seed of the FDB's hash, so an attacker cannot choose colliding MACs
 * @param lanes                   how many threads forward at once (one {@link ForwardingLane} each)
 */
public record SwitchOptions(String name, int fdbCapacity, int maxPorts, boolean reversePathCheckPromisc,
                            long hashSecret, int lanes) {
    public static final int DEFAULT_FDB_CAPACITY = 8192;
    public static final int DEFAULT_MAX_PORTS = 1024;
    /** More forwarding threads than this would only share cores. */
    public static final int MAX_LANES = 64;

    public SwitchOptions {
        if (lanes < 1 || lanes > MAX_LANES) {
            throw new IllegalArgumentException("lanes (forwarding threads) must be 1-" + MAX_LANES + ", got " + lanes);
        }
        if (fdbCapacity < 1) {
            throw new IllegalArgumentException("FDB capacity must be at least 1, got " + fdbCapacity);
        }
        if (maxPorts < 1) {
            throw new IllegalArgumentException("max ports must be at least 1, got " + maxPorts);
        }
    }

    /** One lane: one thread forwards. */
    public SwitchOptions(String name, int fdbCapacity, int maxPorts, boolean reversePathCheckPromisc, long hashSecret) {
        this(name, fdbCapacity, maxPorts, reversePathCheckPromisc, hashSecret, 1);
    }

    public static SwitchOptions defaults(String name) {
        return new SwitchOptions(name, DEFAULT_FDB_CAPACITY, DEFAULT_MAX_PORTS, false, 0x5eed_cafe_f00dL);
    }

    public SwitchOptions withReversePathCheckPromisc(boolean on) {
        return new SwitchOptions(name, fdbCapacity, maxPorts, on, hashSecret, lanes);
    }

    public SwitchOptions withFdbCapacity(int capacity) {
        return new SwitchOptions(name, capacity, maxPorts, reversePathCheckPromisc, hashSecret, lanes);
    }

    public SwitchOptions withMaxPorts(int ports) {
        return new SwitchOptions(name, fdbCapacity, ports, reversePathCheckPromisc, hashSecret, lanes);
    }

    /** How many threads may forward at once, each through its own {@link ForwardingLane}. */
    public SwitchOptions withLanes(int n) {
        return new SwitchOptions(name, fdbCapacity, maxPorts, reversePathCheckPromisc, hashSecret, n);
    }
}
