package dev.membrane.physics.support;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SIMD and scalar scan kernels agree to float rounding, for every dimension count (tails included). */
class ScanKernelTest {
    @Test
    void theTestsRunWithTheVectorModuleSoTheSimdKernelIsTheOneInUse() {
        assertTrue(VectorMath.SIMD, "surefire's argLine adds jdk.incubator.vector");
        assertTrue(VectorMath.kernel().startsWith("simd-"), VectorMath.kernel());
    }

    @Test
    void theSimdKernelIsDefinedFromItsResourceOnlyWhenTheModuleIsThere() {
        assertTrue(SimdKernels.load(true) != null, "SimdDot.bin defines on a JVM with jdk.incubator.vector");
        assertTrue(SimdKernels.load(false) == null, "never without the module");
    }

    @Test
    void simdAndScalarAgreeForAllShapes() {
        DotKernel simd = SimdKernels.load(true);
        Random r = new Random(7);
        for (int dims : new int[]{1, 3, 7, 8, 9, 15, 16, 17, 31, 384, 385, 768, 1536}) {
            int rows = 5;
            float[] m = new float[rows * dims];
            float[] q = new float[dims];
            for (int i = 0; i < m.length; i++) {
                m[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < dims; i++) {
                q[i] = (float) r.nextGaussian();
            }
            for (int row = 0; row < rows; row++) {
                double exact = 0;
                double magnitude = 0;
                for (int d = 0; d < dims; d++) {
                    exact += (double) m[row * dims + d] * q[d];
                    magnitude += Math.abs((double) m[row * dims + d] * q[d]);
                }
                double tolerance = 1e-5 * magnitude + 1e-6;
                assertEquals(exact, simd.dotRow(m, row, q), tolerance, "simd, dims " + dims + " row " + row);
                assertEquals(exact, VectorMath.scalarDotRow(m, row, q), tolerance, "scalar, dims " + dims + " row " + row);
            }
        }
    }
}
