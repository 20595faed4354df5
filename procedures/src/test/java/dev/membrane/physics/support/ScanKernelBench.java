package dev.membrane.physics.support;

import java.util.Arrays;
import java.util.Locale;
import java.util.Random;

/**
 * The scope scan's kernel, scalar vs SIMD, side by side in one run: a scan of N rows × 384 dims for one query, and
 * the blocked form {@code integrate} uses (each row against 64 queries while it is in cache). Medians of 15 runs after
 * warm-up. Needs the vector module: {@code MAVEN_OPTS="--add-modules jdk.incubator.vector" ./mvnw -q -B -pl procedures
 * test-compile exec:java@scan-bench}.
 */
public final class ScanKernelBench {
    private static final int DIMS = 384;
    private static final int QUERIES = 64;
    private static final int RUNS = 15;

    private interface Kernel {
        float dot(float[] rows, int row, float[] q);
    }

    public static void main(String[] args) {
        if (!VectorMath.SIMD) {
            throw new IllegalStateException("run with --add-modules jdk.incubator.vector (MAVEN_OPTS) to compare both kernels");
        }
        System.out.printf("kernel in use by the plugin here: %s; %d dims; medians of %d runs; 2 cores%n%n", VectorMath.kernel(), DIMS, RUNS);
        System.out.println("| rows | scan | scalar (ms) | SIMD (ms) | speed-up |");
        System.out.println("|---:|---|---:|---:|---:|");
        Random r = new Random(3);
        for (int n : new int[]{10_000, 100_000}) {
            float[] rows = new float[n * DIMS];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = (float) r.nextGaussian();
            }
            float[][] qs = new float[QUERIES][DIMS];
            for (float[] q : qs) {
                for (int d = 0; d < DIMS; d++) {
                    q[d] = (float) r.nextGaussian();
                }
            }
            Kernel scalar = VectorMath::scalarDotRow;
            DotKernel loaded = SimdKernels.load(true);
            Kernel simd = loaded::dotRow;
            row(n, "1 query", median(() -> single(scalar, rows, n, qs[0])), median(() -> single(simd, rows, n, qs[0])));
            row(n, QUERIES + " queries, blocked", median(() -> blocked(scalar, rows, n, qs)), median(() -> blocked(simd, rows, n, qs)));
        }
    }

    private static void row(int n, String scan, double scalarMs, double simdMs) {
        System.out.printf(Locale.ROOT, "| %,d | %s | %.2f | %.2f | %.1f× |%n", n, scan, scalarMs, simdMs, scalarMs / simdMs);
    }

    private static float sink;

    private static double single(Kernel k, float[] rows, int n, float[] q) {
        long t = System.nanoTime();
        float best = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            best = Math.max(best, k.dot(rows, i, q));
        }
        sink += best;
        return (System.nanoTime() - t) / 1e6;
    }

    private static double blocked(Kernel k, float[] rows, int n, float[][] qs) {
        long t = System.nanoTime();
        float[] best = new float[qs.length];
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < qs.length; q++) {
                best[q] = Math.max(best[q], k.dot(rows, i, qs[q]));
            }
        }
        sink += best[0];
        return (System.nanoTime() - t) / 1e6;
    }

    private static double median(java.util.function.DoubleSupplier run) {
        for (int i = 0; i < 5; i++) {
            run.getAsDouble();
        }
        double[] t = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            t[i] = run.getAsDouble();
        }
        Arrays.sort(t);
        return t[RUNS / 2];
    }
}
