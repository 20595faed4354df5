package dev.membrane.physics.injection;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

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
        Map<String, Set<String>> out = selection.select(matches, false);
        assertEquals(List.of("felix", "ada"), List.copyOf(out.keySet()), "felix's two matches outweigh ada's one; at most 2 engines");
        assertEquals(Set.of("felix-1", "felix-2"), out.get("felix"));
    }

    @Test
    void belowTheFloorNothingSelectsAnEngineButTargetsAlwaysDo() {
        List<EngineSelection.Scored> weak = List.of(new EngineSelection.Scored("iris", "iris-1", 0.1));
        assertEquals(Map.of(), selection.select(weak, false), "a match below minSimilarity selects no engine");
        assertEquals(Set.of("iris"), selection.select(weak, true).keySet(), "targets bypass the cut");
    }
}
