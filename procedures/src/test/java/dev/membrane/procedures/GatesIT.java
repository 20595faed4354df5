package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §6.5-6.6 on a real Neo4j: exact active counts, health factor, source gate, peripheral amplification. */
class GatesIT {
    private static final long CLOCK = 1_900_000_000_000L;
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=4\n");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static Record inject(String engine, Map<String, Object> stimulus, Map<String, Object> config) {
        return db.run("CALL membrane.inject($e, $s, $c)", Map.of("e", engine, "s", stimulus, "c", config)).get(0);
    }

    private static double factor(Record row, String name) {
        return ((Number) row.get("budget").asMap().get(name)).doubleValue();
    }

    /** An engine of n nodes n0..n{n-1}, each with a one-hot-ish embedding so each can be targeted by similarity. */
    private static void engine(String id, int n) {
        db.run("CREATE (:Engine {id: $id})", Map.of("id", id));
        db.run("UNWIND range(0, $n - 1) AS i CREATE (:Node {id: $id + '-' + i, engine: $id, energy: 0.0, threshold: 30.0, embedding: [1.0, 0.0, 0.0, 0.0]})",
                Map.of("id", id, "n", n));
    }

    @Test
    void activeCountIsExactAndDecayedNodesAreDeactivatedWithAnEvent() {
        engine("hp", 6);
        List<String> targets = List.of("hp-0", "hp-1", "hp-2");
        Record first = inject("hp", Map.of("targetNodes", targets, "id", "hp-s1"), Map.of("clockMs", CLOCK));
        assertEquals(3, first.get("flips").asInt());
        assertEquals(1.5, factor(first, "health"), 1e-12, "ρ = 0 before: prior f = 1.5");
        Record health = db.run("CALL membrane.health('hp', {clockMs: $t})", Map.of("t", CLOCK + 1000)).get(0);
        assertEquals(3, health.get("activeCount").asLong());
        assertEquals(0.25, health.get("rho").asDouble(), 1e-12);
        assertEquals(1.375, health.get("health").asDouble(), 1e-12);
        assertFalse(health.get("trained").asBoolean());
        assertEquals(1, health.get("samples").asLong());

        // 20 minutes later every flipped node has decayed to a quarter of Θ: the next injection sweeps them out
        Record later = inject("hp", Map.of("targetNodes", List.of("hp-5"), "id", "hp-s2"), Map.of("clockMs", CLOCK + 1_200_000));
        assertEquals(1.5, factor(later, "health"), 1e-12, "ρ back to 0");
        assertEquals(1, db.run("MATCH (e:Engine {id: 'hp'}) RETURN e.activeCount AS c").get(0).get("c").asLong());
        assertEquals(1, db.run("MATCH (n:Active {engine: 'hp'}) RETURN count(n) AS c").get(0).get("c").asLong());
        List<Record> deactivated = db.run("""
                CALL membrane.events(-1, 10000) YIELD type, stimulusId, payload
                WHERE type = 'node.deactivated' AND stimulusId = 'hp-s2' RETURN payload.nodeId AS id ORDER BY id""");
        assertEquals(targets, deactivated.stream().map(r -> r.get("id").asString()).toList());
    }

    /**
     * The plugin keeps a copy of each engine's health model between calls; the engine node stays the truth: a rolled
     * back call leaves no sample, and a model removed by hand starts again from nothing.
     */
    @Test
    void theHealthModelIsWhatTheEngineNodeHoldsAfterARollbackAndAReset() {
        engine("hm", 4);
        for (int i = 0; i < 3; i++) {
            inject("hm", Map.of("targetNodes", List.of("hm-" + i), "id", "hm-s" + i), Map.of("clockMs", CLOCK));
        }
        assertEquals(3, samples("hm"));
        try (var session = db.driver().session(); var tx = session.beginTransaction()) {
            tx.run("CALL membrane.inject('hm', {targetNodes: ['hm-3'], id: 'hm-rolled-back'}, {clockMs: $t})",
                    Map.of("t", CLOCK)).consume();
            tx.rollback();
        }
        inject("hm", Map.of("targetNodes", List.of("hm-3"), "id", "hm-s3"), Map.of("clockMs", CLOCK));
        assertEquals(4, samples("hm"), "the rolled-back sample is not counted");
        db.run("MATCH (e:Engine {id: 'hm'}) REMOVE e.healthCount, e.healthSamples_0");
        inject("hm", Map.of("targetNodes", List.of("hm-0"), "id", "hm-s4"), Map.of("clockMs", CLOCK));
        assertEquals(1, samples("hm"), "after a reset by hand the model starts again");
        float[] ring = dev.membrane.graph.model.PackedArrays.floats(db.neo4j().defaultDatabaseService().executeTransactionally(
                "MATCH (e:Engine {id: 'hm'}) RETURN e.healthSamples_0 AS r", Map.of(), r -> r.next().get("r")));
        assertEquals(0f, ring[4], "the reset ring holds one sample, not the five recorded before it");
    }

    private static long samples(String engine) {
        return db.run("CALL membrane.health($e, {clockMs: $t})", Map.of("e", engine, "t", CLOCK)).get(0).get("samples").asLong();
    }

    @Test
    void aHighYieldSourceEndsAboveOneAndALowYieldSourceBelow() {
        engine("sg", 60);
        Map<String, Object> fast = Map.of("sourceWarmup", 5);
        long t = CLOCK;
        int next = 0;
        Map<String, Double> lastGate = new HashMap<>();
        for (int round = 0; round < 8; round++) {
            t += 1_000_000; // far apart: earlier flips have decayed away
            // high: always a fresh node with similarity 1 → flips
            Record hi = inject("sg", Map.of("targetNodes", List.of("sg-" + next++), "source", "tool:high"), with(fast, t));
            // mid: also one flip, but from a budget three times as large: half the yield
            Record mid = inject("sg", Map.of("targetNodes", List.of("sg-" + next++), "source", "tool:mid"),
                    with(Map.of("sourceWarmup", 5, "budgetGain", 3.0), t + 1));
            // low: a stimulus far from everything in the engine → no budget, no flip
            Record lo = inject("sg", Map.of("embedding", List.of(0.0, 0.0, 0.0, 1.0), "source", "tool:low"), with(fast, t + 2));
            lastGate.put("high", factor(hi, "source"));
            lastGate.put("mid", factor(mid, "source"));
            lastGate.put("low", factor(lo, "source"));
        }
        assertTrue(lastGate.get("high") > 1, lastGate.toString());
        assertTrue(lastGate.get("low") < 1, lastGate.toString());
        assertEquals(1.5, lastGate.get("high"), 1e-12, "top of three");
        assertEquals(0.5 + 1.0 / 3, lastGate.get("low"), 1e-12, "bottom of three");
        Record source = db.run("MATCH (s:Source {id: 'tool:high'}) RETURN s.yieldObs AS n, s.yieldEma AS ema, s.trust AS trust").get(0);
        assertEquals(8, source.get("n").asLong());
        assertTrue(source.get("ema").asDouble() > 0);
        assertEquals(0.5, source.get("trust").asDouble(), "created with the specified initial state");
    }

    @Test
    void aStimulusThatEchoesThePeripheralContextIsAmplifiedAfterWarmUp() {
        db.run("CREATE (:Engine {id: 'pe'})");
        db.run("CREATE (:Node {id: 'pe-ctx', engine: 'pe', peripheral: true, energy: 0.0, embedding: [0.0, 0.0, 1.0, 0.0]})");
        db.run("UNWIND range(0, 40) AS i CREATE (:Node {id: 'pe-' + i, engine: 'pe', energy: 0.0, threshold: 99.0, embedding: [1.0, 0.0, 0.0, 0.0]})");
        Map<String, Object> cfg = Map.of("peripheralMinSamples", 5, "clockMs", CLOCK);
        List<Double> warmUp = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            double c = 0.05 * (i % 4 + 1); // ordinary stimuli touch the context a little, by varying amounts
            Record r = inject("pe", Map.of("embedding", List.of(1.0, 0.0, c, 0.0)), cfg);
            warmUp.add(factor(r, "peripheral"));
        }
        assertEquals(List.of(1.0, 1.0, 1.0, 1.0, 1.0), warmUp.subList(0, 5), "α = 0 until the cohort holds 5 values");
        Record echo = inject("pe", Map.of("embedding", List.of(1.0, 0.0, 0.9, 0.0)), cfg);
        assertEquals(2.0, factor(echo, "peripheral"), 1e-12, "an echo of the peripheral context: α capped at alphaMax = 1");
        Record plain = inject("pe", Map.of("embedding", List.of(1.0, 0.0, 0.0, 0.0)), cfg);
        assertEquals(1.0, factor(plain, "peripheral"), 1e-12, "no echo (x below the cohort mean): α = 0");
        assertEquals(10, db.run("MATCH (e:Engine {id: 'pe'}) RETURN e.peripheryCount AS c").get(0).get("c").asLong(),
                "every injection records its peripheral similarity");
    }

    @Test
    void theChannelSplitFavoursTheSubentityThatMatchesTheStimulus() {
        db.run("""
                CREATE (:Engine {id: 'ch'})
                CREATE (arch:SubEntity {id: 'ch:architect', engine: 'ch', embedding: [1.0, 0.0, 0.0, 0.0], obs: 0})
                CREATE (val:SubEntity {id: 'ch:validator', engine: 'ch', embedding: [0.0, 1.0, 0.0, 0.0], obs: 0})
                WITH arch, val
                UNWIND range(0, 3) AS i
                CREATE (a:Node {id: 'ch-a' + i, engine: 'ch', threshold: 99.0, embedding: [1.0, 1.0, 0.0, 0.0]})-[:MEMBER_OF {weight: 1.0}]->(arch)
                CREATE (v:Node {id: 'ch-v' + i, engine: 'ch', threshold: 99.0, embedding: [1.0, 1.0, 0.0, 0.0]})-[:MEMBER_OF {weight: 1.0}]->(val)""");
        // a design stimulus: closer to the architect's embedding, equally similar to every node
        Record row = inject("ch", Map.of("embedding", List.of(0.8, 0.6, 0.0, 0.0)),
                Map.of("channelWarmup", 0, "kMin", 8, "budgetGain", 0.2, "clockMs", CLOCK));
        Map<String, Map<String, Object>> channels = new HashMap<>();
        row.get("channels").asList(v -> v.asMap()).forEach(c -> channels.put((String) c.get("subentity"), c));
        double arch = ((Number) channels.get("ch:architect").get("weight")).doubleValue();
        double val = ((Number) channels.get("ch:validator").get("weight")).doubleValue();
        assertTrue(arch > val, "architect " + arch + " vs validator " + val);
        assertTrue(((Number) channels.get("ch:architect").get("delivered")).doubleValue()
                > ((Number) channels.get("ch:validator").get("delivered")).doubleValue());
        assertEquals(1, db.run("MATCH (s:SubEntity {id: 'ch:architect'}) RETURN s.obs AS o").get(0).get("o").asLong(),
                "success counters learn from every injection");
    }

    @Test
    void duringWarmUpChannelsSplitEqually() {
        db.run("""
                CREATE (:Engine {id: 'cw'})
                CREATE (arch:SubEntity {id: 'cw:architect', engine: 'cw', embedding: [1.0, 0.0, 0.0, 0.0]})
                CREATE (n:Node {id: 'cw-a', engine: 'cw', threshold: 99.0, embedding: [1.0, 0.0, 0.0, 0.0]})-[:MEMBER_OF]->(arch)
                CREATE (:Node {id: 'cw-free', engine: 'cw', threshold: 99.0, embedding: [1.0, 0.0, 0.0, 0.0]})""");
        Record row = inject("cw", Map.of("embedding", List.of(1.0, 0.0, 0.0, 0.0)), Map.of("kMin", 2, "clockMs", CLOCK));
        List<Double> weights = row.get("channels").asList(v -> v.get("weight").asDouble());
        assertEquals(List.of(0.5, 0.5), weights, "the architect and the unaffiliated rest");
    }

    private static Map<String, Object> with(Map<String, Object> m, long clock) {
        Map<String, Object> out = new HashMap<>(m);
        out.put("clockMs", clock);
        return out;
    }
}
