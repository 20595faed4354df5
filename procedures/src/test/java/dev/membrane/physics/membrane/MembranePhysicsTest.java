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

    private static MembraneMemory exports(List<Export> exports, boolean exportOn) {
        return new MembraneMemory(exports, List.of(), new double[0], new double[0], exportOn, exportOn);
    }

    private static MembraneMemory scores(double[] down) {
        return new MembraneMemory(List.of(), List.of(), down, new double[0], false, false);
    }

    private static MembraneMemory ledger(List<LedgerEntry> ledger, boolean exportOn) {
        return new MembraneMemory(List.of(), ledger, new double[0], new double[0], exportOn, exportOn);
    }

    private static Axes good() {
        return new Axes(0.9, 0.9, 0.6, 0.6);
    }

    @Test
    void theGatesFireInOrderWithTheirReasons() {
        MembraneMemory none = MembraneMemory.EMPTY;
        assertEquals(GateReason.DEPTH, gates.check(Direction.DOWN, 2, good(), 0.5, List.of("h"), 0, none).reason());
        assertEquals(GateReason.PARETO_FAIL, gates.check(Direction.DOWN, 0, new Axes(0.2, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0,
                none).reason(), "an axis below the floor");
        double[] calm = {0.1, 0.11, 0.1, 0.09, 0.1, 0.12, 0.1, 0.1};
        assertEquals(GateReason.MAD_FAIL, gates.check(Direction.DOWN, 0, good(), 0.9, List.of("h"), 0, scores(calm)).reason());
        assertNull(gates.check(Direction.UP, 0, good(), 0.9, List.of("h"), 0, scores(calm)).reason(), "MAD history is per direction");
        MembraneMemory sent = ledger(List.of(new LedgerEntry(0, Direction.UP, "h")), true);
        assertEquals(GateReason.LEDGER_BLOCK, gates.check(Direction.DOWN, 0, good(), 0.5, List.of("h"), 1000, sent).reason(),
                "the ledger spans both directions");
        assertNull(gates.check(Direction.DOWN, 0, good(), 0.5, List.of("h"), 1_800_001, sent).reason(),
                "after the cooldown the same content may cross again");
        assertNull(gates.check(Direction.DOWN, 0, good(), 0.5, List.of("h"), 1000,
                exports(List.of(new Export(0, Direction.UP, "h", "n", 0.9, 0.9, 0.5, 0.5, 0.5)), true)).reason(),
                "the ledger, not the export history, blocks repeats");
        assertEquals(GateReason.HYSTERESIS, gates.check(Direction.DOWN, 0, new Axes(0.7, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0,
                none).reason(), "closed gate: needs novelty ≥ 0.8 to open");
        GateResult open = gates.check(Direction.DOWN, 0, new Axes(0.7, 0.9, 0.6, 0.6), 0.5, List.of("h"), 0, exports(List.of(), true));
        assertTrue(open.passed() && open.exportOn(), "an open gate stays open while novelty ≥ 0.6");
    }

    @Test
    void afterBootstrapAnExportMustBeatTheFrontierOnTwoAxes() {
        List<Export> recent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            recent.add(new Export(i, Direction.DOWN, "h" + i, "n" + i, 0.85, 0.8, 0.5, 0.5, 0.4));
        }
        assertEquals(GateReason.PARETO_FAIL, gates.check(Direction.DOWN, 0, new Axes(0.85, 0.8, 0.5, 0.5), 0.4, List.of("x"), 10,
                exports(recent, true)).reason(), "no better than the frontier");
        assertNull(gates.check(Direction.DOWN, 0, new Axes(0.95, 0.9, 0.5, 0.5), 0.4, List.of("x"), 10,
                exports(recent, true)).reason(), "better on novelty and fit");
        assertEquals(GateReason.PARETO_FAIL, gates.check(Direction.DOWN, 0, new Axes(0.95, 0.9, 0.4, 0.5), 0.4, List.of("x"), 10,
                exports(recent, true)).reason(), "worse by more than 0.05 on utility");
        assertEquals(0, gates.recent(recent, Direction.UP, 10).size(), "the frontier is per direction");
    }

    @Test
    void aMissionCountsFitOnceAsTheSimilarityOfItsTargets() {
        TransferScore t = new TransferScore(1.5);
        double score = t.down(0, 0.7, 0, 0.9);
        assertEquals(0.9, t.missionIntensity(Direction.DOWN, score, 0.7), 1e-12, "sat · (1 − 0.5·harm) · κ↓ without the fit");
        assertEquals(0.36, t.missionIntensity(Direction.DOWN, t.down(1, 0.7, 0, 0.9), 0.7), 1e-12, "a flooded membrane sends weaker missions");
        assertEquals(0.094, t.missionIntensity(Direction.UP, 0.094, 0.8), 1e-12, "upward: the score, which has no fit factor");
        assertEquals(0, t.missionIntensity(Direction.DOWN, 0, 0), 1e-12);
    }

    @Test
    void alignmentKeepsWhichNodesAreAlignedWithTheirBestFit() {
        java.util.Map<String, Alignment> a = new Alignment.Builder()
                .add("felix", "felix:identity", 0.95)
                .add("felix", "felix:deploy", 0.6)
                .add("felix", "felix:identity", 0.5)
                .add("atlas", null, 0.8)
                .build();
        assertEquals(0.95, a.get("felix").fit(), 1e-12);
        assertEquals(List.of("felix:identity", "felix:deploy"), a.get("felix").targetNodes(64), "best fit first, each node once");
        assertEquals(0.95, a.get("felix").nodes().get("felix:identity"), 1e-12, "a node keeps its best fit");
        assertEquals(List.of("felix:identity"), a.get("felix").targetNodes(1));
        assertTrue(a.get("atlas").engineItself() && a.get("atlas").nodes().isEmpty(), "an edge to the engine: retrieval inside it");
    }

    @Test
    void noveltyIsOneMinusTheClosestRecentExport() {
        float[] v = {1, 0};
        List<Export> recent = List.of(new Export(0, Direction.DOWN, "h", "other", 0.9, 0.9, 0.5, 0.5, 0.5));
        assertEquals(1.0, Novelty.of("n", v, List.of(), id -> null), 1e-12, "nothing to compare with");
        assertEquals(1.0, Novelty.of("n", v, recent, id -> new float[]{0, 1}), 1e-6, "orthogonal");
        assertEquals(0.0, Novelty.of("n", v, recent, id -> new float[]{2, 0}), 1e-6, "same direction");
        assertEquals(0.0, Novelty.of("other", null, recent, id -> null), 1e-12, "no embedding: the same node again");
        assertEquals(1.0, Novelty.of("n", null, recent, id -> null), 1e-12);
    }
}
