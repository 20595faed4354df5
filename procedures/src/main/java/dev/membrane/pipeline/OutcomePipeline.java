package dev.membrane.pipeline;

import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.write.DirectionEvidence;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.physics.integrator.SourceState;
import org.neo4j.graphdb.Direction;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code membrane.outcome} (SPEC §8): what a stimulus turned out to be worth teaches its source (trust, utility,
 * harm EMAs, SPEC §5), the subentities it reached (success counter) and the links among the nodes it flipped
 * (direction evidence by flip order). Outcomes of transfers move κ (SPEC §7.3, membrane milestone). An unknown id
 * is answered with an error row; a malformed map is an error naming the field.
 */
public final class OutcomePipeline {
    private static final Set<String> KEYS = Set.of("stimulusId", "transferId", "success", "utility", "harm", "outcome");

    /** The answer row. {@code status} is {@code updated} or {@code error}. */
    public record Result(String id, String kind, String status, String reason, String source, Double trust,
                         Double utility, Double harm) {
    }

    private OutcomePipeline() {
    }

    public static Result run(Transaction tx, MembraneRuntime runtime, Map<String, Object> outcome, Map<String, Object> callConfig) {
        MembraneConfig config = runtime.config(callConfig);
        long now = config.now(runtime.clock());
        if (outcome == null) {
            throw new IllegalArgumentException("outcome: a map is required");
        }
        for (String k : outcome.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IllegalArgumentException("outcome." + k + ": unknown field; known: " + String.join(", ", KEYS.stream().sorted().toList()));
            }
        }
        String stimulusId = string(outcome, "stimulusId");
        String transferId = string(outcome, "transferId");
        if ((stimulusId == null) == (transferId == null)) {
            throw new IllegalArgumentException("outcome.stimulusId: give exactly one of stimulusId and transferId");
        }
        double signed = number(outcome, "outcome", -1, 1);
        Object s = outcome.get("success");
        if (s != null && !(s instanceof Boolean)) {
            throw new IllegalArgumentException("outcome.success: must be a boolean, got " + s);
        }
        if (s == null && Double.isNaN(signed)) {
            throw new IllegalArgumentException("outcome.success: required (or give outcome in [-1, 1])");
        }
        boolean success = s != null ? (Boolean) s : signed > 0;
        double utility = number(outcome, "utility", 0, 1);
        double harm = number(outcome, "harm", 0, 1);

        if (transferId != null) {
            Node t = tx.findNode(GraphModel.TRANSFER, GraphModel.ID, transferId);
            return new Result(transferId, "transfer", "error", t == null ? "unknown transferId '" + transferId + "'"
                    : "transfer outcomes (κ learning) arrive with the membrane milestone", null, null, null, null);
        }
        Node stimulus = tx.findNode(GraphModel.STIMULUS, GraphModel.ID, stimulusId);
        if (stimulus == null) {
            return new Result(stimulusId, "stimulus", "error", "unknown stimulusId '" + stimulusId + "'", null, null, null, null);
        }
        String sourceId = (String) stimulus.getProperty(GraphModel.STIMULUS_SOURCE, null);
        Node source = sourceId == null ? null : tx.findNode(GraphModel.SOURCE, GraphModel.ID, sourceId);
        if (source == null) {
            return new Result(stimulusId, "stimulus", "error", "the stimulus' source '" + sourceId + "' no longer exists",
                    sourceId, null, null, null);
        }
        tx.acquireWriteLock(source);
        SourceState learned = config.sourceLearning().learn(SourceStore.state(source, now), success, utility, harm);
        SourceStore.writeState(source, learned);
        if (success) {
            rewardReached(stimulus, config);
        }
        return new Result(stimulusId, "stimulus", "updated", null, sourceId, learned.trust(), learned.utility(), learned.harm());
    }

    /** Subentities whose members the stimulus reached gain a success; links among its flipped nodes gain evidence. */
    private static void rewardReached(Node stimulus, MembraneConfig config) {
        Set<String> seen = new HashSet<>();
        for (Relationship injected : stimulus.getRelationships(Direction.OUTGOING, GraphModel.INJECTED)) {
            Node n = injected.getEndNode();
            for (Relationship m : n.getRelationships(Direction.OUTGOING, GraphModel.MEMBER_OF)) {
                Node e = m.getEndNode();
                if (e.hasLabel(GraphModel.SUBENTITY) && seen.add(e.getElementId())) {
                    e.setProperty(GraphModel.SUCCESS_FLIPS, PropertyValues.number(e, GraphModel.SUCCESS_FLIPS, 0) + 1);
                }
            }
            DirectionEvidence.addFrom(n, config.longValue(dev.membrane.config.ConfigKey.PRECEDENCE_WINDOW_MS));
        }
    }

    private static String string(Map<String, Object> m, String key) {
        Object v = m.get(key);
        if (v != null && !(v instanceof String)) {
            throw new IllegalArgumentException("outcome." + key + ": must be a string, got " + v);
        }
        return (String) v;
    }

    private static double number(Map<String, Object> m, String key, double min, double max) {
        Object v = m.get(key);
        if (v == null) {
            return Double.NaN;
        }
        if (!(v instanceof Number n) || !Double.isFinite(n.doubleValue()) || n.doubleValue() < min || n.doubleValue() > max) {
            throw new IllegalArgumentException("outcome." + key + ": must be a number in [" + fmt(min) + ", " + fmt(max) + "], got " + v);
        }
        return n.doubleValue();
    }

    private static String fmt(double d) {
        return String.valueOf((long) d);
    }
}
