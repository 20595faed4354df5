package dev.membrane.physics.membrane;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MembranePhysicsTest {
    private final Permeability permeability = new Permeability(0.1, 0.05, 0.95, 0.1);
    private final ExportGates gates = new ExportGates(new GateParams(2, 0.3, 2, 0.05, 10, 3, 1.0, 128, 8, 5, 1_800_000, 0.8, 0.6));

    private double replay(String pattern, int times) {
        double k = 0.5;
        for (int t = 0; t < times; t++) {
            for (char c : pattern.toCharArray()) {
                k = permeability.update(k, c == '+' ? 1 : -1);
            }
        }
        return k;
    }

    @Test
    void kappaConvergesToTheShareOfGoodOutcomesAsSpecified() {
        assertEquals(0.69, replay("+-++-++-++", 2), 0.01, "7 good of 10, twenty outcomes");
        assertEquals(0.11, replay("+---------", 2), 0.01, "1 good of 10, twenty outcomes");
        assertTrue(replay("+", 500) <= 0.95 && replay("-", 500) >= 0.05, "clamped");
        assertEquals(0.1, permeability.effEma(0, 1), 1e-12);
        assertEquals(0.09, permeability.effEma(0.1, -1), 1e-12, "bad outcomes count as 0");
    }

    @Test
    void aFirstMissionThroughAFreshMembraneWithFit095Scores0855() {
        assertEquals(0.855, new TransferScore(1.5).down(0, 0.95, 0, 0.9), 1e-12);
        assertEquals(0.855 / 2.5, new TransferScore(1.5).down(1, 0.95, 0, 0.9), 1e-12, "a flooded membrane delivers less");
    }

    private static Axes good() {
        return new Axes(0.9, 0.9, 0.6, 0.6);
    }

    @Test
    void theGatesFireInOrderWithTheirReasons() {
        List<Export> none = List.of();
        assertEquals("depth", gates.check(Direction.DOWN, 2, good(), 0.5, List.of("h"), 0, false, none, new double[0]).reason());
        assertEquals("pareto_fail", gates.check(Direction.DOWN, 0, new Axes(0.2, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0, false,
                none, new double[0]).reason(), "an axis below the floor");
        double[] calm = {0.1, 0.11, 0.1, 0.09, 0.1, 0.12, 0.1, 0.1};
        assertEquals("mad_fail", gates.check(Direction.DOWN, 0, good(), 0.9, List.of("h"), 0, false, none, calm).reason());
        List<Export> sent = List.of(new Export(0, Direction.UP, "h", "n", 0.9, 0.9, 0.5, 0.5, 0.5));
        assertEquals("ledger_block", gates.check(Direction.DOWN, 0, good(), 0.5, List.of("h"), 1000, true, sent,
                new double[0]).reason(), "the ledger spans both directions");
        assertNull(gates.check(Direction.DOWN, 0, good(), 0.5, List.of("h"), 1_800_001, true, sent, new double[0]).reason(),
                "after the cooldown the same content may cross again");
        assertEquals("hysteresis", gates.check(Direction.DOWN, 0, new Axes(0.7, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0, false,
                none, new double[0]).reason(), "closed gate: needs novelty ≥ 0.8 to open");
        GateResult open = gates.check(Direction.DOWN, 0, new Axes(0.7, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0, true, none, new double[0]);
        assertTrue(open.passed() && open.exportOn(), "an open gate stays open while novelty ≥ 0.6");
    }

    @Test
    void afterBootstrapAnExportMustBeatTheFrontierOnTwoAxes() {
        List<Export> recent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recent.add(new Export(i, Direction.DOWN, "h" + i, "n" + i, 0.85, 0.8, 0.5, 0.5, 0.4));
        }
        assertEquals("pareto_fail", gates.check(Direction.DOWN, 0, new Axes(0.85, 0.8, 0.5, 0.5), 0.4, List.of("x"), 10, true,
                recent, new double[0]).reason(), "no better than the frontier");
        assertNull(gates.check(Direction.DOWN, 0, new Axes(0.95, 0.9, 0.5, 0.5), 0.4, List.of("x"), 10, true, recent,
                new double[0]).reason(), "better on novelty and fit");
        assertEquals("pareto_fail", gates.check(Direction.DOWN, 0, new Axes(0.95, 0.9, 0.4, 0.5), 0.4, List.of("x"), 10, true,
                recent, new double[0]).reason(), "worse by more than 0.05 on utility");
        assertEquals(0, gates.recent(recent, Direction.UP, 10).size(), "the frontier is per direction");
    }
}
