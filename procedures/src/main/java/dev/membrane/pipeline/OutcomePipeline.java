package dev.membrane.pipeline;

import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.write.DirectionEvidence;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.graph.write.SubentityLearning;
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
import java.util.regex.Pattern;

/**
 * {@code membrane.outcome} (SPEC §8): what a stimulus turned out to be worth teaches its source (trust, utility,
 * harm EMAs, SPEC §5), the subentities it reached (success counter) and the links among the nodes it flipped
 * (direction evidence by flip order). The outcome of a transfer moves the permeability κ of the membrane it crossed,
 * for the direction it used (SPEC §7.3). An unknown id is answered with an error row; a malformed map is an error
 * naming the field.
 */
public final class OutcomePipeline {
    private static final Set<String> KEYS = Set.of("stimulusId", "transferId", "outcomeId", "success", "utility", "harm", "outcome");
    private static final Pattern OUTCOME_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    public static final String UPDATED = "updated";
    public static final String DUPLICATE = "duplicate";
    public static final String ERROR = "error";

    /**
     * The answer row. {@code status} is {@code updated}, {@code duplicate} (this outcomeId was applied before; nothing
     * changed) or {@code error} (see reason). {@code source..harm}: the source that learned (for a transfer, the source
     * whose stimulus caused the flip); {@code membrane, kappa}: for a transfer, the membrane and its κ of the direction
     * used.
     */
    public record Result(String id, String kind, String status, String reason, String source, Double trust,
                         Double utility, Double harm, String membrane, Double kappa) {
        static Result error(String id, String kind, String reason) {
            return new Result(id, kind, ERROR, reason, null, null, null, null, null, null);
        }
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
        String outcomeId = string(outcome, "outcomeId");
        if (outcomeId != null && !OUTCOME_ID.matcher(outcomeId).matches()) {
            throw new IllegalArgumentException("outcome.outcomeId: must be 1-128 characters of [A-Za-z0-9._:-], got '" + outcomeId + "'");
        }
        String id = transferId != null ? transferId : stimulusId;
        String kind = transferId != null ? "transfer" : "stimulus";
        if (outcomeId != null && tx.findNode(GraphModel.OUTCOME, GraphModel.ID, outcomeId) != null) {
            return new Result(id, kind, DUPLICATE, "outcomeId '" + outcomeId + "' was applied before; nothing changed",
                    null, null, null, null, null, null);
        }
        Result r = transferId != null
                ? transfer(tx, runtime.database(db).buffers().of(tx), config, now, transferId, Double.isNaN(signed) ? (success ? 1 : -1) : signed)
                : stimulus(tx, config, now, stimulusId, success, utility, harm);
        if (outcomeId != null && r.status().equals(UPDATED)) {
            Node o = tx.createNode(GraphModel.OUTCOME);
            o.setProperty(GraphModel.ID, outcomeId);
            o.setProperty(GraphModel.TS, now);
            o.setProperty(GraphModel.OUTCOME_TARGET, id);
        }
        return r;
    }

    private static Result stimulus(Transaction tx, MembraneConfig config, long now, String stimulusId, boolean success,
                                   double utility, double harm) {
        Node stimulus = tx.findNode(GraphModel.STIMULUS, GraphModel.ID, stimulusId);
        if (stimulus == null) {
            return Result.error(stimulusId, "stimulus", "unknown stimulusId '" + stimulusId + "'");
        }
        String sourceId = (String) stimulus.getProperty(GraphModel.STIMULUS_SOURCE, null);
        Node source = sourceId == null ? null : tx.findNode(GraphModel.SOURCE, GraphModel.ID, sourceId);
        if (source == null) {
            return Result.error(stimulusId, "stimulus", "the stimulus' source '" + sourceId + "' no longer exists");
        }
        tx.acquireWriteLock(source);
        SourceState learned = config.sourceLearning().learn(SourceStore.state(source, now), success, utility, harm);
        SourceStore.writeState(source, learned);
        if (success) {
            rewardReached(tx, stimulus, config);
        }
        return new Result(stimulusId, "stimulus", UPDATED, null, sourceId, learned.trust(), learned.utility(), learned.harm(),
                null, null);
    }

    /**
     * SPEC §7.3: only outcomes move κ, for the direction the transfer used; effEma follows the good outcomes;
     * {@code membrane.permeability.updated}. SPEC §8: the source whose stimulus caused the flip learns utility and harm
     * from the mission's outcome. An absorbed transfer (its mission delivered nothing) teaches nothing.
     */
    private static Result transfer(Transaction tx, TransactionBuffers.Buffer buffer, MembraneConfig config, long now,
                                   String transferId, double o) {
        Node t = tx.findNode(GraphModel.TRANSFER, GraphModel.ID, transferId);
        if (t == null) {
            return Result.error(transferId, "transfer", "unknown transferId '" + transferId + "'");
        }
        if (GraphModel.TRANSFER_ABSORBED.equals(t.getProperty(GraphModel.STATUS, null))) {
            return Result.error(transferId, "transfer", "transfer '" + transferId + "' was absorbed: its mission delivered "
                    + "nothing, so there is no outcome to learn from (κ and sources unchanged)");
        }
        Relationship m = membraneOf(t);
        if (m == null) {
            return Result.error(transferId, "transfer", "the membrane of transfer '" + transferId + "' no longer exists");
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
        String sourceId = (String) t.getProperty(GraphModel.CAUSE_SOURCE, null);
        Node source = sourceId == null ? null : tx.findNode(GraphModel.SOURCE, GraphModel.ID, sourceId);
        if (source == null) {
            return new Result(transferId, "transfer", UPDATED, null, sourceId, null, null, null, MembraneStore.name(m), kappa);
        }
        tx.acquireWriteLock(source);
        SourceState learned = config.sourceLearning().learnFromMission(SourceStore.state(source, now), o);
        SourceStore.writeState(source, learned);
        return new Result(transferId, "transfer", UPDATED, null, sourceId, learned.trust(), learned.utility(), learned.harm(),
                MembraneStore.name(m), kappa);
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
    private static void rewardReached(Transaction tx, Node stimulus, MembraneConfig config) {
        Set<Node> reached = new HashSet<>();
        for (Relationship injected : stimulus.getRelationships(org.neo4j.graphdb.Direction.OUTGOING, GraphModel.INJECTED)) {
            Node n = injected.getEndNode();
            reached.add(n);
            DirectionEvidence.addFrom(n, config.longValue(ConfigKey.PRECEDENCE_WINDOW_MS));
        }
        SubentityLearning.rewardOutcome(reached);
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
