package dev.membrane.physics.health;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IsotonicRegressionTest {

    @Test
    void poolsAdjacentViolators() {
        // y rises from x=2 to x=3: those two pool to their mean
        IsotonicRegression.Fit fit = IsotonicRegression.nonIncreasing(new double[]{1, 2, 3, 4}, new double[]{0.9, 0.5, 0.7, 0.1});
        assertArrayEquals(new double[]{1, 2.5, 4}, fit.xs(), 1e-12);
        assertArrayEquals(new double[]{0.9, 0.6, 0.1}, fit.ys(), 1e-12);
    }

    @Test
    void fitIsNonIncreasingOnNoisyData() {
        Random r = new Random(3);
        int n = 500;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 3 * r.nextDouble();
            y[i] = 1 - x[i] / 3 + 0.3 * r.nextGaussian();
        }
        IsotonicRegression.Fit fit = IsotonicRegression.nonIncreasing(x, y);
        for (int i = 1; i < fit.ys().length; i++) {
            assertTrue(fit.ys()[i] <= fit.ys()[i - 1]);
            assertTrue(fit.xs()[i] > fit.xs()[i - 1]);
        }
    }

    @Test
    void evaluationInterpolatesAndClampsOutsideTheFittedRange() {
        IsotonicRegression.Fit fit = new IsotonicRegression.Fit(new double[]{1, 3}, new double[]{0.8, 0.2});
        assertEquals(0.5, IsotonicRegression.evaluate(fit, 2), 1e-12);
        assertEquals(0.8, IsotonicRegression.evaluate(fit, -100), 1e-12);
        assertEquals(0.2, IsotonicRegression.evaluate(fit, 1e9), 1e-12);
        assertEquals(0.2, IsotonicRegression.evaluate(fit, Double.POSITIVE_INFINITY), 1e-12);
    }
}
