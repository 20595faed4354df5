package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;
import org.neo4j.driver.exceptions.ClientException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code membrane.setup}, {@code membrane.inject} and {@code membrane.config} on a real Neo4j over Bolt. The harness
 * sets {@code membrane.embeddingDimensions=8} through a real membrane.conf file. Each test builds its own engine, so tests
 * do not depend on their order; the clock is fixed per call for exact expectations.
 */
class InjectIT {
    private static final long CLOCK = 1_900_000_000_000L;
    private static MembraneHarness db;
    private static List<Record> firstSetup;

    @BeforeAll
    static void start() {
        db = MembraneHarness.start("membrane.embeddingDimensions=8\n");
        firstSetup = db.run("CALL membrane.setup()");
        db.run("CALL db.awaitIndexes(300)");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static List<Double> vec(double... xs) {
        double[] v = Arrays.copyOf(xs, 8);
        List<Double> out = new ArrayList<>();
        for (double x : v) {
            out.add(x);
        }
        return out;
    }

    /** Engine {@code e} with nodes a (cos 0.95 to e1), b (cos 0.70), c (orthogonal); energies 0, Θ 30. */
    private static void threeNodeEngine(String e) {
        db.run("""
                CREATE (:Engine {id: $e, level: 1, scope: 'personal'})
                CREATE (:Node {id: $e + '-a', engine: $e, energy: 0.0, energy_at: $t, threshold: 30.0, embedding: $a, text: 'database backup failed'})
                CREATE (:Node {id: $e + '-b', engine: $e, energy: 0.0, energy_at: $t, threshold: 30.0, embedding: $b, text: 'nightly job schedule'})
                CREATE (:Node {id: $e + '-c', engine: $e, energy: 0.0, energy_at: $t, threshold: 30.0, embedding: $c, text: 'team lunch menu'})
                """, Map.of("e", e, "t", CLOCK, "a", vec(1, 0.33), "b", vec(0.7, 0.714), "c", vec(0, 0, 1)));
    }

    private static Record inject(String engine, Map<String, Object> stimulus, Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("clockMs", CLOCK);
        return db.run("CALL membrane.inject($engine, $stimulus, $config)",
                Map.of("engine", engine, "stimulus", stimulus, "config", c)).get(0);
    }

    private static double energy(String nodeId) {
        return db.run("MATCH (n:Node {id: $id}) RETURN n.energy AS e", Map.of("id", nodeId)).get(0).get("e").asDouble();
    }

    @Test
    void setupCreatesEverythingOnceAndIsIdempotent() {
        assertEquals(15, firstSetup.size());
        firstSetup.forEach(r -> assertEquals("created", r.get("status").asString(), r.toString()));
        List<Record> again = db.run("CALL membrane.setup()");
        assertEquals(15, again.size());
        again.forEach(r -> assertEquals("exists", r.get("status").asString(), r.toString()));
        List<String> names = db.run("SHOW INDEXES YIELD name RETURN collect(name) AS n").get(0).get("n").asList(Value::asString);
        assertTrue(names.containsAll(List.of("membrane_node_embedding", "membrane_node_text", "membrane_node_engine",
                "membrane_node_id", "membrane_stimulus_id", "membrane_outcome_id")), names.toString());
    }

    @Test
    void injectFlipsTheMostSimilarNodeAndWritesTheAudit() {
        threeNodeEngine("flip");
        db.run("CREATE (:Engine {id: 'other'}) CREATE (:Node {id: 'other-a', engine: 'other', energy: 0.0, embedding: $v})",
                Map.of("v", vec(1)));
        Record row = inject("flip", Map.of("id", "s-flip-1", "embedding", vec(1)), Map.of());

        // Entropy of (0.95, 0.70) is 0.68, coverage target 0.49: the dominant match alone covers it.
        assertEquals("s-flip-1", row.get("stimulusId").asString());
        assertEquals("gap_capped", row.get("policy").asString());
        assertEquals(1, row.get("matches").asInt());
        assertEquals(1, row.get("flips").asInt());
        double s = 1 / Math.sqrt(1 + 0.33 * 0.33);
        Map<String, Object> budget = row.get("budget").asMap();
        assertEquals(1.5, (double) budget.get("health"), "a dormant engine (ρ = 0): prior f = 1.5");
        assertEquals(1.0, (double) budget.get("source"), "a new source: g = 1 until warmed up");
        assertEquals(1.0, (double) budget.get("peripheral"), "no peripheral context");
        assertEquals(1.5 * s * 30 * 1.5, (double) budget.get("final"), 1e-5, "embeddings are scanned as float");
        assertEquals(30, row.get("delivered").asDouble(), 1e-9);
        List<Map<String, Object>> items = row.get("items").asList(Value::asMap);
        assertEquals(1, items.size());
        assertEquals("flip-a", items.get(0).get("nodeId"));
        assertEquals(s, (double) items.get(0).get("similarity"), 1e-6);
        assertEquals(true, items.get(0).get("flipped"));

        Record a = db.run("MATCH (n:Node {id: 'flip-a'}) RETURN n.energy AS e, n.energy_at AS at, n.flips AS f, n.refractory_at AS r").get(0);
        assertEquals(30.0, a.get("e").asDouble(), 1e-9);
        assertEquals(CLOCK, a.get("at").asLong());
        assertEquals(1, a.get("f").asLong());
        assertEquals(CLOCK, a.get("r").asLong());
        assertEquals(0.0, energy("flip-b"));
        assertEquals(0.0, energy("other-a"), "another engine is never touched by an engine's injection");
        assertEquals(1, db.run("MATCH (e:Engine {id: 'flip'}) RETURN e.activeCount AS c").get(0).get("c").asLong());
        Record audit = db.run("""
                MATCH (s:Stimulus {id: 's-flip-1'})-[i:INJECTED]->(n:Node)
                RETURN s.status AS status, s.engines AS engines, s.flips AS flips, s.delivered AS delivered,
                       collect([n.id, i.deltaE, i.reason]) AS items""").get(0);
        assertEquals("injected", audit.get("status").asString());
        assertEquals(List.of("flip"), audit.get("engines").asList(Value::asString));
        assertEquals(1, audit.get("flips").asLong());
        assertEquals(List.of(List.of("flip-a", 30.0, "similarity")), audit.get("items").asList(Value::asObject));
    }

    @Test
    void aFlippedNodeStaysActiveThroughDecayAndIsRefreshedWithoutASecondFlip() {
        threeNodeEngine("keep");
        assertEquals(1, inject("keep", Map.of("embedding", vec(1), "id", "s-keep-1"), Map.of()).get("flips").asInt());
        // one minute later the node has decayed to 28.0: below Θ, above 0.9 · Θ, so it is still active
        Record again = inject("keep", Map.of("embedding", vec(1), "id", "s-keep-2"), Map.of("clockMs", CLOCK + 60_000));
        Map<String, Object> item = again.get("items").asList(Value::asMap).get(0);
        assertEquals(30 * (1 - Math.pow(2, -0.1)), (double) item.get("gapBefore"), 1e-9);
        assertEquals(false, item.get("flipped"));
        assertEquals(0, again.get("flips").asInt());
        assertEquals(30.0, energy("keep-a"), 1e-6, "refreshed to Θ (less the 2^-30 refractory charge left after 60 s)");
        assertEquals(1, db.run("MATCH (e:Engine {id: 'keep'}) RETURN e.activeCount AS c").get(0).get("c").asLong());
        assertEquals(true, db.run("MATCH (n:Node {id: 'keep-a'}) RETURN n:Active AS a").get(0).get("a").asBoolean());
    }

    @Test
    void energyDecaysLazilyBeforeTheGapIsMeasured() {
        threeNodeEngine("decay");
        // 20 units stored one half-life (10 min) ago: 10 remain, so the gap is 20, not 10
        db.run("MATCH (n:Node {id: 'decay-a'}) SET n.energy = 20.0, n.energy_at = $at", Map.of("at", CLOCK - 600_000));
        Record row = inject("decay", Map.of("embedding", vec(1), "id", "s-decay"), Map.of("budgetGain", 0.1));
        Map<String, Object> item = row.get("items").asList(Value::asMap).get(0);
        assertEquals(20.0, (double) item.get("gapBefore"), 1e-9);
        double delivered = (double) item.get("deltaE");
        assertEquals(10 + delivered, energy("decay-a"), 1e-9);
    }

    @Test
    void exactScanAndVectorIndexRankTheSame() {
        Random r = new Random(42);
        db.run("CREATE (:Engine {id: 'rank'})");
        for (int i = 0; i < 40; i++) {
            double[] v = new double[8];
            for (int d = 0; d < 8; d++) {
                v[d] = r.nextGaussian() + (d == 0 ? 1.5 : 0);
            }
            db.run("CREATE (:Node {id: $id, engine: 'rank', embedding: $v})", Map.of("id", String.format("rank-%02d", i), "v", vec(v)));
        }
        db.run("CALL db.awaitIndexes(300)");
        Map<String, Object> stimulus = Map.of("embedding", vec(1, 0.2));
        Map<String, Object> wide = Map.of("kMin", 10, "budgetMax", 0.0);
        List<Map<String, Object>> exact = inject("rank", stimulus, with(wide, "retrieval", "exact")).get("items").asList(Value::asMap);
        List<Map<String, Object>> index = inject("rank", stimulus, with(wide, "retrieval", "index")).get("items").asList(Value::asMap);
        assertTrue(exact.size() >= 10, "kMin 10 forces at least ten matches");
        assertEquals(exact.stream().map(m -> m.get("nodeId")).toList(), index.stream().map(m -> m.get("nodeId")).toList());
        for (int i = 0; i < exact.size(); i++) {
            assertEquals((double) exact.get(i).get("similarity"), (double) index.get(i).get("similarity"), 1e-5,
                    "the index's (1 + cos)/2 score is converted back to a cosine");
        }
    }

    /**
     * The partitioned index (IVF) scans only the partitions nearest the query; on a clustered engine, a handful of
     * probes finds exactly what the exact scan finds, in the same order with the same similarities.
     */
    @Test
    void partitionedRetrievalFindsWhatTheExactScanFinds() {
        Random r = new Random(11);
        db.run("CREATE (:Engine {id: 'ivf'})");
        double[][] centres = new double[10][8];
        for (double[] c : centres) {
            for (int d = 0; d < 8; d++) {
                c[d] = r.nextGaussian();
            }
        }
        for (int i = 0; i < 200; i++) {
            double[] v = new double[8];
            for (int d = 0; d < 8; d++) {
                v[d] = centres[i % 10][d] + 0.25 * r.nextGaussian();
            }
            db.run("CREATE (:Node {id: $id, engine: 'ivf', embedding: $v})", Map.of("id", String.format("ivf-%03d", i), "v", vec(v)));
        }
        Map<String, Object> stimulus = Map.of("embedding", vec(centres[3]));
        Map<String, Object> wide = Map.of("kMin", 15, "budgetMax", 0.0);
        List<Map<String, Object>> exact = inject("ivf", stimulus, with(wide, "retrieval", "exact")).get("items").asList(Value::asMap);
        Map<String, Object> partitioned = new java.util.HashMap<>(with(wide, "retrieval", "partitioned"));
        partitioned.put("partitionProbes", 4);
        List<Map<String, Object>> ivf = inject("ivf", stimulus, partitioned).get("items").asList(Value::asMap);
        assertTrue(exact.size() >= 15, exact.toString());
        assertEquals(exact.stream().map(m -> m.get("nodeId")).toList(), ivf.stream().map(m -> m.get("nodeId")).toList());
        for (int i = 0; i < exact.size(); i++) {
            assertEquals((double) exact.get(i).get("similarity"), (double) ivf.get(i).get("similarity"), 1e-9);
        }
        assertTrue(ivf.stream().limit(15).allMatch(m -> Integer.parseInt(((String) m.get("nodeId")).substring(4)) % 10 == 3),
                "the query's own cluster: " + ivf);
    }

    @Test
    void withoutAnEmbeddingFullTextRetrieves() {
        threeNodeEngine("text");
        Record row = inject("text", Map.of("content", "Backup of the DATABASE failed again!", "id", "s-text"), Map.of());
        List<Map<String, Object>> items = row.get("items").asList(Value::asMap);
        assertEquals("text-a", items.get(0).get("nodeId"));
        assertEquals(1.0, (double) items.get(0).get("similarity"), 1e-12, "full-text scores are normalised by the best hit");
        assertEquals(1, row.get("flips").asInt());
    }

    @Test
    void targetNodesBypassRetrievalButStayInsideTheEngine() {
        threeNodeEngine("tgt");
        threeNodeEngine("tgt2");
        Record row = inject("tgt", Map.of("targetNodes", List.of("tgt-b", "tgt-c"), "id", "s-tgt"), Map.of());
        assertEquals(2, row.get("matches").asInt());
        assertEquals(2, row.get("flips").asInt());
        assertEquals("target", db.run("MATCH (:Stimulus {id: 's-tgt'})-[i:INJECTED]->() RETURN i.reason AS r LIMIT 1")
                .get(0).get("r").asString());
        ClientException e = assertThrows(ClientException.class,
                () -> inject("tgt", Map.of("targetNodes", List.of("tgt2-a")), Map.of()));
        assertTrue(e.getMessage().contains("invalid_field:targetNodes: node 'tgt2-a' does not belong to engine 'tgt'"), e.getMessage());
        assertEquals(0.0, energy("tgt2-a"));
    }

    @Test
    void uniformTopKIsSelectableAndOvershoots() {
        threeNodeEngine("uni");
        db.run("MATCH (n:Node {id: 'uni-a'}) SET n.energy = 29.0");
        Record row = inject("uni", Map.of("embedding", vec(1, 0.5), "id", "s-uni"),
                Map.of("policy", "uniform_topk", "kMin", 2));
        assertEquals("uniform_topk", row.get("policy").asString());
        assertTrue(energy("uni-a") > 30, "no cap: the almost-full node is pushed past its threshold");
    }

    @Test
    void badInputGetsAnErrorNamingTheFieldAndChangesNothing() {
        threeNodeEngine("bad");
        inject("bad", Map.of("id", "s-bad-dup", "embedding", vec(0, 0, 0, 1)), Map.of());
        String before = snapshot();
        List<Double> nan = vec(1);
        nan.set(3, Double.NaN);
        Map<String, Object[]> cases = new HashMap<>();
        cases.put("invalid_field:embedding: must be a list of 8 numbers", new Object[]{"bad", Map.of("embedding", "abc"), Map.of()});
        cases.put("invalid_field:embedding: element 3 must be finite", new Object[]{"bad", Map.of("embedding", nan), Map.of()});
        cases.put("invalid_field:embedding: must have 8 numbers (embeddingDimensions), got 3",
                new Object[]{"bad", Map.of("embedding", List.of(1.0, 0.0, 0.0)), Map.of()});
        cases.put("engine: no (:Engine {id: 'nope'}) exists", new Object[]{"nope", Map.of("embedding", vec(1)), Map.of()});
        cases.put("invalid_field:features.trust: must be a number in [0, 1], got 2.0",
                new Object[]{"bad", Map.of("embedding", vec(1), "features", Map.of("trust", 2.0)), Map.of()});
        cases.put("invalid_field:id: a Stimulus with id 's-bad-dup' was already injected",
                new Object[]{"bad", Map.of("embedding", vec(1), "id", "s-bad-dup"), Map.of()});
        cases.put("Unknown membrane config key 'kmax' (did you mean 'kMax'?)",
                new Object[]{"bad", Map.of("embedding", vec(1)), Map.of("kmax", 3)});
        cases.put("Invalid membrane config value for 'budgetMax'",
                new Object[]{"bad", Map.of("embedding", vec(1)), Map.of("budgetMax", -5)});
        cases.put("invalid_field:content: must not be blank", new Object[]{"bad", Map.of("content", "  "), Map.of()});
        for (Map.Entry<String, Object[]> c : cases.entrySet()) {
            Object[] a = c.getValue();
            @SuppressWarnings("unchecked")
            Map<String, Object> stimulus = (Map<String, Object>) a[1];
            @SuppressWarnings("unchecked")
            Map<String, Object> config = (Map<String, Object>) a[2];
            ClientException e = assertThrows(ClientException.class, () -> inject((String) a[0], stimulus, config), c.getKey());
            assertTrue(e.getMessage().contains(c.getKey()), "expected '" + c.getKey() + "' in: " + e.getMessage());
            assertEquals(before, snapshot(), "a rejected call changed the graph: " + c.getKey());
        }
    }

    /** Every energy and every audit node, as text: equal snapshots mean nothing was written. */
    private static String snapshot() {
        return db.run("""
                MATCH (n) WHERE n:Node OR n:Stimulus OR n:Engine
                RETURN collect([n.id, n.energy, n.energy_at, n.activeCount, n.flips]) AS s""").get(0).get("s").toString();
    }

    @Test
    void configShowsEffectiveValuesAndWhereTheyCameFrom() {
        Map<String, Record> rows = new HashMap<>();
        db.run("CALL membrane.config({kMax: 16})").forEach(r -> rows.put(r.get("key").asString(), r));
        assertEquals(8, rows.get("embeddingDimensions").get("value").asInt());
        assertEquals("membrane.conf", rows.get("embeddingDimensions").get("origin").asString());
        assertEquals(16, rows.get("kMax").get("value").asInt());
        assertEquals("call", rows.get("kMax").get("origin").asString());
        assertEquals(1.5, rows.get("budgetGain").get("value").asDouble());
        assertEquals("default", rows.get("budgetGain").get("origin").asString());
        rows.values().forEach(r -> assertFalse(r.get("description").asString().isBlank(), r.toString()));
    }

    @Test
    void everyProcedureIsDescribed() {
        List<Record> procs = db.run("SHOW PROCEDURES YIELD name, description WHERE name STARTS WITH 'membrane.' RETURN name, description");
        assertEquals(MembraneProcedures.CLASSES.size(), procs.size());
        procs.forEach(p -> assertTrue(p.get("description").asString().length() > 40, p.toString()));
    }

    private static Map<String, Object> with(Map<String, Object> m, String k, Object v) {
        Map<String, Object> out = new HashMap<>(m);
        out.put(k, v);
        return out;
    }
}
