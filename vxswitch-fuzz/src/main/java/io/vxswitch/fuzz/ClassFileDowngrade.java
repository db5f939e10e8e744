package io.vxswitch.fuzz;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * Presents class files of Java 24 and later to the transformers after it as Java 23 (major version 67), the newest that
 * the ASM inside Jazzer 0.24.0 reads. Without it Jazzer's agent refuses every class of a JDK 25 build ("Unsupported class
 * file major version 69"), logs a stack trace for each, and fuzzes blind: no coverage, so no guidance.
 *
 * <p>Only the version number changes. Java 24 and 25 added no class file structures (no constant pool tags, attributes
 * or flags that 23 lacks), so the bytes mean to the JVM what they meant before. JaCoCo reads class files one version
 * past its ASM the same way ({@code InstrSupport.classReaderFor}).
 */
final class ClassFileDowngrade implements ClassFileTransformer {
    /** Java 23: {@code Opcodes.V23} of the ASM that Jazzer 0.24.0 shades. */
    static final int NEWEST_READABLE = 67;
    private static final int MAJOR_VERSION_OFFSET = 6;

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return downgrade(classfileBuffer);
    }

    /** A copy of {@code classFile} labelled Java 23, or null if it is no newer than that (left as it is). */
    static byte[] downgrade(byte[] classFile) {
        if (classFile.length < MAJOR_VERSION_OFFSET + 2 || majorVersion(classFile) <= NEWEST_READABLE) {
            return null;
        }
        byte[] copy = classFile.clone();
        copy[MAJOR_VERSION_OFFSET] = (byte) (NEWEST_READABLE >>> 8);
        copy[MAJOR_VERSION_OFFSET + 1] = (byte) NEWEST_READABLE;
        return copy;
    }

    static int majorVersion(byte[] classFile) {
        return (classFile[MAJOR_VERSION_OFFSET] & 0xFF) << 8 | (classFile[MAJOR_VERSION_OFFSET + 1] & 0xFF);
    }
}
