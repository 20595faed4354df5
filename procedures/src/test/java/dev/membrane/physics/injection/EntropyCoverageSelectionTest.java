package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static dev.membrane.physics.injection.Fixtures.c;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EntropyCoverageSelectionTest {
    private final EntropyCoverageSelection spec = new EntropyCoverageSelection(0.2, 0.5, 1, 64);

    @Test
    void oneDominantMatchKeepsOne() {
        Selection s = spec.select(List.of(c("a", 0.95, 0), c("b", 0.4, 0), c("c", 0.3, 0), c("d", 0.25, 0)));
        assertEquals(List.of("a"), ids(s.selected()));
        assertEquals(1, s.candidates().size(), "b, c, d fall below relativeFloor · s_max = 0.475 and are noise");
        assertEquals(0.0, s.entropy(), 1e-12);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5, 10, 40})
    void nEqualMatchesKeepNMinusOne(int n) {
        List<Candidate> equal = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            equal.add(c("n" + i, 0.8, 0));
        }
        Selection s = spec.select(equal);
        assertEquals(n - 1, s.selected().size());
        assertEquals(Math.log(n), s.entropy(), 1e-9);
        assertEquals(1 - 1.0 / n, s.coverageTarget(), 1e-9);
    }

    @Test
    void broadStimulusKeepsMoreThanNarrow() {
        Selection narrow = spec.select(List.of(c("a", 0.9, 0), c("b", 0.5, 0), c("c", 0.46, 0)));
        Selection broad = spec.select(List.of(c("a", 0.9, 0), c("b", 0.88, 0), c("c", 0.87, 0), c("d", 0.86, 0)));
        assertTrue(broad.selected().size() > narrow.selected().size());
    }

    /** The injector leaves matches below {@code floor(s_max)} out before reading their states: nothing may change. */
    @Test
    void leavingOutMatchesBelowTheFloorChangesNothing() {
        java.util.Random r = new java.util.Random(7);
        for (int trial = 0; trial < 500; trial++) {
            List<Candidate> all = new ArrayList<>();
            int n = 1 + r.nextInt(64);
            double scale = r.nextDouble();
            for (int i = 0; i < n; i++) {
                // some ties, some exact zeros, most of them noise as in a real engine
                double sim = r.nextInt(10) == 0 ? 0 : Math.round(scale * r.nextDouble() * 100) / 100.0;
                all.add(c("n" + i, sim, r.nextDouble() * 30));
            }
            double floor = spec.floor(all.stream().mapToDouble(Candidate::similarity).max().orElse(0));
            List<Candidate> kept = all.stream().filter(x -> x.similarity() >= floor).toList();
            Selection full = spec.select(all);
            Selection filtered = spec.select(kept);
            assertEquals(full, filtered, "trial " + trial);
            assertTrue(kept.size() <= all.size());
        }
    }

    @Test
    void noiseBelowAbsoluteFloorIsDropped() {
        assertEquals(0, spec.select(List.of(c("a", 0.19, 0), c("b", 0.1, 0))).selected().size());
    }

    @Test
    void kMaxAndKMinBoundTheSelection() {
        List<Candidate> flat = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            flat.add(c(String.format("n%02d", i), 0.7, 0));
        }
        assertEquals(5, new EntropyCoverageSelection(0.2, 0.5, 1, 5).select(flat).selected().size());
        Selection forced = new EntropyCoverageSelection(0.2, 0.5, 3, 64)
                .select(List.of(c("a", 0.95, 0), c("b", 0.6, 0), c("c", 0.5, 0)));
        assertEquals(3, forced.selected().size());
    }

    @Test
    void tiesRankByIdSoRunsAreDeterministic() {
        Selection s1 = spec.select(List.of(c("b", 0.8, 0), c("a", 0.8, 0), c("c", 0.8, 0)));
        Selection s2 = spec.select(List.of(c("c", 0.8, 0), c("b", 0.8, 0), c("a", 0.8, 0)));
        assertEquals(List.of("a", "b"), ids(s1.selected()));
        assertEquals(ids(s1.selected()), ids(s2.selected()));
    }

    @Test
    void targetsAreAllKept() {
        Selection s = EntropyCoverageSelection.targets(List.of(c("a", 1, 0), c("b", 1, 0), c("c", 1, 0)));
        assertEquals(3, s.selected().size());
    }

    private static List<String> ids(List<Candidate> cs) {
        return cs.stream().map(Candidate::nodeId).toList();
    }
}
