package io.vxswitch.forwarding;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The IPv6 half of the suppression table agrees with a map under any sequence of binds and unbinds. */
class Ipv6BindingsTest {
    record Op(boolean bind, int vlan, long low, long mac) {
    }

    @Property(tries = 300)
    void behavesAsAMap(@ForAll @Size(max = 400) List<@IntRange(max = 63) Integer> keys,
                       @ForAll @Size(max = 400) List<Boolean> binds) {
        Ipv6Bindings table = new Ipv6Bindings();
        Map<List<Long>, Long> model = new HashMap<>();
        for (int i = 0; i < Math.min(keys.size(), binds.size()); i++) {
            int k = keys.get(i);
            int vlan = 1 + (k & 3);
            long low = k >>> 2; // few addresses: binds and unbinds meet
            long mac = 0x0200_0000_0000L | (i % 3);
            List<Long> key = List.of((long) vlan, low);
            if (binds.get(i)) {
                table.put(vlan, 0x2001_0db8_0000_0000L, low, mac);
                model.put(key, mac);
            } else {
                boolean removed = table.remove(vlan, 0x2001_0db8_0000_0000L, low, mac);
                assertThat(removed).isEqualTo(model.get(key) != null && model.get(key) == mac);
                if (removed) {
                    model.remove(key);
                }
            }
            assertThat(table.size()).isEqualTo(model.size());
        }
        for (int vlan = 1; vlan <= 4; vlan++) {
            for (long low = 0; low < 16; low++) {
                Long expected = model.get(List.of((long) vlan, low));
                assertThat(table.get(vlan, 0x2001_0db8_0000_0000L, low, -1)).isEqualTo(expected == null ? -1 : expected);
            }
        }
    }
}
