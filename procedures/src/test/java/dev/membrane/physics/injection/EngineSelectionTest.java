package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class EngineSelectionTest {
    private final EngineSelection selection = new EngineSelection(new EntropyCoverageSelection(0.2, 0.5, 1, 64), 2);

    @Test
    void enginesTakePartByTheMassOfTheirSelectedMatches() {
        List<EngineSelection.Scored> matches = List.of(
                new EngineSelection.Scored("ada", "ada-1", 0.9),
                new EngineSelection.Scored("felix", "felix-1", 0.85),
                new EngineSelection.Scored("felix", "felix-2", 0.84),
                new EngineSelection.Scored("atlas", "atlas-1", 0.83),
                new EngineSelection.Scored("iris", "iris-1", 0.1));
        Map<String, int[]> out = selection.select(matches, false);
        assertEquals(List.of("felix", "ada"), List.copyOf(out.keySet()), "felix's two matches outweigh ada's one; at most 2 engines");
        assertArrayEquals(new int[]{1, 2}, out.get("felix"), "felix's matches, by their positions");
        assertArrayEquals(new int[]{0}, out.get("ada"));
    }

    @Test
    void belowTheFloorNothingSelectsAnEngineButTargetsAlwaysDo() {
        List<EngineSelection.Scored> weak = List.of(new EngineSelection.Scored("iris", "iris-1", 0.1));
        assertEquals(Map.of(), selection.select(weak, false), "a match below minSimilarity selects no engine");
        assertEquals(Set.of("iris"), selection.select(weak, true).keySet(), "targets bypass the cut");
    }

    /** The order of the input does not matter: out-of-order matches are sorted best first (ties by id) before the cut. */
    @Test
    void theCutIsTakenOverTheMatchesSortedBestFirst() {
        java.util.Random r = new java.util.Random(3);
        List<EngineSelection.Scored> sorted = new java.util.ArrayList<>();
        for (int i = 0; i < 64; i++) {
            sorted.add(new EngineSelection.Scored("e" + (i % 5), String.format("n%02d", i), 0.9 - i * 0.01 + (i % 7 == 0 ? 0.005 : 0)));
        }
        sorted.add(new EngineSelection.Scored("e9", "tie-b", 0.5));
        sorted.add(new EngineSelection.Scored("e9", "tie-a", 0.5));
        List<EngineSelection.Scored> shuffled = new java.util.ArrayList<>(sorted);
        java.util.Collections.shuffle(shuffled, r);
        EngineSelection wide = new EngineSelection(new EntropyCoverageSelection(0.2, 0.5, 1, 64), 10);
        Map<String, int[]> a = wide.select(sorted, false);
        Map<String, int[]> b = wide.select(shuffled, false);
        assertEquals(a.keySet(), b.keySet());
        for (String en : a.keySet()) {
            Set<String> ida = new java.util.TreeSet<>();
            Set<String> idb = new java.util.TreeSet<>();
            for (int i : a.get(en)) {
                ida.add(sorted.get(i).id());
            }
            for (int i : b.get(en)) {
                idb.add(shuffled.get(i).id());
            }
            assertEquals(ida, idb, en);
        }
    }
}
