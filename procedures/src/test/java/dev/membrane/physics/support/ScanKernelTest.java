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

    /** The int8 kernels agree with the exact sum over the codes, SIMD and scalar, for every shape (tails included). */
    @Test
    void simdAndScalarAgreeOnCodes() {
        DotKernel simd = SimdKernels.load(true);
        Random r = new Random(9);
        for (int dims : new int[]{1, 3, 7, 8, 9, 15, 16, 17, 31, 33, 384, 385, 768, 1536}) {
            int rows = 4;
            byte[] codes = new byte[rows * dims];
            float[] q = new float[dims];
            for (int i = 0; i < codes.length; i++) {
                codes[i] = (byte) (r.nextInt(255) - 127);
            }
            for (int i = 0; i < dims; i++) {
                q[i] = (float) r.nextGaussian();
            }
            for (int row = 0; row < rows; row++) {
                double exact = 0;
                double magnitude = 0;
                for (int d = 0; d < dims; d++) {
                    exact += codes[row * dims + d] * (double) q[d];
                    magnitude += Math.abs(codes[row * dims + d] * (double) q[d]);
                }
                double tolerance = 1e-5 * magnitude + 1e-6;
                assertEquals(exact, simd.dotCodes(codes, row, q), tolerance, "simd, dims " + dims + " row " + row);
                assertEquals(exact, VectorMath.scalarDotCodes(codes, row, q), tolerance, "scalar, dims " + dims + " row " + row);
            }
        }
    }

    /**
     * An encoded row's dot with a unit query is within the quantisation bound of the float dot (each component off by
     * at most half a step), and far tighter in practice; a zero row encodes to zeros with scale 0.
     */
    @Test
    void encodedRowsKeepTheirDotProducts() {
        Random r = new Random(3);
        int dims = 384;
        int rows = 200;
        float[] m = new float[rows * dims];
        for (int i = 0; i < rows; i++) {
            float[] v = new float[dims];
            for (int d = 0; d < dims; d++) {
                v[d] = (float) r.nextGaussian();
            }
            System.arraycopy(VectorMath.unit(v), 0, m, i * dims, dims);
        }
        byte[] codes = new byte[rows * dims];
        float[] q = new float[dims];
        for (int d = 0; d < dims; d++) {
            q[d] = (float) r.nextGaussian();
        }
        q = VectorMath.unit(q);
        double l1 = 0;
        for (float x : q) {
            l1 += Math.abs(x);
        }
        double worst = 0;
        for (int i = 0; i < rows; i++) {
            float scale = RowCodes.encode(m, i, dims, codes, i);
            double exact = VectorMath.scalarDotRow(m, i, q);
            double err = Math.abs(RowCodes.dot(codes, i, scale, q) - exact);
            assertTrue(err <= scale / 2 * l1 + 1e-6, "row " + i + ": " + err + " beyond the bound " + scale / 2 * l1);
            worst = Math.max(worst, err);
        }
        assertTrue(worst < 0.005, "typical error on unit 384-d rows is ~5e-4, worst seen " + worst);
        float[] zero = new float[dims];
        assertEquals(0f, RowCodes.encode(zero, 0, dims, codes, 0));
        assertEquals(0.0, RowCodes.dot(codes, 0, 0f, q));
    }
}
