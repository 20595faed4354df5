package dev.membrane.physics.integrator;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StimulusIntegratorTest {
    private final StimulusIntegrator integrator = new StimulusIntegrator(new IntegratorParams(1.5, 2.0, 1_000, 100, 3, 10));

    @Test
    void aFreshSourceAtFullIntensityHasGainOne() {
        Arrival a = integrator.arrive(SourceState.fresh(0), 1.0, Double.NaN, 0);
        assertEquals(1.0, a.gain(), 1e-12);
        assertEquals(1.0, a.after().mass(), 1e-12);
        assertEquals(1, a.after().count());
    }

    @Test
    void theTenthArrivalWithinASecondGetsUnderTenPercentOfTheFirst() {
        SourceState s = SourceState.fresh(0);
        double first = 0;
        double last = 0;
        for (int i = 0; i < 10; i++) {
            Arrival a = integrator.arrive(s, 1.0, Double.NaN, i * 100L); // ten arrivals within 0.9 s
            if (i == 0) {
                first = a.gain();
            }
            last = a.gain();
            s = a.after();
        }
        assertTrue(last / first < 0.10, "10th/1st = " + last / first);
    }

    @Test
    void aSteadyOneHertzSourceSettlesNearFortyPercent() {
        SourceState s = SourceState.fresh(0);
        double gain = 0;
        for (int i = 0; i < 60; i++) {
            Arrival a = integrator.arrive(s, 1.0, Double.NaN, i * 1_000L);
            gain = a.gain();
            s = a.after();
        }
        assertEquals(0.4, gain, 0.01);
    }

    @Test
    void aClaimedTrustCanOnlyLowerTrust() {
        SourceState learned = new SourceState(0.3, 0.5, 0, 0, 0, 0, new double[0]);
        assertEquals(0.3, integrator.arrive(learned, 1, 1.0, 0).trustUsed(), 1e-12, "claiming 1.0 gets the learned 0.3");
        assertEquals(0.6, integrator.arrive(learned, 1, 1.0, 0).gain(), 1e-12);
        assertEquals(0.1, integrator.arrive(learned, 1, 0.1, 0).trustUsed(), 1e-12);
    }

    @Test
    void gainFollowsTheSpecifiedFormulaAndIsClamped() {
        SourceState s = new SourceState(1.0, 1.0, 0.25, 0, 0, 0, new double[0]);
        // 0.8 · (1/0.5) · (1/0.75) · 0.75 · 1 = 1.6
        assertEquals(1.6, integrator.arrive(s, 0.8, Double.NaN, 0).gain(), 1e-12);
        assertEquals(2.0, integrator.arrive(new SourceState(1.0, 1.0, 0, 0, 0, 0, new double[0]), 1, Double.NaN, 0).gain(), 1e-12,
                "2.67 clamped to gainMax");
    }

    @Test
    void aMassBurstAfterQuietHistoryIsAnAnomaly() {
        SourceState s = SourceState.fresh(0);
        for (int i = 0; i < 20; i++) {
            Arrival a = integrator.arrive(s, 1.0, Double.NaN, i * 10_000L); // one every 10 s: mass ≈ 1 each time
            assertNull(a.anomaly(), "quiet history " + i);
            s = a.after();
        }
        Arrival burst = null;
        long t = 200_000;
        for (int i = 0; i < 5; i++) {
            burst = integrator.arrive(s, 1.0, Double.NaN, t + i);
            s = burst.after();
        }
        assertNotNull(burst.anomaly());
        assertTrue(burst.anomaly().mass() > burst.anomaly().threshold());
        assertEquals(100, integrator.arrive(new SourceState(0.5, 0.5, 0, 0, 0, 0, new double[100]), 1, Double.NaN, 0)
                .after().massHistory().length, "the history is a window");
    }

    @Test
    void outcomesMoveTrustUtilityAndHarmByTheirRates() {
        SourceLearning learning = new SourceLearning(0.1, 0.1, 0.05);
        SourceState s = SourceState.fresh(0);
        SourceState up = learning.learn(s, true, 1.0, 0.0);
        assertEquals(0.55, up.trust(), 1e-12);
        assertEquals(0.55, up.utility(), 1e-12);
        assertEquals(0.0, up.harm(), 1e-12);
        SourceState down = learning.learn(s, false, Double.NaN, 1.0);
        assertEquals(0.45, down.trust(), 1e-12);
        assertEquals(0.5, down.utility(), 1e-12, "no utility reported: unchanged");
        assertEquals(0.05, down.harm(), 1e-12);
    }
}
