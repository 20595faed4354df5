package dev.membrane.physics.health;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthModulationTest {
    private final HealthModulation model = new HealthModulation(new HealthParams(12, 0.5, 0.5, 1.5, 200, 50, 1000));

    @Test
    void priorBeforeWarmUp() {
        HealthState empty = HealthState.empty();
        assertEquals(1.5, model.factor(empty, 0), 1e-12);
        assertEquals(1.0, model.factor(empty, 1), 1e-12);
        assertEquals(0.5, model.factor(empty, 2), 1e-12);
        assertEquals(0.5, model.factor(empty, 40), 1e-12);
        assertEquals(1.0, model.rho(12), 1e-12);
    }

    /** Synthetic engine: crowded frames (high ρ) flip less, spread less and waste more. */
    private HealthState trainOnSyntheticEngine(int samples) {
        Random r = new Random(11);
        HealthState s = HealthState.empty();
        for (int i = 0; i < samples; i++) {
            double rho = 3 * r.nextDouble();
            double quality = Math.max(0, 1 - rho / 3);
            s = model.record(s, rho, quality * 0.05 + 0.01 * r.nextDouble(), quality * 2 + 0.3 * r.nextDouble(),
                    0.5 + 0.5 * quality + 0.1 * r.nextDouble());
        }
        return s;
    }

    @Test
    void afterWarmUpTheFittedFactorFallsAsRhoRises() {
        HealthState before = trainOnSyntheticEngine(199);
        assertFalse(before.trained(), "199 samples: still the prior");
        HealthState s = trainOnSyntheticEngine(600);
        assertTrue(s.trained());
        assertEquals(600, s.count());
        assertEquals(600, s.trainedAt(), "refit every 50 samples: the last fit was at 600");
        double previous = Double.POSITIVE_INFINITY;
        for (double rho = 0; rho <= 3; rho += 0.25) {
            double f = model.factor(s, rho);
            assertTrue(f <= previous + 1e-12, "non-increasing at ρ=" + rho);
            previous = f;
        }
        assertTrue(model.factor(s, 0.1) - model.factor(s, 2.9) > 0.4, "a real slope was learned");
    }

    @Test
    void neverNaNAndAlwaysClampedOutsideTheFittedRange() {
        HealthState s = trainOnSyntheticEngine(300);
        for (double rho : new double[]{-5, 0, 1e-9, 100, 1e12, Double.POSITIVE_INFINITY}) {
            double f = model.factor(s, rho);
            assertFalse(Double.isNaN(f), "ρ=" + rho);
            assertTrue(f >= 0.5 && f <= 1.5, "ρ=" + rho + " f=" + f);
        }
    }

    @Test
    void theRingKeepsOnlyTheWindow() {
        HealthModulation small = new HealthModulation(new HealthParams(12, 0.5, 0.5, 1.5, 5, 5, 10));
        HealthState s = HealthState.empty();
        for (int i = 0; i < 37; i++) {
            s = small.record(s, i, 0, 0, 1);
        }
        assertEquals(10 * HealthState.FIELDS, s.samples().length);
        assertEquals(37, s.count());
    }
}
