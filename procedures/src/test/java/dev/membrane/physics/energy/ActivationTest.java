package dev.membrane.physics.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ActivationTest {
    private final Activation activation = new Activation(0.9);

    @Test
    void aNodeThatNeverFlippedIsActiveExactlyAtOrAboveThreshold() {
        assertTrue(activation.isActive(30, 30, false));
        assertFalse(activation.isActive(29.99, 30, false));
    }

    @Test
    void aFlippedNodeStaysActiveUntilItDecaysBelowTheRatio() {
        HalfLifeDecay decay = new HalfLifeDecay(600_000);
        double afterMillis = decay.decay(30, 0, 5);
        assertTrue(afterMillis < 30, "decay takes a node filled exactly to Θ below Θ at once");
        assertTrue(activation.isActive(afterMillis, 30, true), "hysteresis keeps it active");
        assertTrue(activation.isActive(decay.decay(30, 0, 60_000), 30, true), "one minute later: 28.0 >= 27");
        assertFalse(activation.isActive(decay.decay(30, 0, 120_000), 30, true), "two minutes later: 26.1 < 27");
    }

    @Test
    void ratioOneIsThePlainSpecRule() {
        assertFalse(new Activation(1.0).isActive(29.999, 30, true));
    }
}
