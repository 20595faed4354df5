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
import dev.membrane.physics.injection.EntropyCoverageSelection;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.injection.LinkOutcome;
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
import java.util.Comparator;
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
        this.injector = new EngineInjector(tx, config, new NodeStates(config, now), writer, buffer);
        this.integrator = config.integrator();
        this.gate = config.sourceGate();
        this.crossing = new MembraneCrossing(tx, config, now, buffer);
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
            r.engines().forEach(m -> engines.add((String) m.get("engine")));
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
        return integrate(e, enginesOf(e.scope()));
    }

    /**
     * Integrates one valid, new envelope into the engines in play: the scope's engines for a client's envelope, the
     * single engine the membrane chose for a mission (SPEC §7.1 step 5).
     */
    private IntegrationResult integrate(Envelope e, List<String> inPlay) {
        Retrieved retrieved;
        try {
            retrieved = retriever.retrieve(tx, inPlay, e);
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
        List<Map<String, Object>> engineRows = new ArrayList<>();
        List<MembraneCrossing.Mission> missions = new ArrayList<>();
        for (Map.Entry<String, Retrieved> en : byEngine.entrySet()) {
            InjectionOutcome o = injector.inject(engine(en.getKey()), en.getKey(), e, en.getValue(), g, arrival.gain(), nodes, true);
            outcomes.add(o);
            engineRows.add(engineRow(en.getKey(), o));
            InjectionEvents.buffer(buffer, en.getKey(), e, o, config.intValue(ConfigKey.AUDIT_ITEMS), now);
            if (o.flips() > 0) {
                missions.addAll(crossing.afterInjection(e, en.getKey(), engine(en.getKey()), o, nodes, arrival.after()));
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
        List<Map<String, Object>> transfers = new ArrayList<>();
        for (MembraneCrossing.Mission m : missions) {
            IntegrationResult r = integrate(m.envelope(), List.of(m.to()));
            Node missionAudit = tx.findNode(GraphModel.STIMULUS, GraphModel.ID, m.envelope().id());
            Node transfer = tx.findNode(GraphModel.TRANSFER, GraphModel.ID, m.transferId());
            if (missionAudit != null) {
                transfer.createRelationshipTo(missionAudit, GraphModel.CARRIED);
            }
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("transferId", m.transferId());
            t.put("direction", m.direction().wire());
            t.put("from", m.from());
            t.put("to", m.to());
            t.put("nodeId", m.flipped().getProperty(GraphModel.ID, null));
            t.put("score", m.score());
            t.put("fit", m.fit());
            t.put("kappa", m.kappa());
            t.put("mission", m.envelope().id());
            t.put("delivered", r.delivered());
            t.put("flips", r.flips());
            t.put("transfers", r.transfers());
            transfers.add(t);
        }
        return new IntegrationResult(e.id(), Status.ACCEPTED.wire(), null, engineRows,
                outcomes.stream().mapToDouble(InjectionOutcome::delivered).sum(),
                outcomes.stream().mapToLong(InjectionOutcome::flips).sum(), transfers);
    }

    /**
     * SPEC §4 step 2: one entropy-coverage selection over the scope's matches; each engine owning selected matches
     * takes part, at most maxEnginesPerStimulus, largest match mass (Σ similarity) first.
     */
    private Map<String, Retrieved> selectEngines(Retrieved scope, boolean targeted) {
        record Scored(String engine, String id, double similarity) {
        }
        List<Scored> all = new ArrayList<>();
        scope.nodes().forEach(m -> all.add(new Scored(m.engineId(), m.nodeId(), m.similarity())));
        scope.links().forEach(l -> all.add(new Scored(l.engineId(), l.linkId(), l.similarity())));
        all.sort(Comparator.comparingDouble(Scored::similarity).reversed().thenComparing(Scored::id));
        int kept = targeted ? all.size()
                : config.selection().cut(all.stream().mapToDouble(Scored::similarity).toArray()).kept();
        Map<String, Double> mass = new HashMap<>();
        Set<String> keptIds = new HashSet<>();
        for (Scored s : all.subList(0, kept)) {
            mass.merge(s.engine(), s.similarity(), Double::sum);
            keptIds.add(s.id());
        }
        List<String> order = new ArrayList<>(mass.keySet());
        order.sort(Comparator.comparing((String en) -> -mass.get(en)).thenComparing(en -> en));
        Map<String, Retrieved> out = new LinkedHashMap<>();
        for (String en : order.subList(0, Math.min(order.size(), config.intValue(ConfigKey.MAX_ENGINES_PER_STIMULUS)))) {
            Retrieved mine = scope.of(en);
            List<Match> n = mine.nodes().stream().filter(m -> keptIds.contains(m.nodeId())).toList();
            List<LinkMatch> l = mine.links().stream().filter(m -> keptIds.contains(m.linkId())).toList();
            out.put(en, new Retrieved(n, l));
        }
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

    private static Map<String, Object> engineRow(String engine, InjectionOutcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("engine", engine);
        m.put("budget", o.budget().toMap());
        m.put("delivered", o.delivered());
        m.put("flips", (long) o.flips());
        m.put("refractoryLoss", o.refractoryLoss());
        m.put("items", o.items().stream().map(ItemOutcome::toMap).toList());
        m.put("links", o.links().stream().map(LinkOutcome::toMap).toList());
        return m;
    }

    private IntegrationResult duplicate(String id, String reason, Node original) {
        List<Map<String, Object>> engines = new ArrayList<>();
        if (original.getProperty(GraphModel.ENGINES, null) instanceof String[] ids) {
            Arrays.stream(ids).forEach(en -> engines.add(Map.of("engine", en)));
        }
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("reason", reason);
        p.put("original", original.getProperty(GraphModel.ID, null));
        buffer.add(new PendingEvent(EventType.STIMULUS_REJECTED, now, null, id, p));
        return new IntegrationResult(id, Status.DUPLICATE.wire(), reason, engines,
                PropertyValues.number(original, GraphModel.DELIVERED, 0),
                PropertyValues.integer(original, GraphModel.STIMULUS_FLIPS, 0), List.of());
    }

    private IntegrationResult rejected(String id, EnvelopeException e) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("id", id);
        p.put("reason", e.reason());
        p.put("message", e.getMessage());
        buffer.add(new PendingEvent(EventType.STIMULUS_REJECTED, now, null, id, p));
        return new IntegrationResult(id, Status.REJECTED.wire(), e.getMessage(), List.of(), 0, 0, List.of());
    }

    private void processed(List<IntegrationResult> results, Set<String> engines, long t0) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("count", (long) results.size());
        p.put("accepted", results.stream().filter(r -> r.status().equals(Status.ACCEPTED.wire())).count());
        p.put("rejected", results.stream().filter(r -> r.status().equals(Status.REJECTED.wire())).count());
        p.put("duplicates", results.stream().filter(r -> r.status().equals(Status.DUPLICATE.wire())).count());
        p.put("engines", (long) engines.size());
        p.put("flips", results.stream().filter(r -> r.status().equals(Status.ACCEPTED.wire())).mapToLong(IntegrationResult::flips).sum());
        p.put("ms", (System.nanoTime() - t0) / 1e6);
        buffer.add(new PendingEvent(EventType.STIMULUS_PROCESSED, now, null, null, p));
    }

    /** The id of an envelope that failed validation, when it has a usable one (for the answer row). */
    private static String idOf(Object raw) {
        return raw instanceof Map<?, ?> m && m.get("id") instanceof String s ? s : null;
    }
}
