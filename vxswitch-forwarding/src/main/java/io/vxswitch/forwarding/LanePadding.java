package io.vxswitch.forwarding;

/**
 * Base class of the objects a forwarding lane writes for every frame (its decision, its scratch state, a VTEP's
 * counters): 132 bytes of fields that are never used, laid out before the subclass's own.
 *
 * <p>With one lane per core, objects of two lanes end up next to each other (a young GC copies objects reached
 * one after the other side by side), and two threads writing fields on one cache line take the line from each other
 * on every frame: two forwarding lanes then ran slower than one (docs/benchmarks.md). If every such object starts
 * with this padding, the fields written by two lanes are always at least two cache lines apart (CPUs fetch lines
 * in adjacent pairs), whichever object comes first. The leading {@code int} fills the gap after a 12-byte object
 * header, where HotSpot would otherwise put a subclass field ahead of the padding. Arrays written per frame get the
 * same room as unused leading elements.
 *
 * <p>The parse result a lane writes ({@link io.vxswitch.packet.FrameMeta}) is padded the same way by the packet
 * module, which cannot see this class.
 */
public abstract class LanePadding {
    /** Array elements to leave unused at the start of an {@code int[]} written per frame: 128 bytes. */
    public static final int INTS = 32;

    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}
