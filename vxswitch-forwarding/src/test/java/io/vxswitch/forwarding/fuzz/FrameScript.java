package io.vxswitch.forwarding.fuzz;

import io.vxswitch.packet.Dot1q;
import io.vxswitch.packet.FrameBuilder;
import io.vxswitch.packet.Ipv4Address;
import io.vxswitch.packet.MacAddress;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns a fuzzer's bytes into frames arriving on the ports of a {@link FuzzSwitch}: a list of steps, decoded once, so
 * that replaying them allocates nothing. Each step is
 * <pre>
 * control  bits 0-3: ingress port index (mod 12); bit 4: out of the tunnel instead (bits 0-1 the remote VTEP id,
 *          bits 5-6 the VLAN its VNI maps to: 119, 120, or 100, which the tunnel does not carry); bit 7: raw bytes
 * clock    bits 0-6: time passes, n x 250 ms; bit 7: the FDB ages first
 * raw      length (2 bytes, cut to what is left), then the frame's bytes: anything, malformed included
 * built    dst, src (a known MAC, broadcast, multicast, or one of 244 others), tag (none, priority, a VID from a
 *          table that includes a reserved one), kind (ARP request or reply, ICMP echo, UDP, other EtherType),
 *          address byte, cut (bits 0-5: bytes taken off the end; bits 6-7: sent 1, 16, 64 or 256 times, the
 *          source MAC one higher each time: a MAC flood in 8 bytes)
 * </pre>
 * A built frame is a well-formed frame of the switch's world, so the fuzzer reaches learning, limits, moves, floods,
 * eviction and ARP suppression quickly; a raw one is whatever a guest can put on a wire. At most {@link #MAX_STEPS}
 * frames. Each frame is a segment of exactly its length, so a read past its end throws.
 */
final class FrameScript {
    static final int MAX_FRAME = 9216;
    static final int MAX_STEPS = 1024;
    private static final int[] FLOOD = {1, 16, 64, 256};
    private static final int[] VIDS = {0, 119, 120, 100, 125, 200, 4094, Dot1q.RESERVED_VID};
    private static final long[] KNOWN_MACS = {FuzzSwitch.VM1, FuzzSwitch.VM2, FuzzSwitch.VGT, FuzzSwitch.PROMISC,
        FuzzSwitch.NESTED_MAC, FuzzSwitch.CHANGED_CONFIGURED, FuzzSwitch.CHANGED_EFFECTIVE, FuzzSwitch.VM120,
        FuzzSwitch.DOWN, FuzzSwitch.STATIC_UPLINK, FuzzSwitch.STATIC_REMOTE, MacAddress.BROADCAST,
        MacAddress.parseBits("01:00:5e:00:00:01")};
    private static final int[] TUNNEL_VLANS = {119, 120, 100, 119};
    /** The first host address of a built frame: parsed once, as parsing it per frame was a fifth of a fuzzing run. */
    private static final int FIRST_HOST = Ipv4Address.parse("10.0.0.1");

    /** One frame arriving: where, when, and its bytes. */
    record Step(int port, boolean tunnel, int remote, int tunnelVlan, long advanceNanos, boolean expire,
                MemorySegment frame) {
    }

    private FrameScript() {
    }

    static List<Step> decode(byte[] in) {
        List<Step> steps = new ArrayList<>();
        MemorySegment scratch = MemorySegment.ofArray(new byte[MAX_FRAME + 64]);
        int p = 0;
        while (steps.size() < MAX_STEPS && p + 2 <= in.length) {
            int control = in[p++] & 0xFF;
            int clock = in[p++] & 0xFF;
            if ((control & 0x80) != 0) {
                if (p + 2 > in.length) {
                    break;
                }
                int length = Math.min(((in[p] & 0xFF) << 8 | (in[p + 1] & 0xFF)) % (MAX_FRAME + 1), in.length - p - 2);
                p += 2;
                steps.add(step(control, clock, MemorySegment.ofArray(java.util.Arrays.copyOfRange(in, p, p + length))));
                p += length;
            } else {
                if (p + 6 > in.length) {
                    break;
                }
                steps.add(step(control, clock, built(scratch, in, p, 0)));
                int repeat = FLOOD[(in[p + 5] & 0xFF) >>> 6];
                for (int k = 1; k < repeat && steps.size() < MAX_STEPS; k++) {
                    steps.add(step(control, 0, built(scratch, in, p, k))); // the rest of a flood, in the same instant
                }
                p += 6;
            }
        }
        return steps;
    }

    private static Step step(int control, int clock, MemorySegment frame) {
        return new Step((control & 0x0F) % FuzzSwitch.PORTS, (control & 0x10) != 0, control & 0x03,
            TUNNEL_VLANS[(control >>> 5) & 0x03], (clock & 0x7F) * 250_000_000L, (clock & 0x80) != 0, frame);
    }

    /** The built frame of the 6 bytes at {@code p}, its source MAC {@code k} higher (the k-th of a flood). */
    private static MemorySegment built(MemorySegment s, byte[] in, int p, int k) {
        long dst = mac(in[p] & 0xFF);
        long src = (mac(in[p + 1] & 0xFF) + k) & MacAddress.MASK;
        int tag = in[p + 2] & 0xFF;
        int kind = (in[p + 3] & 0xFF) % 5;
        int host = in[p + 4] & 0xFF;
        int cut = (in[p + 5] & 0xFF) % 64;
        int a = FIRST_HOST + (host & 0x0F);
        int b = FIRST_HOST + (host >>> 4);
        int length = switch (kind) {
            case 0 -> {
                int n = FrameBuilder.arpRequest(s, 0, src, a, b);
                MacAddress.write(s, 0, dst); // broadcast as usual, or unicast as a probe
                yield n;
            }
            case 1 -> FrameBuilder.arpReply(s, 0, src, a, dst, b);
            case 2 -> FrameBuilder.icmpEcho(s, 0, src, dst, a, b, (host & 1) == 0, 1, host);
            case 3 -> FrameBuilder.udp(s, 0, src, dst, a, b, 40_000 + host, 4789, s.asSlice(200, host));
            default -> FrameBuilder.padToMinimum(s, 0, FrameBuilder.ethernet(s, 0, dst, src, 0x88b5 + host));
        };
        if (tag != 0) {
            length = FrameBuilder.pushVlanTag(s, 0, length, (tag & 0xE0) << 8 | VIDS[tag % VIDS.length]);
        }
        length = Math.max(0, length - cut);
        return MemorySegment.ofArray(s.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
    }

    /** A known MAC for the first selectors, then locally administered unicast MACs the switch has never seen. */
    private static long mac(int selector) {
        return selector < KNOWN_MACS.length ? KNOWN_MACS[selector] : 0x5254_0000_0000L | selector;
    }
}
