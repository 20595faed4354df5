package dev.membrane.physics.support;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot-product kernel on the JDK's Vector API (SIMD: 8 float lanes with AVX2). Loaded only when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link VectorMath#SIMD}); referencing it otherwise would fail, so
 * nothing but {@link VectorMath} touches this class. Sums in a different order than the scalar kernel: results
 * differ by float rounding only.
 */
final class SimdDot {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    private SimdDot() {
    }

    static int lanes() {
        return SPECIES.length();
    }

    static float dotRow(float[] rows, int row, float[] q) {
        int dims = q.length;
        int base = row * dims;
        // Two accumulators: consecutive FMAs into one register wait on each other's latency.
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int step = SPECIES.length();
        int d = 0;
        for (; d + 2 * step <= dims; d += 2 * step) {
            acc0 = FloatVector.fromArray(SPECIES, rows, base + d).fma(FloatVector.fromArray(SPECIES, q, d), acc0);
            acc1 = FloatVector.fromArray(SPECIES, rows, base + d + step).fma(FloatVector.fromArray(SPECIES, q, d + step), acc1);
        }
        for (; d + step <= dims; d += step) {
            acc0 = FloatVector.fromArray(SPECIES, rows, base + d).fma(FloatVector.fromArray(SPECIES, q, d), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; d < dims; d++) {
            s += rows[base + d] * q[d];
        }
        return s;
    }
}
