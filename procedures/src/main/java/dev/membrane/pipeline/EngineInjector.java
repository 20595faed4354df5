package dev.membrane.pipeline;

import dev.membrane.config.MembraneConfig;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.cache.HealthModels;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.read.LinkMatch;
import dev.membrane.graph.read.Match;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.read.PeripheralContext;
import dev.membrane.graph.read.Retrieved;
import dev.membrane.graph.read.SubentityChannelsReader;
import dev.membrane.graph.write.SubentityLearning;
import dev.membrane.physics.channels.ChannelPlan;
import dev.membrane.graph.write.ActiveSweep;
import dev.membrane.graph.write.EngineLearningStore;
import dev.membrane.graph.write.InjectionWriter;
import dev.membrane.physics.gates.Cohort;
import dev.membrane.physics.gates.PeripheralAmplification;
import dev.membrane.physics.gates.SourceGate;
import dev.membrane.physics.health.HealthModulation;
import dev.membrane.physics.health.HealthState;
import dev.membrane.physics.injection.BudgetFactors;
import dev.membrane.physics.injection.Candidate;
import dev.membrane.physics.injection.EntropyCoverageSelection;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.Selection;
import dev.membrane.protocol.Envelope;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * SPEC §6 in one engine: lock the engine, make its active count exact, read the budget factors it has learned
 * (health f(ρ), peripheral α), read the matches' states, select, run the physics, write energies and what the
 * engine learned from this injection. Shared by {@code membrane.inject} and, per selected engine,
 * {@code membrane.integrate}.
 * <p>One instance serves one call (one transaction). The first injection into an engine locks it, sweeps its active
 * set and reads its learned state; later injections of the same call continue from that state in memory (within a
 * call the clock does not move, so nothing decays in between), and {@link #flush()} writes it back once — a batch
 * of 500 envelopes rewrites an engine's health ring once, not 500 times.
 */
public final class EngineInjector {

    /** What the call knows of one engine it has touched. */
    private static final class EngineState {
        final Node node;
        long active;
        /** The health model as read at the call's first injection, and as it is now. */
        HealthState healthRead;
        HealthState health;
        Cohort periphery;

        EngineState(Node node) {
            this.node = node;
        }
    }

    private final Map<String, EngineState> touched = new java.util.LinkedHashMap<>();
    /** Each touched engine's peripheral embeddings, read once per call (PeripheralContext). */
    private final Map<String, List<float[]>> peripheralRows = new java.util.HashMap<>();
    private final Transaction tx;
    private final MembraneConfig config;
    private final NodeStates states;
    private final InjectionWriter writer;
    private final TransactionBuffers.Buffer buffer;
    private final HealthModels healthModels;

    public EngineInjector(Transaction tx, MembraneConfig config, NodeStates states, InjectionWriter writer,
                          TransactionBuffers.Buffer buffer, HealthModels healthModels) {
        this.tx = tx;
        this.config = config;
        this.states = states;
        this.writer = writer;
        this.buffer = buffer;
        this.healthModels = healthModels;
    }

    /**
     * @param retrieved  retrieved matches of this engine (nodes all {@code targeted} or none, and links)
     * @param sourceGate g(source) of the stimulus' source
     * @param gain       integrator gain γ (1 for {@code membrane.inject})
     * @param nodes      filled with the matched nodes by id, for the audit
     */
    public InjectionOutcome inject(Node engine, String engineId, Envelope stimulus, Retrieved retrieved, double sourceGate,
                                   double gain, Map<String, Node> nodes) {
        return inject(engine, engineId, stimulus, retrieved, sourceGate, gain, nodes, false);
    }

    /**
     * @param preselected the matches were chosen by a scope-wide selection (SPEC §4): keep them all
     */
    public InjectionOutcome inject(Node engine, String engineId, Envelope stimulus, Retrieved retrieved, double sourceGate,
                                   double gain, Map<String, Node> nodes, boolean preselected) {
        EngineState st = touched.get(engineId);
        if (st == null) {
            tx.acquireWriteLock(engine); // one transaction at a time per engine: activeCount and learned state stay exact
            st = new EngineState(engine);
            st.active = ActiveSweep.sweep(tx, engine, engineId, states, buffer, stimulus.id());
            st.healthRead = EngineLearningStore.readHealth(engine, engineId, healthModels);
            st.health = st.healthRead;
            touched.put(engineId, st);
        }
        HealthModulation health = config.health();
        double rho = health.rho(st.active);
        HealthState healthState = st.health;
        double alpha = peripheralAlpha(st, engineId, stimulus);

        List<Candidate> candidates = new ArrayList<>(retrieved.nodes().size() + retrieved.links().size());
        boolean targeted = retrieved.nodes().stream().anyMatch(Match::targeted);
        EntropyCoverageSelection selector = config.selection();
        // a match below the noise floor is never selected: its node is not looked up nor its state read (most of an
        // engine's 64 retrieved matches, when a stimulus concerns few of its nodes)
        double floor = targeted || preselected ? Double.NEGATIVE_INFINITY : selector.floor(maxSimilarity(retrieved));
        for (Match m : retrieved.nodes()) {
            if (m.similarity() < floor) {
                continue;
            }
            candidates.add(new Candidate(m.nodeId(), m.similarity(), states.read(m.node())));
            nodes.put(m.nodeId(), m.node());
        }
        for (LinkMatch l : retrieved.links()) {
            if (l.similarity() < floor) {
                continue;
            }
            long fwd = PropertyValues.integer(l.relationship(), GraphModel.FWD, 0);
            long bwd = PropertyValues.integer(l.relationship(), GraphModel.BWD, 0);
            candidates.add(Candidate.link(l.linkId(), l.similarity(), new Candidate.Link(l.fromId(), states.read(l.from()),
                    l.toId(), states.read(l.to()), fwd, bwd)));
            nodes.put(l.fromId(), l.from());
            nodes.put(l.toId(), l.to());
        }
        Selection selection = targeted
                ? EntropyCoverageSelection.targets(candidates)
                : preselected ? EntropyCoverageSelection.keepAll(candidates) : selector.select(candidates);
        BudgetFactors factors = new BudgetFactors(health.factor(healthState, rho), sourceGate, 1 + alpha, gain);
        ChannelPlan plan = SubentityChannelsReader.plan(selection.candidates(), nodes, stimulus.embedding());
        double[] weights = config.channels().weights(plan.channels());
        InjectionOutcome outcome = config.injection().inject(selection, factors, plan, weights);
        writer.writeNodes(engine, outcome, nodes, states.now());
        SubentityLearning.record(tx, outcome.channels());

        double overshootShare = outcome.delivered() > 0 ? outcome.overshoot() / outcome.delivered() : 0;
        st.health = health.record(healthState, rho,
                SourceGate.flipYield(outcome.flips(), outcome.budget().value()), selection.entropy(), 1 - overshootShare);
        st.active += outcome.flips();
        return outcome;
    }

    private static double maxSimilarity(Retrieved retrieved) {
        double max = 0;
        for (Match m : retrieved.nodes()) {
            max = Math.max(max, m.similarity());
        }
        for (LinkMatch l : retrieved.links()) {
            max = Math.max(max, l.similarity());
        }
        return max;
    }

    /** Writes what the touched engines learned during this call: active counts, health models, peripheral cohorts. */
    public void flush() {
        for (Map.Entry<String, EngineState> en : touched.entrySet()) {
            EngineState st = en.getValue();
            st.node.setProperty(GraphModel.ACTIVE_COUNT, st.active);
            EngineLearningStore.writeHealth(st.node, st.healthRead, st.health);
            String elementId = st.node.getElementId();
            HealthState written = st.health;
            buffer.afterCommit(() -> healthModels.committed(en.getKey(), elementId, written));
            if (st.periphery != null) {
                EngineLearningStore.writePeriphery(st.node, st.periphery);
            }
        }
    }

    /** α for this stimulus, recording its peripheral similarity in the engine's cohort (always, SPEC §6.6). */
    private double peripheralAlpha(EngineState st, String engineId, Envelope stimulus) {
        if (!stimulus.hasEmbedding()) {
            return 0;
        }
        OptionalDouble x = PeripheralContext.maxSimilarity(
                peripheralRows.computeIfAbsent(engineId, id -> PeripheralContext.rows(tx, id)), stimulus.embedding());
        if (x.isEmpty()) {
            return 0;
        }
        PeripheralAmplification pa = config.peripheral();
        Cohort cohort = st.periphery != null ? st.periphery : EngineLearningStore.readPeriphery(st.node, pa.window());
        double alpha = pa.alpha(cohort, x.getAsDouble());
        st.periphery = pa.record(cohort, x.getAsDouble());
        return alpha;
    }
}
