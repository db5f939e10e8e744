package io.vxswitch.packet;

/**
 * 132 bytes of unused fields that {@link FrameMeta} starts with. A parse result is rewritten for every frame by the
 * thread that owns it, and a switch runs one parsing thread per core: if two threads' parse results came to lie
 * next to each other (a young GC copies objects side by side), each frame would take the cache line from the other
 * thread. Laid out before the subclass's fields; the leading {@code int} fills the gap after a 12-byte object header,
 * where HotSpot would otherwise put a subclass field. The forwarding plane pads its own per-frame objects the same
 * way ({@code io.vxswitch.forwarding.LanePadding}).
 */
abstract class ParseResultPadding {
    int p00;
    long p01, p02, p03, p04, p05, p06, p07, p08, p09, p10, p11, p12, p13, p14, p15, p16;
}
