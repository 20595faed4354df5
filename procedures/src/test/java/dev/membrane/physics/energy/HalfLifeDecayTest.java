package dev.membrane.physics.energy;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HalfLifeDecayTest {
    private final HalfLifeDecay decay = new HalfLifeDecay(600_000);

    @Test
    void halvesEveryHalfLife() {
        assertEquals(40, decay.decay(80, 0, 600_000), 1e-12);
        assertEquals(20, decay.decay(80, 1_000, 1_201_000), 1e-12);
        assertEquals(80 * Math.pow(2, -0.25), decay.decay(80, 0, 150_000), 1e-12);
    }

    @Test
    void aTimestampInTheFutureDoesNotGrowTheValue() {
        assertEquals(80, decay.decay(80, 5_000, 1_000), 0);
    }

    @Test
    void refractoryFactorIsOneAtTheFlipAndFallsBelowFourPercentAfterFiveHalfLives() {
        HalfLifeDecay r = new HalfLifeDecay(2_000);
        assertEquals(1, r.factor(10_000, 10_000), 0);
        assertEquals(1.0 / 32, r.factor(10_000, 20_000), 1e-12);
    }

    @Test
    void rejectsNonPositiveHalfLife() {
        assertThrows(IllegalArgumentException.class, () -> new HalfLifeDecay(0));
    }
}
