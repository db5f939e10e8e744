package io.vxswitch.forwarding;

import io.vxswitch.forwarding.fdb.Fdb;
import io.vxswitch.forwarding.fdb.MacMoveGuard;
import io.vxswitch.packet.MacAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * What an operator should read about MAC moves: every flap the {@link MacMoveGuard} recorded, and at most one summary
 * of plain moves per interval. Polled by the driver's housekeeping (once a second in the daemon), never on the data
 * path; it only builds strings when there is something to say.
 */
public final class MacMoveLog {
    public static final long DEFAULT_INTERVAL_NANOS = 10_000_000_000L;

    private final Switch sw;
    private final long intervalNanos;
    private long movedAtLastSummary;
    private long nextSummary = Long.MIN_VALUE;

    MacMoveLog(Switch sw, long intervalNanos) {
        this.sw = sw;
        this.intervalNanos = intervalNanos;
    }

    /** The lines due at {@code now}; empty most of the time. */
    public List<String> poll(long now) {
        Fdb fdb = sw.fdb();
        MacMoveGuard.Options o = fdb.macMoveGuardOptions();
        List<String> lines = new ArrayList<>(0);
        long lost = fdb.drainFlaps((vlan, mac, home, from, to, frozen) -> lines.add("MAC " + MacAddress.format(mac)
            + " VLAN " + vlan + " is flapping: more than " + o.maxMoves() + " moves in " + seconds(o.windowNanos())
            + ", the last from port " + name(from) + " to " + name(to) + (frozen ? "; frozen on port " + name(home)
            + " for " + seconds(o.holdNanos()) + ", frames from it elsewhere are dropped (mac_move_frozen)"
            : "; check for a loop or a duplicate MAC (macMove.holdSeconds freezes flapping MACs)")));
        if (lost > 0) {
            lines.add(lost + " more MAC flaps were not logged (too many at once)");
        }
        if (nextSummary == Long.MIN_VALUE) {
            nextSummary = now + intervalNanos;
        } else if (now - nextSummary >= 0) {
            long moved = fdb.stats().moved();
            long since = moved - movedAtLastSummary;
            Fdb.MacMove last = fdb.lastMove();
            if (since > 0 && last != null) {
                lines.add(since + " MAC move" + (since == 1 ? "" : "s") + " in the last " + seconds(intervalNanos)
                    + " (the last: " + MacAddress.format(last.mac()) + " VLAN " + last.vlan()
                    + " from port " + name(last.fromPort()) + " to " + name(last.toPort()) + ")");
            }
            movedAtLastSummary = moved;
            nextSummary = now + intervalNanos;
        }
        return lines;
    }

    private String name(int port) {
        Port p = sw.port(port);
        return p == null ? "#" + port : p.name();
    }

    private static String seconds(long nanos) {
        return (nanos / 1_000_000_000L) + " s";
    }
}
