package io.vxswitch.forwarding.lacp;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Two LAGs cabled member i to member i, in virtual time: every 100 ms each side ticks and what it has to send crosses
 * to the other, unless that direction of that cable is cut. The test's clock is the only clock.
 */
final class LacpWire {
    static final long TICK = 100_000_000L;
    static final long SECOND = 1_000_000_000L;

    final Aggregator a;
    final Aggregator b;
    /** [member][0]: a to b carries, [member][1]: b to a carries. */
    final boolean[][] carries;
    final MemorySegment buffer = Arena.ofAuto().allocate(256);
    long now = 1_000 * SECOND;
    long framesAtoB;
    long framesBtoA;

    LacpWire(Aggregator a, Aggregator b) {
        this.a = a;
        this.b = b;
        this.carries = new boolean[a.memberCount()][];
        for (int i = 0; i < carries.length; i++) {
            carries[i] = new boolean[] {true, true};
        }
    }

    /** Both ends' links up. */
    LacpWire up() {
        for (int i = 0; i < a.memberCount(); i++) {
            a.linkChanged(i, true, now);
            b.linkChanged(i, true, now);
        }
        return this;
    }

    void run(long nanos) {
        long end = now + nanos;
        while (now < end) {
            now += TICK;
            a.tick(now);
            b.tick(now);
            exchange();
        }
    }

    private void exchange() {
        for (int i = 0; i < a.memberCount(); i++) {
            if (a.transmitDue(i, now)) {
                int n = a.writeLacpdu(i, buffer, 0, 0x0200_0000_0A00L + i, now);
                framesAtoB++;
                if (carries[i][0]) {
                    b.receive(i, buffer, 14, n - 14, now);
                }
            }
            if (b.transmitDue(i, now)) {
                int n = b.writeLacpdu(i, buffer, 0, 0x0200_0000_0B00L + i, now);
                framesBtoA++;
                if (carries[i][1]) {
                    a.receive(i, buffer, 14, n - 14, now);
                }
            }
        }
    }

    static Aggregator lag(long system, LacpMode mode, LacpRate rate, int members) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int i = 0; i < members; i++) {
            names.add("eth" + (i + 1));
        }
        return new Aggregator(new LagOptions("lag0", names, mode, rate, LagHashPolicy.L3L4,
            LagOptions.DEFAULT_SYSTEM_PRIORITY, system, 7, LagOptions.DEFAULT_PORT_PRIORITY));
    }
}
