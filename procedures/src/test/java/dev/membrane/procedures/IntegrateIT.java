package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code membrane.integrate}, {@code membrane.outcome}, {@code membrane.tick} and {@code membrane.sources} on a real
 * Neo4j over Bolt (SPEC §4, §5, §8, §10). Engines of the personal scope: ada, felix, atlas (each owning one topic
 * direction of a 4-d space); an org engine of another scope holds a node identical to ada's.
 */
class IntegrateIT {
    private static final long T = 1_900_000_000_000L;
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=4\n");
        db.run("""
                UNWIND [['ada', [1.0, 0.0, 0.0, 0.0]], ['felix', [0.0, 1.0, 0.0, 0.0]], ['atlas', [0.0, 0.0, 1.0, 0.0]]] AS c
                CREATE (:Engine {id: c[0], level: 1, scope: 'personal'})
                WITH c UNWIND range(0, 39) AS i
                CREATE (:Node {id: c[0] + '-' + i, engine: c[0], threshold: 30.0, embedding: c[1]})""");
        db.run("""
                CREATE (:Engine {id: 'acme', level: 2, scope: 'organizational'})
                CREATE (:Node {id: 'acme-0', engine: 'acme', embedding: [1.0, 0.0, 0.0, 0.0]})""");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static Map<String, Object> envelope(String id, String source, Map<String, Object> extra) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", "membrane.inject");
        e.put("id", id);
        e.put("scope", "personal");
        e.put("source", source);
        e.put("channel", "test");
        e.put("content", "about " + id);
        e.putAll(extra);
        return e;
    }

    private static List<Record> integrate(List<Map<String, Object>> batch, Map<String, Object> config) {
        Map<String, Object> c = new HashMap<>(config);
        c.putIfAbsent("clockMs", T);
        return db.run("CALL membrane.integrate($batch, $config)", Map.of("batch", batch, "config", c));
    }

    private static List<String> engines(Record r) {
        return r.get("engines").asList(v -> v.get("engine").asString());
    }

    @Test
    void aPersonalStimulusReachesOnlyTheEngineWhoseNodesMatchIt() {
        Record r = integrate(List.of(envelope("sel-1", "tool:sel", Map.of("embedding", List.of(1.0, 0.05, 0.0, 0.0)))), Map.of()).get(0);
        assertEquals("accepted", r.get("status").asString());
        assertEquals(List.of("ada"), engines(r), "felix, atlas hold nothing like it; acme is of another scope");
        assertEquals(0.0, db.run("MATCH (n:Node {id: 'acme-0'}) RETURN coalesce(n.energy, 0.0) AS e").get(0).get("e").asDouble());
        Record both = integrate(List.of(envelope("sel-2", "tool:sel", Map.of("embedding", List.of(1.0, 1.0, 0.0, 0.0)))),
                Map.of("kMin", 20)).get(0);
        assertEquals(List.of("ada", "felix"), engines(both).stream().sorted().toList(), "a stimulus about both topics reaches both");
    }

    @Test
    void anEnvelopeThatNoEngineSelectsSaysSo() {
        Record r = integrate(List.of(envelope("none-1", "tool:none", Map.of("embedding", List.of(-1.0, -1.0, -1.0, 0.0)))), Map.of()).get(0);
        assertEquals("accepted", r.get("status").asString());
        assertEquals(List.of(), engines(r));
        assertTrue(r.get("reason").asString().startsWith("no_engine_selected: none of the "), r.get("reason").asString());
        Record eco = integrate(List.of(envelope("none-2", "tool:none", Map.of("scope", "ecosystem"))), Map.of()).get(0);
        assertTrue(eco.get("reason").asString().contains("no (:Engine {scope: 'ecosystem'}) exists"), eco.get("reason").asString());
    }

    /**
     * Litmus §13.5 at the shipped defaults, in its strictest form: each arrival targets a fresh dormant node (so neither
     * gaps nor refractory help), all ten within the same millisecond: only the source's saturation can hold the 10th.
     */
    @Test
    void theTenthIdenticalStimulusWithinASecondDeliversUnderTenPercentOfTheFirst() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            batch.add(envelope("spam-" + i, "script:spammer", Map.of("targetNodes", List.of("atlas-" + i))));
        }
        batch.add(envelope("calm-0", "script:calm", Map.of("targetNodes", List.of("atlas-10"))));
        List<Record> rows = integrate(batch, Map.of());
        double first = rows.get(0).get("delivered").asDouble();
        double tenth = rows.get(9).get("delivered").asDouble();
        double other = rows.get(10).get("delivered").asDouble();
        System.out.printf("spam at defaults: 1st %.2f, 10th %.2f (%.1f %%), another source %.2f%n", first, tenth, 100 * tenth / first, other);
        assertEquals(30.0, first, 1e-9, "the first fills its node's gap");
        assertTrue(tenth / first < 0.10, "10th/1st = " + tenth / first);
        assertTrue(other / first > 0.9, "another source is unaffected: " + other / first);
        double gain10 = ((Number) rows.get(9).get("engines").get(0).get("budget").asMap().get("gain")).doubleValue();
        double kSat = db.run("CALL membrane.config() YIELD key, value WHERE key = 'kSat' RETURN value").get(0).get("value").asDouble();
        assertEquals(1.0 / (1 + kSat * 9), gain10, 1e-9, "sat(m = 9) at the same millisecond");
    }

    /** Litmus §13.5 as a script would spam: the same content ten times, 100 ms apart, at the shipped defaults. */
    @Test
    void tenIdenticalStimuliSpreadOverASecondFadeBelowTenPercent() {
        List<Double> v = List.of(0.05, 0.05, 0.05, 1.0);
        db.run("CREATE (:Engine {id: 'spread', level: 1, scope: 'personal'}) WITH 1 AS one UNWIND range(0, 19) AS i "
                + "CREATE (:Node {id: 'spread-' + i, engine: 'spread', threshold: 30.0, embedding: [0.2 * (i % 3), 0.1, 0.0, 1.0]})");
        double first = 0;
        double tenth = 0;
        for (int i = 0; i < 10; i++) {
            Map<String, Object> e = envelope("spread-s" + i, "script:flood", Map.of("embedding", v));
            e.put("content", "disk full on db-1");
            double d = integrate(List.of(e), Map.of("clockMs", T + 50_000_000L + 100L * i)).get(0).get("delivered").asDouble();
            first = i == 0 ? d : first;
            tenth = i == 9 ? d : tenth;
        }
        System.out.printf("identical spread over 0.9 s at defaults: 1st %.2f, 10th %.2f%n", first, tenth);
        assertTrue(first > 20, "the first is delivered: " + first);
        assertTrue(tenth / first < 0.10, "10th/1st = " + tenth / first);
    }

    /** SPEC §6.7: link direction evidence grows by flip order, from membrane.tick and from a successful outcome. */
    @Test
    void tickAndOutcomeAddDirectionEvidenceByFlipOrder() {
        db.run("""
                CREATE (:Engine {id: 'dir', level: 1, scope: 'personal'})
                CREATE (a:Node {id: 'dir-a', engine: 'dir', threshold: 30.0})-[:RELATES_TO]->(b:Node {id: 'dir-b', engine: 'dir', threshold: 30.0})
                CREATE (c:Node {id: 'dir-c', engine: 'dir', threshold: 30.0})-[:RELATES_TO]->(d:Node {id: 'dir-d', engine: 'dir', threshold: 30.0})
                CREATE (x:Node {id: 'dir-x', engine: 'dir', threshold: 30.0})-[:RELATES_TO]->(y:Node {id: 'dir-y', engine: 'dir', threshold: 30.0})""");
        long t = T + 80_000_000L;
        String[][] flips = {{"dir-a", "0"}, {"dir-b", "1000"}, {"dir-d", "2000"}, {"dir-c", "3000"}, {"dir-x", "0"}, {"dir-y", "9000"}};
        for (String[] f : flips) {
            integrate(List.of(envelope("dir-s-" + f[0], "tool:dir-" + f[0], Map.of("targetNodes", List.of(f[0])))),
                    Map.of("clockMs", t + Long.parseLong(f[1])));
        }
        db.run("CALL membrane.tick({clockMs: $t})", Map.of("t", t + 9_500));
        assertEquals(List.of(1L, 0L), link("dir-a"), "a flipped 1 s before b: fwd");
        assertEquals(List.of(0L, 1L), link("dir-c"), "d flipped before c: bwd");
        assertEquals(List.of(0L, 0L), link("dir-x"), "9 s apart: outside precedenceWindowMs (5 s)");
        db.run("CALL membrane.tick({clockMs: $t})", Map.of("t", t + 9_600));
        assertEquals(List.of(1L, 0L), link("dir-a"), "a flip pair counts once");

        db.run("MATCH ()-[r:RELATES_TO]->() WHERE startNode(r).id STARTS WITH 'dir-' SET r.fwd = 0, r.bwd = 0, r.evidence_at = null");
        Record o = db.run("CALL membrane.outcome({stimulusId: 'dir-s-dir-c', success: true})").get(0);
        assertEquals("updated", o.get("status").asString());
        assertEquals(List.of(0L, 1L), link("dir-c"), "a successful outcome adds the evidence among the nodes it reached");
        assertEquals(List.of(0L, 0L), link("dir-a"), "and nowhere else");
    }

    private static List<Long> link(String from) {
        Record r = db.run("MATCH (:Node {id: $id})-[r:RELATES_TO]->() RETURN coalesce(r.fwd, 0) AS f, coalesce(r.bwd, 0) AS b",
                Map.of("id", from)).get(0);
        return List.of(r.get("f").asLong(), r.get("b").asLong());
    }

    @Test
    void anOutcomeIdCountsOnce() {
        integrate(List.of(envelope("oid-0", "service:oid", Map.of("targetNodes", List.of("felix-20")))), Map.of());
        Record first = db.run("CALL membrane.outcome({stimulusId: 'oid-0', outcomeId: 'review-77', success: true, utility: 1.0})").get(0);
        Record again = db.run("CALL membrane.outcome({stimulusId: 'oid-0', outcomeId: 'review-77', success: true, utility: 1.0})").get(0);
        assertEquals("updated", first.get("status").asString());
        assertEquals("duplicate", again.get("status").asString());
        assertTrue(again.get("reason").asString().contains("review-77"), again.get("reason").asString());
        double trust = db.run("CALL membrane.sources() YIELD id, trust WHERE id = 'service:oid' RETURN trust").get(0).get("trust").asDouble();
        assertEquals(0.55, trust, 1e-9, "one outcome counted, not two");
        RuntimeException bad = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.run("CALL membrane.outcome({stimulusId: 'oid-0', outcomeId: 'has space', success: true})"));
        assertTrue(bad.getMessage().contains("outcome.outcomeId"), bad.getMessage());
    }

    @Test
    void refractoryBlocksRightAfterAFlipAndReleasesAfterFiveHalfLives() {
        integrate(List.of(envelope("ref-0", "tool:ref", Map.of("targetNodes", List.of("felix-30")))), Map.of());
        db.run("MATCH (n:Node {id: 'felix-30'}) SET n.energy = 0.0"); // drained, but still refractory since T
        Record soon = integrate(List.of(envelope("ref-1", "tool:ref2", Map.of("targetNodes", List.of("felix-30")))),
                Map.of("clockMs", T + 100)).get(0);
        Map<String, Object> e1 = soon.get("engines").get(0).asMap();
        double loss = (double) e1.get("refractoryLoss");
        double blocked = loss / (loss + (double) e1.get("delivered"));
        assertTrue(blocked > 0.9, "blocked share right after the flip: " + blocked);
        db.run("MATCH (n:Node {id: 'felix-30'}) SET n.energy = 0.0, n.energy_at = $t", Map.of("t", T + 10_000));
        Record later = integrate(List.of(envelope("ref-2", "tool:ref3", Map.of("targetNodes", List.of("felix-30")))),
                Map.of("clockMs", T + 10_000)).get(0);
        Map<String, Object> e2 = later.get("engines").get(0).asMap();
        double passed = (double) e2.get("delivered") / ((double) e2.get("delivered") + (double) e2.get("refractoryLoss"));
        assertTrue(passed > 0.9, "passing share after 5 half-lives: " + passed);
    }

    @Test
    void outcomesTeachTrustAndAClaimedTrustCannotExceedIt() {
        String src = "service:learner";
        integrate(List.of(envelope("tr-0", src, Map.of("targetNodes", List.of("felix-0")))), Map.of());
        for (int i = 0; i < 5; i++) {
            db.run("CALL membrane.outcome({stimulusId: 'tr-0', success: true, utility: 1.0})");
        }
        Record up = db.run("CALL membrane.sources() YIELD id, trust, utility WHERE id = $s RETURN trust, utility", Map.of("s", src)).get(0);
        assertEquals(1 - 0.5 * Math.pow(0.9, 5), up.get("trust").asDouble(), 1e-9);
        // far apart in time, so both arrive at zero mass (sat = 1) and only trust differs
        double g1 = gain(integrate(List.of(envelope("tr-1", src, Map.of("targetNodes", List.of("felix-1")))),
                Map.of("clockMs", T + 3_600_000)).get(0));
        double g2 = gain(integrate(List.of(envelope("tr-2", src, Map.of("targetNodes", List.of("felix-2"),
                "features", Map.of("trust", 1.0)))), Map.of("clockMs", T + 3_700_000)).get(0));
        double g3 = gain(integrate(List.of(envelope("tr-4", src, Map.of("targetNodes", List.of("felix-4"),
                "features", Map.of("trust", 0.2)))), Map.of("clockMs", T + 3_800_000)).get(0));
        assertTrue(g1 > 1, "learned trust raised the gain: " + g1);
        assertEquals(g1, g2, 1e-9, "claiming trust 1.0 buys nothing beyond the learned trust");
        assertEquals(g1 * 0.2 / up.get("trust").asDouble(), g3, 1e-9, "a lower claim lowers it");
        for (int i = 0; i < 12; i++) {
            db.run("CALL membrane.outcome({stimulusId: 'tr-0', success: false, harm: 1.0})");
        }
        Record lowered = integrate(List.of(envelope("tr-3", src, Map.of("targetNodes", List.of("felix-3")))),
                Map.of("clockMs", T + 7_200_000)).get(0);
        assertTrue(gain(lowered) < g1 / 2, "failures lowered it: " + gain(lowered));
        Record unknown = db.run("CALL membrane.outcome({stimulusId: 'no-such', success: true})").get(0);
        assertEquals("error", unknown.get("status").asString());
        assertEquals("unknown stimulusId 'no-such'", unknown.get("reason").asString());
    }

    private static double gain(Record row) {
        return ((Number) row.get("engines").get(0).get("budget").asMap().get("gain")).doubleValue();
    }

    @Test
    void anEmptyBatchAnswersNoRowsAndWritesNothing() {
        String count = "MATCH (n) OPTIONAL MATCH (n)-[r]->() RETURN count(DISTINCT n) AS n, count(r) AS r";
        String before = db.run(count).get(0).toString();
        assertEquals(List.of(), integrate(List.of(), Map.of()), "the bridge's probe: the procedure runs, answers nothing");
        assertEquals(before, db.run(count).get(0).toString(), "no event, no stimulus, no source written");
    }

    @Test
    void theSameBatchTwiceChangesTheGraphOnce() {
        List<Map<String, Object>> batch = List.of(
                envelope("idem-0", "tool:idem", Map.of("targetNodes", List.of("atlas-20"))),
                envelope("idem-1", "tool:idem", Map.of("targetNodes", List.of("atlas-21"))));
        integrate(batch, Map.of());
        String before = db.run("MATCH (n:Node) WHERE n.id IN ['atlas-20', 'atlas-21'] RETURN collect([n.id, n.energy, n.energy_at]) AS s")
                .get(0).get("s").toString();
        List<Record> again = integrate(batch, Map.of("clockMs", T + 5_000));
        assertEquals(List.of("duplicate", "duplicate"), again.stream().map(r -> r.get("status").asString()).toList());
        assertEquals("duplicate_id", again.get(0).get("reason").asString());
        assertEquals(List.of("atlas"), engines(again.get(0)), "the original outcome");
        assertEquals(before, db.run("MATCH (n:Node) WHERE n.id IN ['atlas-20', 'atlas-21'] RETURN collect([n.id, n.energy, n.energy_at]) AS s")
                .get(0).get("s").toString());
        assertEquals(2, db.run("MATCH (s:Stimulus) WHERE s.id STARTS WITH 'idem-' RETURN count(s) AS c").get(0).get("c").asInt());
    }

    @Test
    void aDedupeKeyIntegratesOncePerWindowAndSource() {
        Map<String, Object> k = Map.of("dedupeKey", "disk-full", "targetNodes", List.of("ada-30"));
        List<Record> rows = integrate(List.of(envelope("dd-0", "script:disk", k), envelope("dd-1", "script:disk", k),
                envelope("dd-2", "script:other", k)), Map.of());
        assertEquals(List.of("accepted", "duplicate", "accepted"), rows.stream().map(r -> r.get("status").asString()).toList());
        assertEquals("duplicate_key", rows.get(1).get("reason").asString());
        Map<String, Object> later = new HashMap<>(k);
        later.put("ts", java.time.Instant.ofEpochMilli(T + 61_000).toString());
        Record after = integrate(List.of(envelope("dd-3", "script:disk", later)), Map.of("clockMs", T + 61_000)).get(0);
        assertEquals("accepted", after.get("status").asString(), "outside the 60 s window");
    }

    @Test
    void aBatchOf500WithThreeMalformedIntegratesTheRestAndRejectsThoseAlone() {
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            batch.add(envelope("b500-" + i, "tool:batch", Map.of("embedding", List.of(0.0, 0.0, 1.0, 0.01 * (i % 7)))));
        }
        batch.set(17, envelope("b500-17", "tool:batch", Map.of("features", Map.of("trust", 7))));
        batch.set(250, envelope("b500-250", "tool:batch", Map.of("scope", "galactic")));
        Map<String, Object> bad = envelope("b500-499", "tool:batch", Map.of());
        bad.put("embedding", List.of(1.0, Double.NaN, 0.0, 0.0));
        batch.set(499, bad);
        long t0 = System.nanoTime();
        List<Record> rows = integrate(batch, Map.of());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(500, rows.size());
        for (int i = 0; i < 500; i++) {
            assertEquals("b500-" + i, rows.get(i).get("id").asString(), "input order");
        }
        assertEquals(497, rows.stream().filter(r -> r.get("status").asString().equals("accepted")).count());
        assertTrue(rows.get(17).get("reason").asString().startsWith("invalid_field:features.trust"));
        assertTrue(rows.get(250).get("reason").asString().startsWith("invalid_field:scope"));
        assertTrue(rows.get(499).get("reason").asString().startsWith("invalid_field:embedding"));
        assertEquals(497, db.run("MATCH (s:Stimulus) WHERE s.id STARTS WITH 'b500-' RETURN count(s) AS c").get(0).get("c").asInt());
        System.out.println("integrate: 500 envelopes in one call over Bolt: " + ms + " ms (informational)");
    }

    @Test
    void fuzzedEnvelopesAreAnsweredRowByRowAndRejectedOnesWriteNothing() {
        Random r = new Random(99);
        Object[] junk = {null, "", "x", -1, 1.5, Double.NaN, true, List.of(), List.of(1, "a"), Map.of(), Map.of("trust", 2),
                "2099-01-01T00:00:00Z", "organizational", "script:x", List.of(1.0, 0.0, 0.0, 0.0)};
        String[] keys = {"type", "id", "ts", "scope", "source", "channel", "content", "embedding", "features", "origin",
                "originChainDepth", "ttlMs", "dedupeKey", "targetNodes", "provenance", "metadata", "bogus"};
        List<Object> batch = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Map<String, Object> e = envelope("fz-" + i, "tool:fuzz", Map.of("embedding", List.of(0.0, 1.0, 0.0, 0.0)));
            for (int k = 0; k < 1 + r.nextInt(2); k++) {
                e.put(keys[r.nextInt(keys.length)], junk[r.nextInt(junk.length)]);
            }
            batch.add(r.nextInt(30) == 0 ? "not a map" : e);
        }
        List<Record> rows = db.run("CALL membrane.integrate($b, {clockMs: $t})", Map.of("b", batch, "t", T));
        assertEquals(300, rows.size());
        long accepted = rows.stream().filter(x -> x.get("status").asString().equals("accepted")).count();
        long rejected = rows.stream().filter(x -> x.get("status").asString().equals("rejected")).count();
        assertTrue(accepted > 0 && rejected > 0, accepted + " accepted, " + rejected + " rejected");
        List<String> rejectedIds = rows.stream().filter(x -> x.get("status").asString().equals("rejected"))
                .map(x -> x.get("id").asString(null)).filter(java.util.Objects::nonNull).toList();
        assertEquals(0, db.run("MATCH (s:Stimulus) WHERE s.id IN $ids AND s.id STARTS WITH 'fz-' AND s.status = 'accepted' "
                + "AND NOT s.id IN $acceptedIds RETURN count(s) AS c", Map.of("ids", rejectedIds, "acceptedIds",
                rows.stream().filter(x -> x.get("status").asString().equals("accepted")).map(x -> x.get("id").asString()).toList()))
                .get(0).get("c").asInt(), "no rejected envelope left an audit node");
    }

    @Test
    void aBatchScoredInOneBlockedPassSelectsExactlyWhatSingleCallsSelect() {
        Random r = new Random(5);
        List<List<Double>> embeddings = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            embeddings.add(List.of(r.nextDouble(), r.nextDouble(), r.nextDouble(), 0.1 * r.nextDouble()));
        }
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            batch.add(envelope("blk-b" + i, "tool:blk", Map.of("embedding", embeddings.get(i))));
        }
        List<Record> together = integrate(batch, Map.of("clockMs", T + 9_000_000, "kMin", 5));
        // the same batch again, scored in growing chunks of 1, 2, 4, 4, …: the first on the calling thread, the rest on
        // the scoring thread while the first ones are written; and through the partitioned index
        List<Map<String, Object>> again = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            again.add(envelope("blk-c" + i, "tool:blk", Map.of("embedding", embeddings.get(i))));
        }
        List<Record> chunked = integrate(again, Map.of("clockMs", T + 9_000_000, "kMin", 5, "scoringChunk", 4,
                "scoringFirstChunk", 1, "retrieval", "partitioned", "partitionProbes", 100_000));
        for (int i = 0; i < 30; i++) {
            Record alone = integrate(List.of(envelope("blk-s" + i, "tool:blk", Map.of("embedding", embeddings.get(i)))),
                    Map.of("clockMs", T + 9_000_000, "kMin", 5)).get(0);
            assertFalse(selected(alone).isEmpty(), "envelope " + i + " selects something");
            assertEquals(selected(together.get(i)), selected(alone), "envelope " + i);
            assertEquals(selected(chunked.get(i)), selected(alone), "envelope " + i + ", chunked and partitioned");
        }
    }

    /** engine → [nodeId, similarity] of everything an envelope selected. */
    private static List<String> selected(Record row) {
        List<String> out = new ArrayList<>();
        row.get("engines").asList(Value::asMap).forEach(e -> ((List<?>) e.get("items")).forEach(item -> {
            Map<?, ?> m = (Map<?, ?>) item;
            out.add(e.get("engine") + "/" + m.get("nodeId") + "/" + String.format("%.6f", (Double) m.get("similarity")));
        }));
        out.sort(null);
        return out;
    }

    @Test
    void tickDeactivatesRepairsCountsAndPrunesOnlyWhatItShould() {
        integrate(List.of(envelope("tk-0", "tool:tick", Map.of("targetNodes", List.of("atlas-30", "atlas-31")))), Map.of());
        Record now = db.run("CALL membrane.tick({clockMs: $t})", Map.of("t", T + 1_000)).get(0);
        assertTrue(now.get("active").asLong() >= 2);
        Record later = db.run("CALL membrane.tick({clockMs: $t, auditRetentionMs: 1000000})", Map.of("t", T + 3_600_000)).get(0);
        assertTrue(later.get("deactivated").asLong() >= 2, later.toString());
        assertEquals(0, db.run("MATCH (e:Engine {id: 'atlas'}) RETURN e.activeCount AS c").get(0).get("c").asLong());
        assertTrue(later.get("pruned").asLong() > 0, "audit older than the retention is pruned");
    }
}
