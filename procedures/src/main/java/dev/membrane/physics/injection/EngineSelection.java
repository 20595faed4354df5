package dev.membrane.physics.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §4 step 2, engine self-selection: one entropy-coverage selection over the matches of every engine of the
 * envelope's scope; each engine owning selected matches takes part, at most {@code maxEngines}, largest match mass
 * (Σ similarity of its selected matches) first. Targeted envelopes keep every target. Nothing else picks an engine.
 *
 * @param selection  the entropy-coverage cut (SPEC §6.1)
 * @param maxEngines maxEnginesPerStimulus (8)
 */
public record EngineSelection(EntropyCoverageSelection selection, int maxEngines) {

    /** One scope-wide match: a node or link id of {@code engine}. */
    public record Scored(String engine, String id, double similarity) {
    }

    /**
     * @param matches the scope's matches (nearly best first: each retrieval list is)
     * @return engine → positions in {@code matches} of its selected matches, ascending; engines in order of
     * participation. Positions, not ids: the caller keeps its matches without a hash lookup per match.
     */
    public Map<String, int[]> select(List<Scored> matches, boolean targeted) {
        int n = matches.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        // insertion sort, best first (ties by id): near-linear on nearly sorted input, no boxing
        for (int i = 1; i < n; i++) {
            int x = order[i];
            int j = i - 1;
            while (j >= 0 && before(matches.get(x), matches.get(order[j]))) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
        int kept = n;
        if (!targeted) {
            double[] sims = new double[n];
            for (int i = 0; i < n; i++) {
                sims[i] = matches.get(order[i]).similarity();
            }
            kept = selection.cut(sims).kept();
        }
        Map<String, double[]> mass = new HashMap<>();
        Map<String, boolean[]> mine = new HashMap<>();
        for (int r = 0; r < kept; r++) {
            Scored s = matches.get(order[r]);
            mass.computeIfAbsent(s.engine(), k -> new double[1])[0] += s.similarity();
            mine.computeIfAbsent(s.engine(), k -> new boolean[n])[order[r]] = true;
        }
        List<String> engines = new ArrayList<>(mass.keySet());
        engines.sort(Comparator.comparing((String en) -> -mass.get(en)[0]).thenComparing(en -> en));
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String en : engines.subList(0, Math.min(engines.size(), maxEngines))) {
            boolean[] m = mine.get(en);
            int count = 0;
            for (boolean b : m) {
                count += b ? 1 : 0;
            }
            int[] positions = new int[count];
            for (int i = 0, k = 0; i < n; i++) {
                if (m[i]) {
                    positions[k++] = i;
                }
            }
            out.put(en, positions);
        }
        return out;
    }

    private static boolean before(Scored a, Scored b) {
        int c = Double.compare(b.similarity(), a.similarity());
        return c < 0 || c == 0 && a.id().compareTo(b.id()) < 0;
    }
}
