package dev.membrane.pipeline;

import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.write.DirectionEvidence;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.physics.integrator.SourceState;
import dev.membrane.config.ConfigKey;
import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.write.MembraneStore;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Permeability;
import dev.membrane.protocol.EventType;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Relationship;
import org.neo4j.graphdb.Transaction;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code membrane.outcome} (SPEC §8): what a stimulus turned out to be worth teaches its source (trust, utility,
 * harm EMAs, SPEC §5), the subentities it reached (success counter) and the links among the nodes it flipped
 * (direction evidence by flip order). The outcome of a transfer moves the permeability κ of the membrane it crossed,
 * for the direction it used (SPEC §7.3). An unknown id is answered with an error row; a malformed map is an error
 * naming the field.
 */
public final class OutcomePipeline {
    private static final Set<String> KEYS = Set.of("stimulusId", "transferId", "success", "utility", "harm", "outcome");

    /** The answer row. {@code status} is {@code updated} or {@code error}. */
    public record Result(String id, String kind, String status, String reason, String source, Double trust,
                         Double utility, Double harm) {
    }

    private OutcomePipeline() {
    }

    public static Result run(Transaction tx, GraphDatabaseService db, MembraneRuntime runtime, Map<String, Object> outcome,
                             Map<String, Object> callConfig) {
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
            return transfer(tx, runtime.database(db).buffers().of(tx), config, now, transferId,
                    Double.isNaN(signed) ? (success ? 1 : -1) : signed);
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

    /**
     * SPEC §7.3: only outcomes move κ, for the direction the transfer used; effEma follows the good outcomes;
     * {@code membrane.permeability.updated}.
     */
    private static Result transfer(Transaction tx, TransactionBuffers.Buffer buffer, MembraneConfig config, long now,
                                   String transferId, double o) {
        Node t = tx.findNode(GraphModel.TRANSFER, GraphModel.ID, transferId);
        if (t == null) {
            return new Result(transferId, "transfer", "error", "unknown transferId '" + transferId + "'", null, null, null, null);
        }
        Relationship m = membraneOf(t);
        if (m == null) {
            return new Result(transferId, "transfer", "error", "the membrane of transfer '" + transferId + "' no longer exists",
                    null, null, null, null);
        }
        tx.acquireWriteLock(m);
        Direction d = Direction.DOWN.wire().equals(t.getProperty(GraphModel.DIRECTION, null)) ? Direction.DOWN : Direction.UP;
        Permeability learning = config.permeability();
        double old = MembraneStore.kappa(m, d, d == Direction.DOWN ? config.doubleValue(ConfigKey.KAPPA_DOWN_DEFAULT)
                : config.doubleValue(ConfigKey.KAPPA_UP_DEFAULT));
        double kappa = learning.update(old, o);
        double effEma = learning.effEma(PropertyValues.number(m, GraphModel.EFF_EMA, 0), o);
        MembraneStore.setKappa(m, d, kappa);
        m.setProperty(GraphModel.EFF_EMA, effEma);
        t.setProperty(GraphModel.OUTCOMES, PropertyValues.integer(t, GraphModel.OUTCOMES, 0) + 1);
        Map<String, Object> p = new java.util.LinkedHashMap<>();
        p.put("membrane", MembraneStore.name(m));
        p.put("direction", d.wire());
        p.put("old", old);
        p.put("new", kappa);
        p.put("outcome", o);
        p.put("effEma", effEma);
        buffer.add(new PendingEvent(EventType.MEMBRANE_PERMEABILITY_UPDATED, now, (String) t.getProperty(GraphModel.TARGET, null),
                null, p));
        return new Result(transferId, "transfer", "updated", null, MembraneStore.name(m), kappa, null, null);
    }

    /** The MEMBRANE_TO between the transfer's source node's engine and its target engine, in either orientation. */
    private static Relationship membraneOf(Node transfer) {
        Relationship from = transfer.getSingleRelationship(GraphModel.FROM, org.neo4j.graphdb.Direction.OUTGOING);
        Relationship to = transfer.getSingleRelationship(GraphModel.TO, org.neo4j.graphdb.Direction.OUTGOING);
        if (from == null || to == null) {
            return null;
        }
        Object sourceEngine = from.getEndNode().getProperty(GraphModel.ENGINE_ID, null);
        Node target = to.getEndNode();
        for (Relationship m : target.getRelationships(org.neo4j.graphdb.Direction.BOTH, GraphModel.MEMBRANE_TO)) {
            if (m.getOtherNode(target).getProperty(GraphModel.ID, "").equals(sourceEngine)) {
                return m;
            }
        }
        return null;
    }

    /** Subentities whose members the stimulus reached gain a success; links among its flipped nodes gain evidence. */
    private static void rewardReached(Node stimulus, MembraneConfig config) {
        Set<String> seen = new HashSet<>();
        for (Relationship injected : stimulus.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.INJECTED)) {
            Node n = injected.getEndNode();
            for (Relationship m : n.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.MEMBER_OF)) {
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
