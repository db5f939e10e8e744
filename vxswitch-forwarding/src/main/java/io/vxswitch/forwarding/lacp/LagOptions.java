package io.vxswitch.forwarding.lacp;

import io.vxswitch.packet.MacAddress;

import java.util.List;

/**
 * One link aggregation group as configured: its member interfaces and how it runs LACP.
 *
 * @param systemId       the actor system id (a MAC), or {@link #DERIVED}: the first member's MAC, as a Linux bond
 *                       does; globally unique, so two hosts on one physical switch never look like one system
 * @param key            the actor key of every member, or {@link #DERIVED}: the LAG's switch port id + 1
 * @param systemPriority lower is preferred when the two systems decide which of them chooses (802.1AX §6.4.2.3)
 */
public record LagOptions(String name, List<String> members, LacpMode mode, LacpRate rate, LagHashPolicy hash,
                         int systemPriority, long systemId, int key, int portPriority) {
    /** {@link #systemId} or {@link #key} derived at start. */
    public static final int DERIVED = -1;
    /** Members at most: a member set is a 64-bit mask, and 802.1AX partners rarely take more than 8 or 16. */
    public static final int MAX_MEMBERS = 32;
    /** 802.1AX leaves the defaults to the system; 32768 is what most switches use. */
    public static final int DEFAULT_SYSTEM_PRIORITY = 32768;
    public static final int DEFAULT_PORT_PRIORITY = 32768;

    public LagOptions {
        members = List.copyOf(members);
        if (members.isEmpty() || members.size() > MAX_MEMBERS) {
            throw new IllegalArgumentException("LAG '" + name + "' needs 1 to " + MAX_MEMBERS + " members, got "
                + members.size());
        }
        check("systemPriority", systemPriority, 0);
        check("portPriority", portPriority, 0);
        if (key != DERIVED) {
            check("key", key, 1);
        }
        if (systemId != DERIVED && !MacAddress.isUnicast(systemId)) {
            throw new IllegalArgumentException("LAG '" + name + "': systemId " + MacAddress.format(systemId)
                + " is a group address; a system id is a unicast MAC");
        }
    }

    private void check(String what, int value, int min) {
        if (value < min || value > 0xFFFF) {
            throw new IllegalArgumentException("LAG '" + name + "': " + what + " must be " + min + "-65535, got "
                + value);
        }
    }

    /** These options with the system id and key resolved. */
    public LagOptions resolved(long derivedSystemId, int derivedKey) {
        return new LagOptions(name, members, mode, rate, hash, systemPriority,
            systemId == DERIVED ? derivedSystemId : systemId, key == DERIVED ? derivedKey : key, portPriority);
    }

    /** One line: how the LAG runs. */
    public String brief() {
        return "lacp " + mode.label() + ", rate " + rate.label() + ", hash " + hash.label();
    }

    /** Who this end is to its partner, resolved options only: "system MAC priority N, key K". */
    public String actor() {
        return "system " + MacAddress.format(systemId) + " priority " + systemPriority + ", key " + key;
    }
}
