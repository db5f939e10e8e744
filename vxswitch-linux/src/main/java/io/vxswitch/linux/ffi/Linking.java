package io.vxswitch.linux.ffi;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Binds libc functions through the FFM linker, with errno captured into a call-state segment where asked for:
 * what {@link Libc} (set-up calls) and {@link DataPathCalls} (per-frame calls) are made of.
 */
final class Linking {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Linking() {
    }

    // Linking native functions is "restricted" (it can crash the JVM if a descriptor is wrong); this class is
    // the one place vxswitch does it, and the module is run with --enable-native-access.
    @SuppressWarnings("restricted")
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"));
    }

    /** A variadic function: arguments from {@code firstVariadic} on are passed as C varargs. */
    @SuppressWarnings("restricted")
    static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, int firstVariadic) {
        return LINKER.downcallHandle(symbol(name), descriptor, Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(firstVariadic));
    }

    @SuppressWarnings("restricted")
    static MethodHandle plainCall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(symbol(name), descriptor);
    }

    private static MemorySegment symbol(String name) {
        return LINKER.defaultLookup().find(name)
            .orElseThrow(() -> new UnsatisfiedLinkError("libc has no function '" + name + "'"));
    }

    static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errnoOf(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    static AssertionError unexpected(Throwable t) {
        // invokeExact with matching types throws only what the target throws, and C functions throw nothing.
        return new AssertionError("native call failed in the linker: " + t, t);
    }
}
