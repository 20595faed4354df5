package dev.membrane.physics.support;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;

/**
 * Defines the SIMD kernel ({@link SimdDot}) from its bytecode resource, in this package and class loader, on a JVM
 * that has {@code jdk.incubator.vector}; see {@link SimdDot} for why it is not an ordinary class file in the jar.
 */
final class SimdKernels {
    static final String RESOURCE = "SimdDot.bin";

    private SimdKernels() {
    }

    /** The class once defined (a class loader defines a name once). Guarded by the class lock. */
    private static Class<?> defined;

    /** The SIMD kernel, or null when the module is absent or the resource cannot be defined (the scalar kernel then serves). */
    static synchronized DotKernel load(boolean modulePresent) {
        if (!modulePresent) {
            return null;
        }
        try {
            if (defined == null) {
                try (InputStream in = SimdKernels.class.getResourceAsStream(RESOURCE)) {
                    if (in == null) {
                        return null;
                    }
                    defined = MethodHandles.lookup().defineClass(in.readAllBytes());
                }
            }
            return (DotKernel) defined.getDeclaredConstructor().newInstance();
        } catch (IOException | ReflectiveOperationException | LinkageError | SecurityException e) {
            return null;
        }
    }
}
