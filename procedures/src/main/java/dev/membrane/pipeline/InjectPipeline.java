package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.CandidateRetriever;
import dev.membrane.graph.cache.TransactionStates;
import dev.membrane.graph.read.Retrieved;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.write.InjectionWriter;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.extension.DatabaseState;
import dev.membrane.graph.cache.SourceYields;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.physics.gates.SourceGate;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EnvelopeException;
import dev.membrane.protocol.EnvelopeParser;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code membrane.inject}: SPEC §6 alone for one named engine (no integrator, no membrane), in the fixed order
 * parse config → validate → read → physics → write → buffer events → result. Everything is validated before the first write, so
 * a bad call changes nothing.
 */
public final class InjectPipeline {

    /** The result of one injection, for the procedure to render. */
    public record Result(String stimulusId, String engine, InjectionOutcome outcome) {
    }

    /** {@code membrane.inject} bypasses the integrator (SPEC §10): γ = 1. */
    private static final double NO_INTEGRATOR_GAIN = 1.0;

    private InjectPipeline() {
    }

    /** Why each node was reached (SPEC §0.3): named target, its own similarity, or through a matched link. */
    static Map<String, String> reasons(Retrieved retrieved) {
        Map<String, String> reasons = new HashMap<>();
        retrieved.links().forEach(l -> {
            reasons.put(l.fromId(), GraphModel.REASON_LINK);
            reasons.put(l.toId(), GraphModel.REASON_LINK);
        });
        retrieved.nodes().forEach(m -> reasons.put(m.nodeId(), m.targeted() ? GraphModel.REASON_TARGET : GraphModel.REASON_SIMILARITY));
        return reasons;
    }

    public static Result run(Transaction tx, GraphDatabaseService db, MembraneRuntime runtime, String engineId,
                             Map<String, Object> stimulusMap, Map<String, Object> callConfig) {
        MembraneConfig config = runtime.config(callConfig);
        long now = config.now(runtime.clock());
        Envelope stimulus = new EnvelopeParser(config.envelopeLimits())
                .parse(stimulusMap, EnvelopeParser.Mode.STIMULUS, now, () -> "inject-" + UUID.randomUUID());
        if (engineId == null || engineId.isBlank()) {
            throw new IllegalArgumentException("engine: an Engine id is required");
        }
        Node engine = tx.findNode(GraphModel.ENGINE, GraphModel.ID, engineId);
        if (engine == null) {
            throw new IllegalArgumentException("engine: no (:Engine {id: '" + engineId + "'}) exists");
        }
        if (tx.findNode(GraphModel.STIMULUS, GraphModel.ID, stimulus.id()) != null) {
            throw EnvelopeException.invalid("id", "a Stimulus with id '" + stimulus.id()
                    + "' was already injected (ids are idempotency keys); use a new id");
        }
        DatabaseState database = runtime.database(db);
        TransactionBuffers.Buffer buffer = database.buffers().of(tx);
        boolean cleanAtStart = !TransactionStates.hasChanges(tx);
        Retrieved retrieved = new CandidateRetriever(config, database.snapshots(), cleanAtStart, buffer::afterCommit)
                .retrieve(tx, engineId, stimulus);
        InjectionWriter writer = new InjectionWriter(config.intValue(ConfigKey.AUDIT_ITEMS));
        EngineInjector injector = new EngineInjector(tx, config, new NodeStates(config, now), writer, buffer,
                database.healthModels());

        // SPEC §6.6 source gate: rank the source's flip yield, inject, then learn from this injection's yield.
        SourceGate gate = config.sourceGate();
        Node source = SourceStore.getOrCreate(tx, stimulus.source(), now);
        SourceYields.Entry yield = SourceStore.yield(source);
        SourceYields.Rank rank = database.sourceYields().rank(tx, stimulus.source(), yield, gate.warmup());
        double g = gate.gate(yield.observations(), rank.atOrBelow(), rank.warmedUp());

        Map<String, Node> nodes = new HashMap<>();
        InjectionOutcome outcome = injector.inject(engine, engineId, stimulus, retrieved, g, NO_INTEGRATOR_GAIN, nodes);
        injector.flush();
        SourceYields.Entry learned = new SourceYields.Entry(
                gate.updateEma(yield.ema(), yield.observations(), SourceGate.flipYield(outcome.flips(), outcome.budget().value())),
                yield.observations() + 1);
        SourceStore.writeYield(source, learned);
        buffer.afterCommit(() -> database.sourceYields().update(stimulus.source(), learned));
        writer.writeAudit(tx, stimulus, List.of(engineId), List.of(outcome), nodes, reasons(retrieved), GraphModel.STATUS_INJECTED);
        InjectionEvents.buffer(buffer, engineId, stimulus, outcome,
                config.intValue(ConfigKey.AUDIT_ITEMS), now);
        return new Result(stimulus.id(), engineId, outcome);
    }
}
