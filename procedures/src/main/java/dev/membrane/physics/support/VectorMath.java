package dev.membrane.physics.support;

/** Cosine similarity in tight loops over {@code float[]} (the shape Neo4j stores embeddings in). */
public final class VectorMath {
    /** The SIMD kernel when this JVM can run it, else null (see {@link #SIMD}). */
    private static final DotKernel SIMD_KERNEL = SimdKernels.load(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());

    /**
     * Whether scans use the SIMD kernel ({@link SimdDot}): true when the JVM was started with
     * {@code --add-modules jdk.incubator.vector} (Neo4j: {@code server.jvm.additional=--add-modules=jdk.incubator.vector}).
     * A constant, so the JIT removes the branch (and the kernel call through the final field is monomorphic).
     * Measured ~3× on the scope scan (docs/benchmarks.md).
     */
    public static final boolean SIMD = SIMD_KERNEL != null;

    private VectorMath() {
    }

    /** Which scan kernel this JVM uses, for logs and benchmarks: {@code simd-<lanes>} or {@code scalar}. */
    public static String kernel() {
        return SIMD ? "simd-" + SIMD_KERNEL.lanes() : "scalar";
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Cosine of two vectors; 0 when either has zero length (no direction, no similarity). */
    public static double cosine(float[] a, float[] b) {
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot(a, b) / (na * nb);
    }

    /** Cosine against a query whose norm is already known (saves one pass per candidate in scans). */
    public static double cosine(float[] query, double queryNorm, float[] b) {
        double nb = norm(b);
        if (queryNorm == 0 || nb == 0) {
            return 0;
        }
        return dot(query, b) / (queryNorm * nb);
    }

    /** As {@link #cosine(float[], double, float[])} for candidates stored as {@code double[]}. */
    public static double cosine(float[] query, double queryNorm, double[] b) {
        double dot = 0;
        double nb = 0;
        for (int i = 0; i < b.length; i++) {
            dot += query[i] * b[i];
            nb += b[i] * b[i];
        }
        if (queryNorm == 0 || nb == 0) {
            return 0;
        }
        return dot / (queryNorm * Math.sqrt(nb));
    }

    /** Dot product of {@code q} with row {@code row} of a row-major matrix: the scan's inner loop. */
    public static float dotRow(float[] rows, int row, float[] q) {
        return SIMD ? SIMD_KERNEL.dotRow(rows, row, q) : scalarDotRow(rows, row, q);
    }

    /**
     * The portable kernel: four independent accumulators so the CPU can overlap the multiply-adds (about twice as fast
     * as one running sum on these machines; the sum order differs from a plain loop by float rounding only).
     */
    static float scalarDotRow(float[] rows, int row, float[] q) {
        int dims = q.length;
        int base = row * dims;
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int d = 0;
        for (; d + 3 < dims; d += 4) {
            s0 += rows[base + d] * q[d];
            s1 += rows[base + d + 1] * q[d + 1];
            s2 += rows[base + d + 2] * q[d + 2];
            s3 += rows[base + d + 3] * q[d + 3];
        }
        for (; d < dims; d++) {
            s0 += rows[base + d] * q[d];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code q · codes[row]} for int8 rows, unscaled ({@link RowCodes}): the partitioned scan's inner loop. */
    public static float dotCodes(byte[] codes, int row, float[] q) {
        return SIMD ? SIMD_KERNEL.dotCodes(codes, row, q) : scalarDotCodes(codes, row, q);
    }

    static float scalarDotCodes(byte[] codes, int row, float[] q) {
        int dims = q.length;
        int base = row * dims;
        float s0 = 0;
        float s1 = 0;
        int d = 0;
        for (; d + 1 < dims; d += 2) {
            s0 += codes[base + d] * q[d];
            s1 += codes[base + d + 1] * q[d + 1];
        }
        for (; d < dims; d++) {
            s0 += codes[base + d] * q[d];
        }
        return s0 + s1;
    }

    /** A unit-length copy of {@code v} (the zero vector stays zero). */
    public static float[] unit(float[] v) {
        double n = norm(v);
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    /** SPEC §6.1: similarities are cosines clamped to [0, 1]; negative means unrelated. */
    public static double similarity(double cosine) {
        if (!(cosine > 0)) {
            return 0;
        }
        return Math.min(1.0, cosine);
    }

    /** SPEC §6.1: Neo4j's cosine vector index reports (1 + cos)/2; convert back before use. */
    public static double cosineFromIndexScore(double score) {
        return 2 * score - 1;
    }
}
