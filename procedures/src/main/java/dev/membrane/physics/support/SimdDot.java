package dev.membrane.physics.support;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
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
    /**
     * As many byte lanes as {@link #SPECIES} has float lanes (a quarter of its bits), so one load converts to exactly one
     * float vector; null when that shape does not exist (float vectors under 256 bits), and the scalar loop serves.
     * Measured on 4,000 contiguous 384-d rows: 72 µs against 155 µs for a full-width byte load split into four parts.
     */
    private static final VectorSpecies<Byte> CODE_SPECIES = SPECIES.vectorBitSize() >= 256
            ? VectorSpecies.of(byte.class, VectorShape.forBitSize(SPECIES.vectorBitSize() / 4)) : null;

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

    @Override
    public float dotCodes(byte[] codes, int row, float[] q) {
        int dims = q.length;
        int base = row * dims;
        if (CODE_SPECIES == null) {
            return VectorMath.scalarDotCodes(codes, row, q);
        }
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        int step = SPECIES.length();
        int d = 0;
        for (; d + 2 * step <= dims; d += 2 * step) {
            FloatVector r0 = (FloatVector) ByteVector.fromArray(CODE_SPECIES, codes, base + d)
                    .convertShape(VectorOperators.B2F, SPECIES, 0);
            FloatVector r1 = (FloatVector) ByteVector.fromArray(CODE_SPECIES, codes, base + d + step)
                    .convertShape(VectorOperators.B2F, SPECIES, 0);
            acc0 = r0.fma(FloatVector.fromArray(SPECIES, q, d), acc0);
            acc1 = r1.fma(FloatVector.fromArray(SPECIES, q, d + step), acc1);
        }
        for (; d + step <= dims; d += step) {
            FloatVector r0 = (FloatVector) ByteVector.fromArray(CODE_SPECIES, codes, base + d)
                    .convertShape(VectorOperators.B2F, SPECIES, 0);
            acc0 = r0.fma(FloatVector.fromArray(SPECIES, q, d), acc0);
        }
        float s = acc0.add(acc1).reduceLanes(VectorOperators.ADD);
        for (; d < dims; d++) {
            s += codes[base + d] * q[d];
        }
        return s;
    }
}
