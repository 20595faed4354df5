package dev.membrane.procedures;

import dev.membrane.protocol.EnvelopeField;
import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-level membrane (SPEC §7) and its litmus tests (SPEC §13) on a real Neo4j. Each test builds its own
 * world — an org engine and four citizens (felix, atlas, ada, iris) whose identity nodes support the org's
 * "citizen reanimation" node with fits 0.95, 0.9, 0.7, 0.6 — on its own axes of a 16-d space, so worlds do not
 * see each other's stimuli. No call below names a citizen: clients say scope and content only.
 */
class MembraneIT {
    private static final long T = 1_900_000_000_000L;
    private static final int DIMS = 16;
    private static final String[] CITIZENS = {"felix", "atlas", "ada", "iris"};
    private static final double[] FITS = {0.95, 0.9, 0.7, 0.6};
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=" + DIMS + "\n");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static List<Double> axis(int a, double... extra) {
        Double[] v = new Double[DIMS];
        Arrays.fill(v, 0.0);
        v[a] = 1.0;
        for (int i = 0; i + 1 < extra.length; i += 2) {
            v[(int) extra[i]] = extra[i + 1];
        }
        return Arrays.asList(v);
    }

    /** A world on axes b..b+3. */
    private static void world(String p, int b) {
        db.run("CREATE (:Engine {id: $p + 'acme', level: 2, scope: 'organizational'})", Map.of("p", p));
        db.run("CREATE (:Node {id: $p + 'acme:reanimation', engine: $p + 'acme', text: 'citizen reanimation pattern', embedding: $e})",
                Map.of("p", p, "e", axis(b)));
        db.run("CREATE (:Node {id: $p + 'acme:roadmap', engine: $p + 'acme', text: 'platform roadmap', embedding: $e})",
                Map.of("p", p, "e", axis(b + 1)));
        for (int i = 0; i < CITIZENS.length; i++) {
            db.run("""
                    MATCH (org:Engine {id: $p + 'acme'}), (r:Node {id: $p + 'acme:reanimation'})
                    CREATE (c:Engine {id: $p + $c, level: 1, scope: 'personal'})-[:MEMBRANE_TO]->(org)
                    CREATE (n:Node {id: $p + $c + ':identity', engine: $p + $c, text: $c + ' identity', embedding: $e})
                    CREATE (n)-[:SUPPORTS {fit: $fit}]->(r)""",
                    Map.of("p", p, "c", CITIZENS[i], "fit", FITS[i], "e", axis(b, b + 2, 0.1 * (i + 1))));
        }
    }

    /** An org-scope envelope on world b's reanimation axis, from that world's own operator (sources are learned). */
    private static Record org(String id, int b, long clock, Map<String, Object> config) {
        Map<String, Object> e = new HashMap<>();
        e.put("type", "membrane.inject");
        e.put("id", id);
        e.put("scope", "organizational");
        e.put("source", "ui:operator-" + b);
        e.put("channel", "ops");
        e.put("content", "Resurrect all citizens");
        e.put("embedding", axis(b, b + 3, 0.05));
        Map<String, Object> c = new HashMap<>(config);
        c.put("clockMs", clock);
        return db.run("CALL membrane.integrate([$e], $c)", Map.of("e", e, "c", c)).get(0);
    }

    private static List<Map<String, Object>> transfers(Record r) {
        return r.get("transfers").asList(Value::asMap);
    }

    private static List<String> targets(Record r, String p) {
        return transfers(r).stream().map(t -> ((String) t.get("to")).substring(p.length())).toList();
    }

    private static Map<String, Record> membranes(String p) {
        Map<String, Record> out = new HashMap<>();
        db.run("CALL membrane.membranes()").forEach(r -> {
            if (r.get("from").asString().startsWith(p)) {
                out.put(r.get("from").asString().substring(p.length()), r);
            }
        });
        return out;
    }

    @Test
    void resurrectAllCitizensFansOutToTheBestFittedAndARepeatRoutesByLearnedKappa() {
        String p = "r_";
        world(p, 0);
        Record first = org("res-1", 0, T, Map.of());
        assertEquals(List.of(p + "acme"), first.get("engines").asList(v -> v.get("engine").asString()), "the org engine selected itself");
        assertEquals(List.of("felix", "atlas", "ada"), targets(first, p), "the three best by fit · κ↓ · urgency");
        Map<String, Object> felix = transfers(first).get(0);
        assertEquals(0.855, (double) felix.get("score"), 1e-9, "litmus 6: novel, well fitted, trusted: full ΔE through every gate");
        assertTrue(((Number) felix.get("flips")).longValue() >= 1, "the mission flipped felix's identity node");
        assertEquals(List.of(), ((List<?>) felix.get("transfers")), "what came down does not go straight back up");
        assertTrue(((Number) membranes(p).get("felix").get("rejections").asMap().getOrDefault("ledger_block", 0L)).longValue() >= 1);

        // outcomes: felix's missions keep failing, ada's succeed
        String felixTransfer = (String) felix.get("transferId");
        String adaTransfer = (String) transfers(first).get(2).get("transferId");
        for (int i = 0; i < 20; i++) {
            db.run("CALL membrane.outcome({transferId: $t, outcome: -1.0})", Map.of("t", felixTransfer));
            db.run("CALL membrane.outcome({transferId: $t, outcome: 1.0})", Map.of("t", adaTransfer));
        }
        Map<String, Record> ms = membranes(p);
        assertTrue(ms.get("felix").get("kappaDown").asDouble() < 0.2, "felix κ↓ " + ms.get("felix").get("kappaDown"));
        assertTrue(ms.get("ada").get("kappaDown").asDouble() > 0.9);
        assertEquals(0.9, ms.get("atlas").get("kappaDown").asDouble(), 1e-12, "no outcome, no change");

        Record repeat = org("res-2", 0, T + 40 * 60_000, Map.of());
        List<String> again = targets(repeat, p);
        assertEquals(3, again.size());
        assertEquals(List.of("atlas", "ada", "iris"), again,
                "routing follows the learned κ: felix 0.95 · κ↓ < 0.2 falls behind iris 0.6 · 0.9");
    }

    @Test
    void downwardMissionsHappenOnlyAfterAnL2FlipAndKappaMovesOnlyWithOutcomes() {
        String p = "l2_";
        world(p, 4);
        Record none = db.run("""
                CALL membrane.integrate([{type: 'membrane.inject', id: 'l2-quiet', scope: 'organizational', source: 'ui:operator',
                  channel: 'ops', content: 'roadmap', embedding: $e}], {clockMs: $t, budgetGain: 0.01})""",
                Map.of("e", axis(5), "t", T)).get(0);
        assertEquals(0, none.get("flips").asLong());
        assertEquals(List.of(), transfers(none), "an L2 stimulus that flips nothing transfers nothing");

        org("l2-go", 4, T, Map.of());
        List<Record> events = db.run("CALL membrane.events(-1, 10000) YIELD seq, type, stimulusId, engine WHERE stimulusId = 'l2-go' "
                + "RETURN seq, type, engine ORDER BY seq");
        long flipped = events.stream().filter(e -> e.get("type").asString().equals("node.flipped")
                && e.get("engine").asString().equals(p + "acme")).mapToLong(e -> e.get("seq").asLong()).min().orElseThrow();
        long down = events.stream().filter(e -> e.get("type").asString().equals("membrane.transfer.down"))
                .mapToLong(e -> e.get("seq").asLong()).min().orElseThrow();
        assertTrue(flipped < down, "node.flipped (L2) precedes membrane.transfer.down");

        for (int i = 1; i <= 5; i++) { // many transfers, no outcomes
            org("l2-more-" + i, 4, T + i * 40 * 60_000L, Map.of());
        }
        membranes(p).values().forEach(m -> {
            assertEquals(0.9, m.get("kappaDown").asDouble(), 1e-12, "κ unchanged without outcomes");
            assertEquals(0.5, m.get("kappaUp").asDouble(), 1e-12);
        });
        assertTrue(membranes(p).get("felix").get("transfers").asLong() >= 6);
    }

    @Test
    void aFeedbackLoopSettles() {
        String p = "pp_";
        world(p, 8);
        // the client answers every mission with an org stimulus of the same content, once a second, 1000 times
        int transfersFirst = 0;
        int transfersLate = 0;
        for (int i = 0; i < 1000; i++) {
            Record r = org("pp-" + i, 8, T + i * 1_000L, Map.of());
            int n = transfers(r).size();
            transfersFirst += i < 10 ? n : 0;
            transfersLate += i >= 100 ? n : 0;
        }
        assertEquals(3, transfersFirst, "the first stimulus fans out once");
        assertEquals(0, transfersLate, "transfers per stimulus fall to 0: the echoes refresh the still-active org node");
        // once the org node has decayed and flips again, within the ledger's cooldown, the defences refuse the echo
        Record late = org("pp-late", 8, T + 1_300_000, Map.of());
        assertTrue(late.get("flips").asLong() >= 1, "the org node flipped again");
        List<String> reached = targets(late, p);
        assertTrue(reached.stream().noneMatch(List.of("felix", "atlas", "ada")::contains),
                "no citizen gets the same mission twice within the cooldown: " + reached);
        Map<String, Object> rejections = membranes(p).get("felix").get("rejections").asMap();
        assertFalse(rejections.isEmpty(), "the defences show: " + rejections);
        System.out.println("ping-pong rejections at felix>acme: " + rejections + " (informational)");
    }

    @Test
    void noveltySpamIsRejectedAtTheMembrane() {
        String p = "sp_";
        world(p, 12);
        db.run("""
                MATCH (r:Node {id: $p + 'acme:reanimation'})
                UNWIND range(1, 40) AS i
                CREATE (d:Node {id: $p + 'acme:dup' + i, engine: $p + 'acme', text: 'citizen reanimation pattern ' + i,
                                embedding: [x IN range(0, 15) | CASE WHEN x = 12 THEN 1.0 WHEN x = 13 THEN 0.001 * i ELSE 0.0 END]})
                WITH d
                MATCH (c:Node) WHERE c.id STARTS WITH $p AND c.id ENDS WITH ':identity'
                MATCH (c)-[s:SUPPORTS]->(:Node {id: $p + 'acme:reanimation'})
                CREATE (c)-[:SUPPORTS {fit: s.fit}]->(d)""", Map.of("p", p));
        for (int i = 0; i < 30; i++) {
            org("sp-" + i, 12, T + i * 1_000L, Map.of());
        }
        long passed = 0;
        long rejected = 0;
        for (Record m : membranes(p).values()) {
            passed += m.get("transfers").asLong();
            for (Object v : m.get("rejections").asMap().values()) {
                rejected += ((Number) v).longValue();
            }
        }
        double share = (double) rejected / (rejected + passed);
        assertTrue(share > 0.95, "rejected share " + share + " (" + rejected + " rejected, " + passed + " passed)");
    }

    @Test
    void aCitizenFlipAlignedUpwardCrossesUpOnceAndNotBack() {
        String p = "up_";
        world(p, 4 + 2);
        Map<String, Object> e = new HashMap<>();
        e.put("type", "membrane.inject");
        e.put("id", "up-1");
        e.put("scope", "personal");
        e.put("source", "tool:up");
        e.put("channel", "work");
        e.put("content", "felix identity");
        e.put("embedding", axis(0, 2, 0.1));
        e.put("features", Map.of("novelty", 1.0, "urgency", 1.0, "uncertainty", 0.0));
        e.put("targetNodes", List.of(p + "felix:identity"));
        Record r = db.run("CALL membrane.integrate([$e], {clockMs: $t})", Map.of("e", e, "t", T)).get(0);
        List<Map<String, Object>> up = transfers(r);
        assertEquals(1, up.size(), up.toString());
        assertEquals("up", up.get(0).get("direction"));
        assertEquals(p + "acme", up.get(0).get("to"), "the aligned upper node's engine");
        // SPEC §7.2: sat(0)·trust 0.5·(1 − 0)·(1 − 0)·(0.5·1 + 0.3·1 + 0.2·0.5)·κ↑ 0.5
        assertEquals(0.5 * 0.9 * 0.5, (double) up.get(0).get("score"), 1e-9);
        assertEquals(1, membranes(p).get("felix").get("transfers").asLong());
    }

    @Test
    void noClientApiTakesARoutingCitizenId() {
        List<String> fields = Arrays.stream(EnvelopeField.values()).map(EnvelopeField::wire).toList();
        assertTrue(fields.stream().noneMatch(f -> f.toLowerCase().contains("citizen") || f.toLowerCase().contains("engine")), fields.toString());
        String signature = db.run("SHOW PROCEDURES YIELD name, signature WHERE name = 'membrane.integrate' RETURN signature")
                .get(0).get("signature").asString();
        assertEquals("membrane.integrate(envelopes :: LIST<ANY>, config = {} :: MAP) :: (id :: STRING, status :: STRING, "
                + "reason :: STRING, engines :: LIST<MAP>, delivered :: FLOAT, flips :: INTEGER, transfers :: LIST<MAP>)", signature);
        // provenance may carry citizen_id: it never routes
        String p = "pv_";
        db.run("CREATE (:Engine {id: 'pv_ada', scope: 'personal'}) CREATE (:Node {id: 'pv_ada-0', engine: 'pv_ada', embedding: $e})",
                Map.of("e", axis(15)));
        db.run("CREATE (:Engine {id: 'pv_felix', scope: 'personal'}) CREATE (:Node {id: 'pv_felix-0', engine: 'pv_felix', embedding: $e})",
                Map.of("e", axis(14)));
        Record r = db.run("""
                CALL membrane.integrate([{type: 'membrane.inject', id: 'pv-1', scope: 'personal', source: 'ui:x', channel: 'x',
                  content: 'x', embedding: $e, provenance: {citizen_id: 'pv_felix'}}], {clockMs: $t})""",
                Map.of("e", axis(15), "t", T)).get(0);
        assertEquals(List.of(p + "ada"), r.get("engines").asList(v -> v.get("engine").asString()),
                "the stimulus goes where its content matches, not where provenance points");
    }
}
