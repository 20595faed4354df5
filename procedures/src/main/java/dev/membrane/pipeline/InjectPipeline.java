package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.CandidateRetriever;
import dev.membrane.graph.read.Match;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.write.InjectionWriter;
import dev.membrane.physics.injection.BudgetFactors;
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

    private InjectPipeline() {
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
        List<Match> matches = new CandidateRetriever(config).retrieve(tx, engineId, stimulus);
        InjectionWriter writer = new InjectionWriter(config.intValue(ConfigKey.AUDIT_ITEMS));
        EngineInjector injector = new EngineInjector(config, new NodeStates(config, now), writer);
        Map<String, Node> nodes = new HashMap<>();
        InjectionOutcome outcome = injector.inject(engine, matches, BudgetFactors.NEUTRAL, nodes);
        Map<String, Boolean> targeted = new HashMap<>();
        matches.forEach(m -> targeted.put(m.nodeId(), m.targeted()));
        writer.writeAudit(tx, stimulus, List.of(engineId), List.of(outcome), nodes, targeted, GraphModel.STATUS_INJECTED);
        InjectionEvents.buffer(runtime.database(db).buffers().of(tx), engineId, stimulus, outcome,
                config.intValue(ConfigKey.AUDIT_ITEMS), now);
        return new Result(stimulus.id(), engineId, outcome);
    }
}
