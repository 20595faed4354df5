package dev.membrane.physics.gates;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PeripheralAmplificationTest {
    private final PeripheralAmplification pa = new PeripheralAmplification(100, 20, 1.0);

    @Test
    void zeroUntilTheCohortHoldsMinSamples() {
        Cohort c = Cohort.empty(100);
        for (int i = 0; i < 19; i++) {
            c = pa.record(c, 0.1);
        }
        assertEquals(0, pa.alpha(c, 0.99));
    }

    @Test
    void anEchoOfTheContextIsAmplifiedAndOrdinaryStimuliAreNot() {
        Random r = new Random(5);
        Cohort c = Cohort.empty(100);
        for (int i = 0; i < 150; i++) {
            c = pa.record(c, 0.2 + 0.05 * r.nextGaussian());
        }
        assertEquals(100, c.size(), "the cohort is a window");
        assertEquals(1.0, pa.alpha(c, 0.9), 1e-12, "far above the cohort: capped at alphaMax");
        double mild = pa.alpha(c, 0.2 + 0.05 * 0.5);
        assertTrue(mild > 0 && mild < 1, "half a standard deviation above: " + mild);
        assertEquals(0, pa.alpha(c, 0.1), "below the cohort mean: no amplification");
    }

    @Test
    void aConstantCohortOnlyAmplifiesWhatExceedsIt() {
        Cohort c = Cohort.empty(100);
        for (int i = 0; i < 30; i++) {
            c = pa.record(c, 0.3);
        }
        assertEquals(0, pa.alpha(c, 0.3));
        assertEquals(1.0, pa.alpha(c, 0.31));
    }
}
