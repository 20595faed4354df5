package dev.membrane.physics.support;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The dot-product kernel on the JDK's Vector API (SIMD: 8 float lanes with AVX2), used when the JVM runs with
 * {@code --add-modules jdk.incubator.vector} ({@link VectorMath#SIMD}). Sums in a different order than the scalar
 * kernel: results differ by float rounding only.
 * <p>This class is never loaded by name. The build stores its bytecode as the resource {@code SimdDot.bin} (and leaves
 * {@code SimdDot.class} out of the plugin jar); {@link SimdKernels} defines it only on a JVM that has the module. Why:
 * Neo4j loads every class of a plugin jar while looking for procedures, and on a JVM without the module verifying
 * this class fails, which Neo4j logged as a {@code NoClassDefFoundError} warning on every default start.
 */
final class SimdDot implements DotKernel {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    @Override
    public int lanes() {
        return SPECIES.length();
    }

    @Override
    public float dotRow(float[] rows, int row, float[] q) {
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
