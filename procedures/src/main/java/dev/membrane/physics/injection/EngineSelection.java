package dev.membrane.physics.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    /** @return engine → ids of its selected matches, engines in order of participation */
    public Map<String, Set<String>> select(List<Scored> matches, boolean targeted) {
        List<Scored> all = new ArrayList<>(matches);
        all.sort(Comparator.comparingDouble(Scored::similarity).reversed().thenComparing(Scored::id));
        int kept = targeted ? all.size() : selection.cut(all.stream().mapToDouble(Scored::similarity).toArray()).kept();
        Map<String, Double> mass = new HashMap<>();
        Map<String, Set<String>> ids = new HashMap<>();
        for (Scored s : all.subList(0, kept)) {
            mass.merge(s.engine(), s.similarity(), Double::sum);
            ids.computeIfAbsent(s.engine(), k -> new LinkedHashSet<>()).add(s.id());
        }
        List<String> order = new ArrayList<>(mass.keySet());
        order.sort(Comparator.comparing((String en) -> -mass.get(en)).thenComparing(en -> en));
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String en : order.subList(0, Math.min(order.size(), maxEngines))) {
            out.put(en, ids.get(en));
        }
        return out;
    }
}
