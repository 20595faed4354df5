package dev.membrane.bench;

import dev.membrane.procedures.MembraneProcedures;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Result;
import org.neo4j.graphdb.Transaction;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * SPEC §13.6 quality benchmark (a main, not a test): the same stream of stimuli through {@code membrane.inject},
 * once per distribution policy, from the same starting graph, all gates on (health, source gate, peripheral,
 * channels). Reports flip yield (flips per unit of budget), overshoot waste (energy delivered above Θ, as a share
 * of what was delivered) and the entropy of where the energy went.
 * <p>Two regimes, each on its own {@code ENGINES × NODES_PER_ENGINE} nodes with clustered embeddings
 * ({@code TOPICS_PER_ENGINE} topic centres per engine), a few peripheral nodes and two subentities per engine:
 * <ul>
 *   <li>{@code broad}: nodes tight around their topic centre, stimuli = a topic centre + noise (each stimulus
 *   matches ~50 near-identical nodes equally);</li>
 *   <li>{@code specific}: nodes spread around their centre, stimuli = one node's embedding + noise (a stimulus is
 *   about one thing, its topic neighbours match less).</li>
 * </ul>
 * Run:
 * {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl procedures test-compile exec:java@quality-bench}
 */
public final class InjectionQualityBench {
    static final int DIMS = 384;
    static final int ENGINES = 20;
    static final int NODES_PER_ENGINE = 500;
    static final int TOPICS_PER_ENGINE = 10;
    static final int STIMULI = 1_500;
    static final long STEP_MS = 2_000;
    static final long START = 1_900_000_000_000L;
    static final String[] SOURCES = {"tool:precise", "tool:good", "tool:fair", "tool:vague", "tool:noise"};
    static final double[] SOURCE_NOISE = {0.3, 0.6, 0.9, 1.4, 3.0};

    public static void main(String[] args) {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 20261122L;
        Neo4jBuilder b = dev.membrane.testing.QuietHarness.builder();
        for (Class<?> p : MembraneProcedures.CLASSES) {
            b = b.withProcedure(p);
        }
        try (Neo4j neo4j = b.build()) {
            GraphDatabaseService db = neo4j.defaultDatabaseService();
            run(db, "CALL membrane.setup()");
            System.out.printf(Locale.ROOT, "seed %d; per regime %d engines × %d nodes, %d dims; %d stimuli %d ms apart "
                    + "from %d sources of decreasing precision%n", seed, ENGINES, NODES_PER_ENGINE, DIMS, STIMULI, STEP_MS,
                    SOURCES.length);
            for (Regime regime : Regime.values()) {
                Random r = new Random(seed + regime.ordinal());
                float[][] topics = new float[ENGINES * TOPICS_PER_ENGINE][];
                for (int t = 0; t < topics.length; t++) {
                    topics[t] = unit(gaussian(r, DIMS, 1.0));
                }
                long t0 = System.nanoTime();
                float[][] nodes = load(db, regime, topics, r);
                List<Map<String, Object>> stream = stimuli(regime, topics, nodes, new Random(seed + 10 + regime.ordinal()));
                System.out.printf(Locale.ROOT, "%n### regime %s (graph loaded in %.1f s)%n%n", regime.name().toLowerCase(Locale.ROOT),
                        (System.nanoTime() - t0) / 1e9);
                System.out.println("| policy | budget | delivered | flips | flips per 100 budget | overshoot share | delivery entropy (nats) | right / wrong flips | flips by noise source | ms/stimulus |");
                System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
                for (String variant : List.of("gap_capped/proportional", "gap_capped/priority", "uniform_topk", "dual_channel")) {
                    reset(db);
                    Totals totals = replay(db, stream, variant);
                    System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %d | %.2f | %.3f | %.2f | %d / %d | %d | %.2f |%n", variant,
                            totals.budget, totals.delivered, totals.flips, 100 * totals.flips / totals.budget,
                            totals.overshoot / Math.max(1e-9, totals.delivered), totals.entropy / STIMULI,
                            totals.rightFlips, totals.wrongFlips, totals.noiseFlips, totals.nanos / 1e6 / STIMULI);
                }
                if (regime == Regime.SPECIFIC) {
                    bursts(db, stream);
                }
            }
        }
    }

    /** Stimuli of the burst section, each followed every {@link #BURST_EVERY} by a spammer's burst of {@link #BURST} copies. */
    static final int BURST_STIMULI = 600;
    static final int BURST_EVERY = 10;
    static final int BURST = 10;
    static final String SPAMMER = "script:spammer";

    /**
     * SPEC §5 saturation, through {@code membrane.integrate} (the integrator; {@code inject} has none): the specific
     * stream as envelopes of scope personal, and after every tenth stimulus a spammer sends one stimulus of its own ten
     * times within 0.9 s.
     * Side by side for SPEC's kSat 1.5 and the shipped 3.0: what the spammer got, what the honest sources got.
     */
    private static void bursts(GraphDatabaseService db, List<Map<String, Object>> stream) {
        run(db, "MATCH (e:Engine) WHERE e.id STARTS WITH 's' SET e.scope = 'personal'");
        System.out.printf(Locale.ROOT, "%n### bursts through membrane.integrate (specific graph, %d stimuli %d ms apart; every %dth "
                + "followed by %d identical stimuli within 0.9 s from %s)%n%n", BURST_STIMULI, STEP_MS, BURST_EVERY, BURST, SPAMMER);
        System.out.println("| kSat | spammer delivered | spammer share of delivered | spammer flips | 10th / 1st of a burst (median) "
                + "| honest flips (right / wrong) |");
        System.out.println("|---:|---:|---:|---:|---:|---:|");
        for (double kSat : new double[]{1.5, 3.0}) {
            reset(db);
            double spamDelivered = 0;
            double allDelivered = 0;
            long spamFlips = 0;
            long right = 0;
            long wrong = 0;
            List<Double> ratios = new ArrayList<>();
            long clock = START;
            for (int i = 0; i < BURST_STIMULI; i++) {
                Map<String, Object> s = stream.get(i);
                clock += STEP_MS;
                @SuppressWarnings("unchecked")
                Map<String, Object> st = (Map<String, Object>) s.get("stimulus");
                Map<String, Object> honest = integrateOne(db, envelope("h-" + kSat + "-" + i, (String) st.get("source"), st.get("embedding")),
                        clock, kSat);
                allDelivered += (double) honest.get("delivered");
                @SuppressWarnings("unchecked")
                java.util.Set<String> truth = (java.util.Set<String>) s.get("truth");
                for (String flipped : flipped(honest)) {
                    if (truth.contains(flipped)) {
                        right++;
                    } else {
                        wrong++;
                    }
                }
                if (i % BURST_EVERY == 0) {
                    // the spammer repeats a stimulus of its own (from the part of the stream the honest sources do not send)
                    @SuppressWarnings("unchecked")
                    Object spam = ((Map<String, Object>) stream.get(BURST_STIMULI + i).get("stimulus")).get("embedding");
                    double first = 0;
                    for (int k = 0; k < BURST; k++) {
                        Map<String, Object> row = integrateOne(db, envelope("spam-" + kSat + "-" + i + "-" + k, SPAMMER, spam),
                                clock + 50 + 100L * k, kSat);
                        double d = (double) row.get("delivered");
                        spamDelivered += d;
                        allDelivered += d;
                        spamFlips += (long) row.get("flips");
                        first = k == 0 ? d : first;
                        if (k == BURST - 1 && first > 0) {
                            ratios.add(d / first);
                        }
                    }
                }
            }
            ratios.sort(null);
            System.out.printf(Locale.ROOT, "| %.1f | %.0f | %.3f | %d | %.3f | %d (%d / %d) |%n", kSat, spamDelivered,
                    spamDelivered / allDelivered, spamFlips, ratios.isEmpty() ? 0 : ratios.get(ratios.size() / 2), right + wrong, right, wrong);
        }
    }

    private static Map<String, Object> envelope(String id, String source, Object embedding) {
        return BenchGraph.envelope(id, source, embedding);
    }

    private static Map<String, Object> integrateOne(GraphDatabaseService db, Map<String, Object> envelope, long clock, double kSat) {
        try (Transaction tx = db.beginTx();
             Result r = tx.execute("CALL membrane.integrate([$e], $c)", Map.of("e", envelope, "c", Map.of("clockMs", clock, "kSat", kSat)))) {
            Map<String, Object> row = r.next();
            r.close();
            tx.commit();
            return row;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> flipped(Map<String, Object> row) {
        List<String> out = new ArrayList<>();
        for (Map<String, Object> engine : (List<Map<String, Object>>) row.get("engines")) {
            for (Map<String, Object> item : (List<Map<String, Object>>) engine.get("items")) {
                if (Boolean.TRUE.equals(item.get("flipped"))) {
                    out.add((String) item.get("nodeId"));
                }
            }
        }
        return out;
    }

    enum Regime {
        BROAD(0.8), SPECIFIC(1.6);

        /** Norm of the noise around a node's topic centre. */
        final double nodeSpread;

        Regime(double nodeSpread) {
            this.nodeSpread = nodeSpread;
        }

        String prefix() {
            return this == BROAD ? "b" : "s";
        }
    }

    private static final class Totals {
        long rightFlips;
        long wrongFlips;
        long noiseFlips;
        double budget;
        double delivered;
        long flips;
        double overshoot;
        double entropy;
        long nanos;
    }

    /** {@code variant} is a policy, or {@code gap_capped/<fillOrder>}. */
    private static Totals replay(GraphDatabaseService db, List<Map<String, Object>> stream, String variant) {
        String policy = variant.split("/")[0];
        String fillOrder = variant.contains("/") ? variant.split("/")[1] : "proportional";
        Totals t = new Totals();
        long clock = START;
        for (Map<String, Object> s : stream) {
            clock += STEP_MS;
            Map<String, Object> params = Map.of("engine", s.get("engine"), "stimulus", s.get("stimulus"),
                    "config", Map.of("policy", policy, "fillOrder", fillOrder, "clockMs", clock));
            long n0 = System.nanoTime();
            try (Transaction tx = db.beginTx();
                 Result r = tx.execute("CALL membrane.inject($engine, $stimulus, $config)", params)) {
                Map<String, Object> row = r.next();
                r.close();
                tx.commit();
                t.nanos += System.nanoTime() - n0;
                @SuppressWarnings("unchecked")
                Map<String, Object> budget = (Map<String, Object>) row.get("budget");
                t.budget += (double) budget.get("final");
                t.delivered += (double) row.get("delivered");
                t.flips += (long) row.get("flips");
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> items = (List<Map<String, Object>>) row.get("items");
                @SuppressWarnings("unchecked")
                java.util.Set<String> truth = (java.util.Set<String>) s.get("truth");
                boolean noise = SOURCES[SOURCES.length - 1].equals(((Map<?, ?>) s.get("stimulus")).get("source"));
                for (Map<String, Object> item : items) {
                    if (Boolean.TRUE.equals(item.get("flipped"))) {
                        if (noise) {
                            t.noiseFlips++;
                        } else if (truth.contains((String) item.get("nodeId"))) {
                            t.rightFlips++;
                        } else {
                            t.wrongFlips++;
                        }
                    }
                }
                double sum = 0;
                for (Map<String, Object> item : items) {
                    double d = (double) item.get("deltaE");
                    t.overshoot += Math.max(0, d - (double) item.get("gapBefore"));
                    sum += d;
                }
                for (Map<String, Object> item : items) {
                    double p = (double) item.get("deltaE") / sum;
                    if (p > 0) {
                        t.entropy -= p * Math.log(p);
                    }
                }
            }
        }
        return t;
    }

    private static List<Map<String, Object>> stimuli(Regime regime, float[][] topics, float[][] nodes, Random r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < STIMULI; i++) {
            int engine;
            float[] about;
            java.util.Set<String> truth = new java.util.HashSet<>();
            if (regime == Regime.BROAD) {
                int topic = r.nextInt(topics.length);
                engine = topic / TOPICS_PER_ENGINE;
                about = topics[topic];
                for (int n = topic % TOPICS_PER_ENGINE; n < NODES_PER_ENGINE; n += TOPICS_PER_ENGINE) {
                    truth.add(regime.prefix() + engine + "-" + n); // the topic's nodes
                }
            } else {
                int node = r.nextInt(nodes.length);
                engine = node / NODES_PER_ENGINE;
                about = nodes[node];
                truth.add(regime.prefix() + engine + "-" + node % NODES_PER_ENGINE); // the node it is about
            }
            int source = r.nextInt(SOURCES.length);
            float[] v = unit(add(about, gaussian(r, DIMS, SOURCE_NOISE[source] / Math.sqrt(DIMS))));
            Map<String, Object> stimulus = new HashMap<>();
            stimulus.put("embedding", v);
            stimulus.put("source", SOURCES[source]);
            stimulus.put("id", "bench-" + regime.prefix() + i + "-" + r.nextInt(1_000_000));
            out.add(Map.of("engine", regime.prefix() + engine, "stimulus", stimulus, "truth", truth));
        }
        return out;
    }

    private static float[][] load(GraphDatabaseService db, Regime regime, float[][] topics, Random r) {
        float[][] all = new float[ENGINES * NODES_PER_ENGINE][];
        String p = regime.prefix();
        for (int e = 0; e < ENGINES; e++) {
            try (Transaction tx = db.beginTx()) {
                Node engine = tx.createNode(Label.label("Engine"));
                engine.setProperty("id", p + e);
                Node[] subentities = new Node[2];
                for (int s = 0; s < 2; s++) {
                    subentities[s] = tx.createNode(Label.label("SubEntity"));
                    subentities[s].setProperty("id", p + e + ":s" + s);
                    subentities[s].setProperty("engine", p + e);
                    subentities[s].setProperty("embedding", topics[e * TOPICS_PER_ENGINE + s]);
                }
                for (int i = 0; i < NODES_PER_ENGINE; i++) {
                    int local = i % TOPICS_PER_ENGINE;
                    float[] centre = topics[e * TOPICS_PER_ENGINE + local];
                    Node n = tx.createNode(Label.label("Node"));
                    n.setProperty("id", p + e + "-" + i);
                    n.setProperty("engine", p + e);
                    n.setProperty("threshold", 20.0 + 20 * r.nextDouble());
                    float[] v = unit(add(centre, gaussian(r, DIMS, regime.nodeSpread / Math.sqrt(DIMS))));
                    all[e * NODES_PER_ENGINE + i] = v;
                    n.setProperty("embedding", v);
                    if (i < 3) {
                        n.setProperty("peripheral", true);
                    }
                    if (local < 2) {
                        n.createRelationshipTo(subentities[local], org.neo4j.graphdb.RelationshipType.withName("MEMBER_OF"));
                    }
                }
                tx.commit();
            }
        }
        run(db, "CALL db.awaitIndexes(600)");
        return all;
    }

    /** Same starting state for every policy: no energy, no learned state, no audit. */
    private static void reset(GraphDatabaseService db) {
        run(db, "MATCH (s:Stimulus) CALL { WITH s DETACH DELETE s } IN TRANSACTIONS OF 5000 ROWS");
        run(db, "MATCH (s:Source) DETACH DELETE s");
        run(db, "MATCH (n:Node) CALL { WITH n REMOVE n:Active SET n.energy = 0.0, n.energy_at = $start REMOVE n.refractory_at, n.flips } IN TRANSACTIONS OF 5000 ROWS",
                Map.of("start", START));
        try (org.neo4j.graphdb.Transaction tx = db.beginTx()) { // the learned state's keys (the health ring is chunked)
            tx.findNodes(org.neo4j.graphdb.Label.label("Engine")).forEachRemaining(e -> {
                for (String k : e.getPropertyKeys()) {
                    if (k.startsWith("health") || k.startsWith("periphery")) {
                        e.removeProperty(k);
                    }
                }
                e.setProperty("activeCount", 0L);
            });
            tx.commit();
        }
        run(db, "MATCH (s:SubEntity) SET s.successFlips = 0, s.successGap = 0.0, s.obs = 0");
    }

    private static void run(GraphDatabaseService db, String cypher) {
        run(db, cypher, Map.of());
    }

    private static void run(GraphDatabaseService db, String cypher, Map<String, Object> params) {
        db.executeTransactionally(cypher, params, r -> {
            r.accept(row -> true);
            return null;
        });
    }

    static float[] gaussian(Random r, int n, double sigma) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (sigma * r.nextGaussian());
        }
        return v;
    }

    static float[] add(float[] a, float[] b) {
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }

    static float[] unit(float[] v) {
        return dev.membrane.physics.support.VectorMath.unit(v);
    }
}
