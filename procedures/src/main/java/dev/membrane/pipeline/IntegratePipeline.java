package dev.membrane.pipeline;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.events.PendingEvent;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.extension.DatabaseState;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.cache.SourceYields;
import dev.membrane.graph.cache.TransactionStates;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.read.CandidateRetriever;
import dev.membrane.graph.read.LinkMatch;
import dev.membrane.graph.read.Match;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.read.Retrieved;
import dev.membrane.graph.write.InjectionWriter;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.physics.gates.SourceGate;
import dev.membrane.physics.injection.EngineSelection;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.integrator.Arrival;
import dev.membrane.physics.integrator.StimulusIntegrator;
import dev.membrane.protocol.Envelope;
import dev.membrane.protocol.EnvelopeException;
import dev.membrane.protocol.EnvelopeParser;
import dev.membrane.protocol.EventType;
import dev.membrane.protocol.Feature;
import dev.membrane.protocol.Scope;
import dev.membrane.protocol.Status;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code membrane.integrate} (SPEC §4): for each envelope, in input order — validate; drop duplicates (id, then
 * dedupeKey window); retrieve and select once over every engine of the envelope's scope, so the engines whose
 * nodes match select themselves (never by name); apply the source's integrator gain γ and gate g; inject into
 * each selected engine (at most maxEnginesPerStimulus, largest match mass first); write the audit; buffer events.
 * <p>A bad envelope is answered {@code rejected} and writes nothing: every check that can fail on input runs before
 * its first write. Sources of the whole batch are created in one statement; everything else uses the Core API.
 * An unexpected error (not a bad envelope) fails the call, so the caller can split the batch (the bridge does).
 */
public final class IntegratePipeline {
    public static final String DUPLICATE_ID = "duplicate_id";
    public static final String DUPLICATE_KEY = "duplicate_key";
    /** Reason of an accepted envelope that no engine selected. */
    public static final String NO_ENGINE = "no_engine_selected";

    private final Transaction tx;
    private final MembraneConfig config;
    private final long now;
    private final DatabaseState database;
    private final TransactionBuffers.Buffer buffer;
    private final CandidateRetriever retriever;
    private final EngineInjector injector;
    private final InjectionWriter writer;
    private final StimulusIntegrator integrator;
    private final SourceGate gate;
    private final MembraneCrossing crossing;
    private final EngineSelection engineSelection;
    private final Map<Scope, List<String>> scopeEngines = new EnumMap<>(Scope.class);
    private final Map<String, Node> engineNodes = new HashMap<>();
    private Map<String, Node> sources = Map.of();

    private IntegratePipeline(Transaction tx, GraphDatabaseService db, MembraneRuntime runtime, MembraneConfig config) {
        this.tx = tx;
        this.config = config;
        this.now = config.now(runtime.clock());
        this.database = runtime.database(db);
        this.buffer = database.buffers().of(tx);
        boolean cleanAtStart = !TransactionStates.hasChanges(tx);
        this.retriever = new CandidateRetriever(config, database.snapshots(), cleanAtStart, buffer::afterCommit);
        this.writer = new InjectionWriter(config.intValue(ConfigKey.AUDIT_ITEMS));
        this.injector = new EngineInjector(tx, config, new NodeStates(config, now), writer, buffer, database.healthModels());
        this.integrator = config.integrator();
        this.gate = config.sourceGate();
        this.crossing = new MembraneCrossing(tx, config, now, buffer);
        this.engineSelection = new EngineSelection(config.selection(), config.intValue(ConfigKey.MAX_ENGINES_PER_STIMULUS));
    }

    public static List<IntegrationResult> run(Transaction tx, GraphDatabaseService db, MembraneRuntime runtime,
                                              List<?> envelopes, Map<String, Object> callConfig) {
        long t0 = System.nanoTime();
        MembraneConfig config = runtime.config(callConfig);
        int max = config.intValue(ConfigKey.MAX_BATCH);
        if (envelopes == null) {
            throw new IllegalArgumentException("envelopes: a list of maps is required");
        }
        if (envelopes.size() > max) {
            throw new IllegalArgumentException("envelopes: at most " + max + " per call (maxBatch), got " + envelopes.size());
        }
        if (envelopes.isEmpty()) {
            return List.of(); // no rows, no event, no write: the bridge probes the procedure with it
        }
        return new IntegratePipeline(tx, db, runtime, config).integrate(envelopes, t0);
    }

    private List<IntegrationResult> integrate(List<?> raw, long t0) {
        EnvelopeParser parser = new EnvelopeParser(config.envelopeLimits());
        List<Object> parsed = new ArrayList<>(raw.size());
        Set<String> sourceIds = new LinkedHashSet<>();
        for (Object o : raw) {
            try {
                if (!(o instanceof Map<?, ?> m)) {
                    throw EnvelopeException.invalid("envelope", "must be a map, got " + (o == null ? "null" : o.getClass().getSimpleName()));
                }
                @SuppressWarnings("unchecked")
                Envelope e = parser.parse((Map<String, ?>) m, EnvelopeParser.Mode.ENVELOPE, now, () -> "gen-" + UUID.randomUUID());
                parsed.add(e);
                sourceIds.add(e.source());
            } catch (EnvelopeException e) {
                parsed.add(e);
            }
        }
        sources = SourceStore.getOrCreateAll(tx, sourceIds, now);
        Map<Scope, List<Envelope>> byScope = new EnumMap<>(Scope.class);
        parsed.forEach(p -> {
            if (p instanceof Envelope e) {
                byScope.computeIfAbsent(e.scope(), k -> new ArrayList<>()).add(e);
            }
        });
        byScope.forEach((scope, batch) -> retriever.prefetch(tx, enginesOf(scope), batch));
        List<IntegrationResult> out = new ArrayList<>(raw.size());
        Set<String> engines = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            Object p = parsed.get(i);
            IntegrationResult r = p instanceof Envelope e ? one(e) : rejected(idOf(raw.get(i)), (EnvelopeException) p);
            r.engines().forEach(m -> engines.add(m.engine()));
            out.add(r);
        }
        injector.flush();
        processed(out, engines, t0);
        return out;
    }

    private IntegrationResult one(Envelope e) {
        Node existing = tx.findNode(GraphModel.STIMULUS, GraphModel.ID, e.id());
        if (existing != null) {
            return duplicate(e.id(), DUPLICATE_ID, existing);
        }
        Node same = sameKeyInWindow(e);
        if (same != null) {
            return duplicate(e.id(), DUPLICATE_KEY, same);
        }
        return integrate(e, enginesOf(e.scope()), Map.of());
    }

    /**
     * Integrates one valid, new envelope into the engines in play: the scope's engines for a client's envelope, the
     * single engine the membrane chose for a mission (SPEC §7.1 step 5), whose targets match with similarity = fit.
     *
     * @param targetSimilarity similarity of each target node (a mission's aligned nodes → their fit); empty: 1 each
     */
    private IntegrationResult integrate(Envelope e, List<String> inPlay, Map<String, Double> targetSimilarity) {
        Retrieved retrieved;
        try {
            retrieved = retriever.retrieve(tx, inPlay, e, targetSimilarity);
        } catch (EnvelopeException bad) {
            return rejected(e.id(), bad);
        }
        Map<String, Retrieved> byEngine = selectEngines(retrieved, e.hasTargets());

        Node source = sources.computeIfAbsent(e.source(), id -> SourceStore.getOrCreate(tx, id, now));
        Arrival arrival = integrator.arrive(SourceStore.state(source, now), e.features().intensity(),
                e.features().get(Feature.TRUST), now);
        if (arrival.anomaly() != null) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("source", e.source());
            p.put("mass", arrival.anomaly().mass());
            p.put("threshold", arrival.anomaly().threshold());
            p.put("median", arrival.anomaly().median());
            p.put("mad", arrival.anomaly().mad());
            buffer.add(new PendingEvent(EventType.STIMULUS_MASS_ANOMALY, now, null, e.id(), p));
        }
        SourceYields.Entry yield = SourceStore.yield(source);
        SourceYields.Rank rank = database.sourceYields().rank(tx, e.source(), yield, gate.warmup());
        double g = gate.gate(yield.observations(), rank.atOrBelow(), rank.warmedUp());

        Map<String, Node> nodes = new HashMap<>();
        List<InjectionOutcome> outcomes = new ArrayList<>();
        List<EngineResult> engineResults = new ArrayList<>();
        List<TransferResult> transfers = new ArrayList<>();
        for (Map.Entry<String, Retrieved> en : byEngine.entrySet()) {
            InjectionOutcome o = injector.inject(engine(en.getKey()), en.getKey(), e, en.getValue(), g, arrival.gain(), nodes, true);
            outcomes.add(o);
            engineResults.add(new EngineResult(en.getKey(), o));
            InjectionEvents.buffer(buffer, en.getKey(), e, o, config.intValue(ConfigKey.AUDIT_ITEMS), now);
            for (ItemOutcome item : o.items()) {
                if (item.flipped()) {
                    // SPEC §7: each flip's missions run and are settled before the next flip is planned
                    for (MembraneCrossing.Mission m : crossing.plan(e, en.getKey(), engine(en.getKey()), nodes.get(item.nodeId()),
                            item.nodeId(), arrival.after())) {
                        transfers.add(crossing.settle(m, integrate(m.envelope(), List.of(m.to()), m.targets())));
                    }
                }
            }
        }
        SourceStore.writeState(source, arrival.after());
        if (!outcomes.isEmpty()) {
            int flips = outcomes.stream().mapToInt(InjectionOutcome::flips).sum();
            double budget = outcomes.stream().mapToDouble(o -> o.budget().value()).sum();
            SourceYields.Entry learned = new SourceYields.Entry(
                    gate.updateEma(yield.ema(), yield.observations(), SourceGate.flipYield(flips, budget)),
                    yield.observations() + 1);
            SourceStore.writeYield(source, learned);
            buffer.afterCommit(() -> database.sourceYields().update(e.source(), learned));
        }
        Node audit = writer.writeAudit(tx, e, List.copyOf(byEngine.keySet()), outcomes, nodes,
                InjectPipeline.reasons(retrieved), GraphModel.STATUS_ACCEPTED);
        audit.setProperty(GraphModel.GAIN, arrival.gain());
        return new IntegrationResult(e.id(), Status.ACCEPTED, byEngine.isEmpty() ? noEngine(e, inPlay) : null, engineResults,
                outcomes.stream().mapToDouble(InjectionOutcome::delivered).sum(),
                outcomes.stream().mapToLong(InjectionOutcome::flips).sum(), transfers);
    }

    /** Why an accepted envelope reached no engine: recorded, but nothing in the scope took it. */
    private static String noEngine(Envelope e, List<String> inPlay) {
        return inPlay.isEmpty()
                ? NO_ENGINE + ": no (:Engine {scope: '" + e.scope().wire() + "'}) exists (load your engines first, e.g. cypher/demo.cypher)"
                : NO_ENGINE + ": none of the " + inPlay.size() + " engine(s) of scope '" + e.scope().wire()
                + "' holds a node similar enough to it (minSimilarity and relativeFloor decide); it was recorded, nothing was delivered";
    }

    /** SPEC §4 step 2, {@link EngineSelection} over the scope's node and link matches. */
    private Map<String, Retrieved> selectEngines(Retrieved scope, boolean targeted) {
        List<EngineSelection.Scored> all = new ArrayList<>();
        scope.nodes().forEach(m -> all.add(new EngineSelection.Scored(m.engineId(), m.nodeId(), m.similarity())));
        scope.links().forEach(l -> all.add(new EngineSelection.Scored(l.engineId(), l.linkId(), l.similarity())));
        Map<String, Retrieved> out = new LinkedHashMap<>();
        int nodeCount = scope.nodes().size();
        engineSelection.select(all, targeted).forEach((en, kept) -> {
            List<Match> nodes = new ArrayList<>(kept.length);
            List<LinkMatch> links = new ArrayList<>();
            for (int i : kept) { // positions in `all`: the nodes, then the links
                if (i < nodeCount) {
                    nodes.add(scope.nodes().get(i));
                } else {
                    links.add(scope.links().get(i - nodeCount));
                }
            }
            out.put(en, new Retrieved(nodes, links));
        });
        return out;
    }

    private Node sameKeyInWindow(Envelope e) {
        if (e.dedupeKey() == null) {
            return null;
        }
        long window = config.longValue(ConfigKey.DEDUPE_WINDOW_MS);
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.STIMULUS, GraphModel.DEDUPE_KEY, e.dedupeKey())) {
            while (it.hasNext()) {
                Node s = it.next();
                if (e.source().equals(s.getProperty(GraphModel.STIMULUS_SOURCE, null))
                        && Math.abs(PropertyValues.integer(s, GraphModel.TS, Long.MIN_VALUE / 2) - e.tsMillis()) <= window) {
                    return s;
                }
            }
        }
        return null;
    }

    private List<String> enginesOf(Scope scope) {
        return scopeEngines.computeIfAbsent(scope, sc -> {
            List<String> ids = new ArrayList<>();
            try (ResourceIterator<Node> it = tx.findNodes(GraphModel.ENGINE, GraphModel.SCOPE, sc.wire())) {
                it.forEachRemaining(n -> {
                    if (n.getProperty(GraphModel.ID, null) instanceof String id) {
                        ids.add(id);
                        engineNodes.put(id, n);
                    }
                });
            }
            ids.sort(null);
            return List.copyOf(ids);
        });
    }

    private Node engine(String id) {
        return engineNodes.computeIfAbsent(id, k -> tx.findNode(GraphModel.ENGINE, GraphModel.ID, k));
    }

    private IntegrationResult duplicate(String id, String reason, Node original) {
        List<EngineResult> engines = new ArrayList<>();
        if (original.getProperty(GraphModel.ENGINES, null) instanceof String[] ids) {
            Arrays.stream(ids).forEach(en -> engines.add(new EngineResult(en, null)));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("reason", reason);
        p.put("original", original.getProperty(GraphModel.ID, null));
        buffer.add(new PendingEvent(EventType.STIMULUS_REJECTED, now, null, id, p));
        return new IntegrationResult(id, Status.DUPLICATE, reason, engines,
                PropertyValues.number(original, GraphModel.DELIVERED, 0),
                PropertyValues.integer(original, GraphModel.STIMULUS_FLIPS, 0), List.of());
    }

    private IntegrationResult rejected(String id, EnvelopeException e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("reason", e.reason());
        p.put("message", e.getMessage());
        buffer.add(new PendingEvent(EventType.STIMULUS_REJECTED, now, null, id, p));
        return new IntegrationResult(id, Status.REJECTED, e.getMessage(), List.of(), 0, 0, List.of());
    }

    private void processed(List<IntegrationResult> results, Set<String> engines, long t0) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", (long) results.size());
        p.put("accepted", results.stream().filter(r -> r.status() == Status.ACCEPTED).count());
        p.put("rejected", results.stream().filter(r -> r.status() == Status.REJECTED).count());
        p.put("duplicates", results.stream().filter(r -> r.status() == Status.DUPLICATE).count());
        p.put("engines", (long) engines.size());
        p.put("flips", results.stream().filter(r -> r.status() == Status.ACCEPTED).mapToLong(IntegrationResult::flips).sum());
        p.put("ms", (System.nanoTime() - t0) / 1e6);
        buffer.add(new PendingEvent(EventType.STIMULUS_PROCESSED, now, null, null, p));
    }

    /** The id of an envelope that failed validation, when it has a usable one (for the answer row). */
    private static String idOf(Object raw) {
        return raw instanceof Map<?, ?> m && m.get("id") instanceof String s ? s : null;
    }
}
