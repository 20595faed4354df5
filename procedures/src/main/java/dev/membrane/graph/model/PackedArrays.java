package dev.membrane.graph.model;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * How the plugin stores its own learned number arrays (the engines' health ring and fit, the peripheral cohort):
 * as {@code byte[]} properties holding little-endian IEEE 754 values (float32 for rings, float64 for the fit).
 * <p>Why: Neo4j's record store bit-packs numeric arrays and reads and writes them element by element, while a
 * {@code byte[]} is copied as it is. A learned array is read back (its old value) every time it is overwritten and
 * again for the transaction's event data, so bit-packed rings were 8 % of the transaction thread's time in a
 * batch-500 {@code membrane.integrate} at 100k nodes (docs/benchmarks.md). Readers also accept the plain
 * {@code float[]} / {@code double[]} arrays of earlier builds or of a hand-made graph. {@code membrane.health}
 * shows the decoded model.
 */
public final class PackedArrays {
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle DOUBLE = MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);

    private PackedArrays() {
    }

    public static byte[] packFloats(float[] values, int from, int to) {
        byte[] out = new byte[(to - from) * Float.BYTES];
        for (int i = from; i < to; i++) {
            FLOAT.set(out, (i - from) * Float.BYTES, values[i]);
        }
        return out;
    }

    public static byte[] packFloats(float[] values) {
        return packFloats(values, 0, values.length);
    }

    public static byte[] packDoubles(double[] values) {
        byte[] out = new byte[values.length * Double.BYTES];
        for (int i = 0; i < values.length; i++) {
            DOUBLE.set(out, i * Double.BYTES, values[i]);
        }
        return out;
    }

    /** A stored float array: packed bytes, or a plain numeric array; null when absent or of another type. */
    public static float[] floats(Object stored) {
        if (stored instanceof byte[] b && b.length % Float.BYTES == 0) {
            float[] out = new float[b.length / Float.BYTES];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) FLOAT.get(b, i * Float.BYTES);
            }
            return out;
        }
        if (stored instanceof float[] f) {
            return f;
        }
        if (stored instanceof double[] d) {
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                out[i] = (float) d[i];
            }
            return out;
        }
        return null;
    }

    /** A stored double array: packed bytes, or a plain numeric array; null when absent or of another type. */
    public static double[] doubles(Object stored) {
        if (stored instanceof byte[] b && b.length % Double.BYTES == 0) {
            double[] out = new double[b.length / Double.BYTES];
            for (int i = 0; i < out.length; i++) {
                out[i] = (double) DOUBLE.get(b, i * Double.BYTES);
            }
            return out;
        }
        if (stored instanceof double[] d) {
            return d;
        }
        if (stored instanceof float[] f) {
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        return null;
    }
}
