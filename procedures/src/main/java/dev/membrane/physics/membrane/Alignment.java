package dev.membrane.physics.membrane;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §7.1 step 1: what a flipped node is structurally aligned with in one other engine: the best fit, and
 * <em>which</em> of that engine's nodes the alignment edges reach (each with its best fit). A mission is aimed at
 * those nodes, so the membrane never has to guess its target by similarity.
 *
 * @param engine       the other engine's id
 * @param fit          max fit over every edge reaching the engine or one of its nodes
 * @param nodes        aligned node id → its best fit, best first (ties by id)
 * @param engineItself an edge reaches the engine's {@code :Engine} node itself (not one of its nodes)
 */
public record Alignment(String engine, double fit, Map<String, Double> nodes, boolean engineItself) {

    /** The aligned nodes a mission targets, best fit first, at most {@code max}. */
    public List<String> targetNodes(int max) {
        return nodes.keySet().stream().limit(max).toList();
    }

    /**
     * Collects alignment edges into one {@link Alignment} per other engine. An edge to a subentity is added once per
     * member node; an edge to an engine marks {@code engineItself}.
     */
    public static final class Builder {
        private final Map<String, Map<String, Double>> nodes = new LinkedHashMap<>();
        private final Map<String, Double> best = new LinkedHashMap<>();
        private final Map<String, Boolean> engineItself = new LinkedHashMap<>();

        /** @param nodeId {@code null} when the edge reaches the engine itself */
        public Builder add(String engine, String nodeId, double fit) {
            double f = Math.max(0, Math.min(1, fit));
            best.merge(engine, f, Math::max);
            Map<String, Double> mine = nodes.computeIfAbsent(engine, k -> new LinkedHashMap<>());
            if (nodeId == null) {
                engineItself.put(engine, true);
            } else {
                mine.merge(nodeId, f, Math::max);
            }
            return this;
        }

        public Map<String, Alignment> build() {
            Map<String, Alignment> out = new LinkedHashMap<>();
            best.forEach((engine, fit) -> {
                List<Map.Entry<String, Double>> sorted = new ArrayList<>(nodes.get(engine).entrySet());
                sorted.sort(Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
                Map<String, Double> ordered = new LinkedHashMap<>();
                sorted.forEach(e -> ordered.put(e.getKey(), e.getValue()));
                out.put(engine, new Alignment(engine, fit, ordered, engineItself.getOrDefault(engine, false)));
            });
            return out;
        }
    }
}
