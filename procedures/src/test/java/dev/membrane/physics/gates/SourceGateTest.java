package dev.membrane.physics.gates;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SourceGateTest {
    private final SourceGate gate = new SourceGate(50, 0.05, 0.5, 1.5);

    @Test
    void oneUntilWarmedUp() {
        assertEquals(1.0, gate.gate(49, 10, 10));
        assertEquals(1.0, gate.gate(500, 0, 0));
    }

    @Test
    void rankedBetweenHalfAndOneAndAHalf() {
        assertEquals(1.5, gate.gate(60, 4, 4), 1e-12, "the best of four");
        assertEquals(0.75, gate.gate(60, 1, 4), 1e-12, "the worst of four");
    }

    @Test
    void emaSeedsWithTheFirstObservationThenMovesByTheRate() {
        assertEquals(0.2, gate.updateEma(0, 0, 0.2), 1e-12);
        assertEquals(0.95 * 0.2 + 0.05 * 1.0, gate.updateEma(0.2, 1, 1.0), 1e-12);
    }

    @Test
    void flipYieldStaysFiniteForZeroBudget() {
        assertEquals(0, SourceGate.flipYield(0, 0));
        assertEquals(2 / (10 + SourceGate.YIELD_EPSILON), SourceGate.flipYield(2, 10), 1e-15);
    }
}
