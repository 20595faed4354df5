package dev.membrane.procedures;

import dev.membrane.protocol.EnvelopeField;
import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cross-level membrane (SPEC §7) and its litmus tests (SPEC §13) on a real Neo4j over Bolt, at the shipped
 * defaults. Each test builds its own world in a 64-d space from its own seed: an org engine whose "citizen
 * reanimation" pattern R is supported by the identity nodes of felix, atlas, ada and iris (fits 0.95, 0.9, 0.7, 0.6),
 * and a fifth citizen, zed, with no alignment at all but a node whose text and vector are close to R.
 * <p>
 * The geometry is what a real world looks like, not what makes the membrane's job easy: every aligned citizen node
 * has its own random direction, far from R (|cos| < 0.35, asserted), so retrieval by the org's content would never
 * find it; the only citizen whose content resembles R is the one the organisation is not aligned with. A mission can
 * therefore succeed only by structure (alignment edges, fit × κ), never by similarity. No call below names a citizen.
 */
class MembraneIT {
    private static final long T = 1_900_000_000_000L;
    private static final int DIMS = 64;
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

    /** A world's vectors, from its seed. */
    private record World(String p, Random random, List<Double> pattern) {
        List<Double> randomUnit() {
            double[] v = new double[DIMS];
            for (int i = 0; i < DIMS; i++) {
                v[i] = random.nextGaussian();
            }
            return unit(v);
        }

        /** The pattern plus noise of the given size: cos to R ≈ 1/sqrt(1 + noise²). */
        List<Double> near(double noise) {
            List<Double> n = randomUnit();
            double[] v = new double[DIMS];
            for (int i = 0; i < DIMS; i++) {
                v[i] = pattern.get(i) + noise * n.get(i);
            }
            return unit(v);
        }
    }

    static List<Double> unit(double[] v) {
        double norm = Math.sqrt(Arrays.stream(v).map(x -> x * x).sum());
        return Arrays.stream(v).map(x -> x / norm).boxed().toList();
    }

    static double cos(List<Double> a, List<Double> b) {
        double dot = 0;
        for (int i = 0; i < a.size(); i++) {
            dot += a.get(i) * b.get(i);
        }
        return dot;
    }

    private static World world(String p, long seed) {
        Random r = new Random(seed);
        World w = new World(p, r, null);
        w = new World(p, r, w.randomUnit());
        db.run("CREATE (:Engine {id: $p + 'acme', level: 2, scope: 'organizational'})", Map.of("p", p));
        db.run("CREATE (:Node {id: $p + 'acme:reanimation', engine: $p + 'acme', text: 'citizen reanimation pattern', embedding: $e})",
                Map.of("p", p, "e", w.pattern()));
        db.run("CREATE (:Node {id: $p + 'acme:roadmap', engine: $p + 'acme', text: 'platform roadmap', embedding: $e})",
                Map.of("p", p, "e", w.randomUnit()));
        for (int i = 0; i < CITIZENS.length; i++) {
            List<Double> identity = w.randomUnit();
            assertTrue(Math.abs(cos(identity, w.pattern())) < 0.35, "aligned nodes are far from the org pattern");
            db.run("""
                    MATCH (org:Engine {id: $p + 'acme'}), (r:Node {id: $p + 'acme:reanimation'})
                    CREATE (c:Engine {id: $p + $c, level: 1, scope: 'personal'})-[:MEMBRANE_TO]->(org)
                    CREATE (n:Node {id: $p + $c + ':identity', engine: $p + $c, text: $c + ' at work', embedding: $e})
                    CREATE (n)-[:SUPPORTS {fit: $fit}]->(r)
                    WITH c UNWIND range(1, 3) AS k
                    CREATE (:Node {id: $p + $c + ':topic' + k, engine: $p + $c, text: $c + ' topic ' + k})""",
                    Map.of("p", p, "c", CITIZENS[i], "fit", FITS[i], "e", identity));
        }
        db.run("""
                MATCH (org:Engine {id: $p + 'acme'})
                CREATE (c:Engine {id: $p + 'zed', level: 1, scope: 'personal'})-[:MEMBRANE_TO]->(org)
                CREATE (:Node {id: $p + 'zed:fan', engine: $p + 'zed', text: 'reanimation of dormant citizens, the pattern', embedding: $e})""",
                Map.of("p", p, "e", w.near(0.3)));
        return w;
    }

    /** An org-scope envelope close to world w's pattern, from that world's own operator (sources are learned). */
    private static Record org(String id, World w, long clock) {
        return integrate(envelope(id, "organizational", "ui:operator-" + w.p().replace("_", ""), "Resurrect all citizens",
                Map.of("embedding", w.near(0.2))), clock);
    }

    private static Map<String, Object> envelope(String id, String scope, String source, String content, Map<String, Object> extra) {
        Map<String, Object> e = new HashMap<>(extra);
        e.put("type", "membrane.inject");
        e.put("id", id);
        e.put("scope", scope);
        e.put("source", source);
        e.put("channel", "ops");
        e.put("content", content);
        return e;
    }

    private static Record integrate(Map<String, Object> envelope, long clock) {
        return db.run("CALL membrane.integrate([$e], {clockMs: $t})", Map.of("e", envelope, "t", clock)).get(0);
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

    private static double energy(String nodeId) {
        return db.run("MATCH (n:Node {id: $id}) RETURN coalesce(n.energy, 0.0) AS e", Map.of("id", nodeId)).get(0).get("e").asDouble();
    }

    private static double energyOf(String enginePrefix) {
        return db.run("MATCH (n:Node) WHERE n.engine = $e RETURN sum(coalesce(n.energy, 0.0)) AS e", Map.of("e", enginePrefix))
                .get(0).get("e").asDouble();
    }

    /**
     * Litmus §13.7 (Resurrect), the holdout-style scenario: in a dormant world one organisational stimulus flips the
     * org's reanimation pattern; through missions alone, the aligned node of each of the three best-fitted citizens
     * flips although its vector is far from the pattern; iris (4th) gets no mission, and zed — whose content
     * resembles the pattern but who is not aligned — stays dormant. Transfers record what their missions delivered.
     */
    @Test
    void resurrectWakesTheAlignedNodesOfTheBestFittedCitizensAndNoOther() {
        String p = "r_";
        World w = world(p, 11);
        Record first = org("res-1", w, T);
        assertEquals(List.of(p + "acme"), first.get("engines").asList(v -> v.get("engine").asString()), "the org engine selected itself");
        assertEquals(List.of("felix", "atlas", "ada"), targets(first, p), "the three best by fit · κ↓ · urgency");
        for (Map<String, Object> t : transfers(first)) {
            String citizen = ((String) t.get("to")).substring(p.length());
            String aligned = p + citizen + ":identity";
            assertEquals(List.of(aligned), t.get("targetNodes"), "the mission is aimed at the aligned node");
            assertEquals("delivered", t.get("status"), citizen);
            assertTrue(((Number) t.get("flips")).longValue() >= 1, citizen + "'s aligned node flipped: " + t);
            assertTrue(energy(aligned) >= 30.0, citizen + " is awake: " + energy(aligned));
            Record stored = db.run("MATCH (x:Transfer {id: $id})-[:CARRIED]->(s:Stimulus)-[i:INJECTED]->(n:Node) "
                    + "RETURN x.status AS status, x.delivered AS delivered, x.flips AS flips, collect(n.id) AS reached, "
                    + "collect(i.similarity) AS sims", Map.of("id", t.get("transferId"))).get(0);
            assertEquals("delivered", stored.get("status").asString());
            assertEquals((double) t.get("delivered"), stored.get("delivered").asDouble(), 1e-9, "the transfer records what happened");
            assertEquals(List.of(aligned), stored.get("reached").asList(Value::asString));
            assertEquals(FITS[Arrays.asList(CITIZENS).indexOf(citizen)], stored.get("sims").get(0).asDouble(), 1e-9, "similarity = fit");
        }
        assertEquals(0.855, (double) transfers(first).get(0).get("score"), 1e-9, "a fresh membrane, fit 0.95: ΔE↓ = 0.855");
        assertEquals(0.0, energyOf(p + "iris"), "iris (4th by fit) got no mission");
        assertEquals(0.0, energyOf(p + "zed"), "zed resembles the pattern but is not aligned: dormant");
        assertEquals(List.of(), (List<?>) transfers(first).get(0).get("transfers"), "what came down does not go straight back up");
        assertTrue(((Number) membranes(p).get("felix").get("rejections").asMap().getOrDefault("ledger_block", 0L)).longValue() >= 1);
        assertEquals(1, membranes(p).get("felix").get("transfers").asLong());
        assertEquals(1.0, membranes(p).get("felix").get("flow").asDouble(), 1e-9, "a delivered transfer adds flow");

        // outcomes: felix's missions keep failing, ada's succeed; the causing source learns from them too
        String felixTransfer = (String) transfers(first).get(0).get("transferId");
        String adaTransfer = (String) transfers(first).get(2).get("transferId");
        String operator = "ui:operator-r";
        double utilityBefore = source(operator).get("utility").asDouble();
        for (int i = 0; i < 20; i++) {
            db.run("CALL membrane.outcome({transferId: $t, outcome: -1.0})", Map.of("t", felixTransfer));
            db.run("CALL membrane.outcome({transferId: $t, outcome: 1.0})", Map.of("t", adaTransfer));
        }
        Map<String, Record> ms = membranes(p);
        assertTrue(ms.get("felix").get("kappaDown").asDouble() < 0.2, "felix κ↓ " + ms.get("felix").get("kappaDown"));
        assertTrue(ms.get("ada").get("kappaDown").asDouble() > 0.9);
        assertEquals(0.9, ms.get("atlas").get("kappaDown").asDouble(), 1e-12, "no outcome, no change");
        Record src = source(operator);
        assertTrue(src.get("harm").asDouble() > 0.3, "useless missions taught the causing source harm: " + src);
        assertTrue(src.get("utility").asDouble() > utilityBefore, "useful ones utility: " + src);

        Record repeat = org("res-2", w, T + 40 * 60_000);
        assertEquals(List.of("atlas", "ada", "iris"), targets(repeat, p),
                "routing follows the learned κ: felix 0.95 · κ↓ < 0.2 falls behind iris 0.6 · 0.9");
        Map<String, Object> iris = transfers(repeat).get(2);
        assertEquals("delivered", iris.get("status"), iris.toString());
        assertEquals(0.6 * 0.9 * (1 - 0.5 * source(operator).get("harm").asDouble()), (double) iris.get("score"), 1e-9,
                "the operator's harm, learned from felix's useless missions, weakens its next missions");
    }

    private static Record source(String id) {
        return db.run("CALL membrane.sources() YIELD id, trust, utility, harm WHERE id = $id RETURN trust, utility, harm",
                Map.of("id", id)).get(0);
    }

    /** SPEC §7.1 step 6: a mission that delivers nothing is an absorbed transfer: no flow, no export, no κ learning. */
    @Test
    void aMissionThatDeliversNothingIsAbsorbedAndTeachesNothing() {
        String p = "ab_";
        World w = world(p, 12);
        db.run("MATCH (n:Node {id: $id}) SET n.energy = 60.0, n.energy_at = $t", Map.of("id", p + "atlas:identity", "t", T));
        Record r = org("ab-1", w, T);
        Map<String, Object> atlas = transfers(r).stream().filter(t -> t.get("to").equals(p + "atlas")).findFirst().orElseThrow();
        assertEquals("absorbed", atlas.get("status"), "atlas's aligned node was already full");
        assertEquals(0.0, (double) atlas.get("delivered"));
        Record m = membranes(p).get("atlas");
        assertEquals(0, m.get("transfers").asLong(), "no delivered transfer");
        assertEquals(1, m.get("absorbed").asLong());
        assertEquals(0.0, m.get("flow").asDouble(), 1e-12, "an absorbed transfer adds no flow");
        assertEquals(List.of(), m.get("recent").asList(), "and is no export for the frontier");
        assertEquals("absorbed", db.run("MATCH (x:Transfer {id: $id}) RETURN x.status AS s", Map.of("id", atlas.get("transferId")))
                .get(0).get("s").asString());
        Record o = db.run("CALL membrane.outcome({transferId: $t, outcome: 1.0})", Map.of("t", atlas.get("transferId"))).get(0);
        assertEquals("error", o.get("status").asString());
        assertTrue(o.get("reason").asString().contains("absorbed"), o.get("reason").asString());
        assertEquals(0.9, membranes(p).get("atlas").get("kappaDown").asDouble(), 1e-12, "κ unchanged");
        assertEquals(1, membranes(p).get("felix").get("transfers").asLong(), "the others delivered");

        Record once = db.run("CALL membrane.outcome({transferId: $t, outcome: 1.0, outcomeId: 'ab-o-1'})",
                Map.of("t", transfers(r).get(0).get("transferId"))).get(0);
        Record twice = db.run("CALL membrane.outcome({transferId: $t, outcome: 1.0, outcomeId: 'ab-o-1'})",
                Map.of("t", transfers(r).get(0).get("transferId"))).get(0);
        assertEquals("updated", once.get("status").asString());
        assertEquals("duplicate", twice.get("status").asString());
        assertEquals(once.get("kappa").asDouble(), membranes(p).get("felix").get("kappaDown").asDouble(), 1e-12, "counted once");
    }

    /** Litmus §13.2 and §13.3. */
    @Test
    void downwardMissionsHappenOnlyAfterAnL2FlipAndKappaMovesOnlyWithOutcomes() {
        String p = "l2_";
        World w = world(p, 13);
        Record none = integrate(envelope("l2-quiet", "organizational", "ui:operator", "something no org node is about",
                Map.of("embedding", w.randomUnit())), T);
        assertEquals(0, none.get("flips").asLong());
        assertEquals(List.of(), transfers(none), "an L2 stimulus that flips nothing transfers nothing");

        org("l2-go", w, T);
        List<Record> events = db.run("CALL membrane.events(-1, 10000) YIELD seq, type, stimulusId, engine WHERE stimulusId = 'l2-go' "
                + "RETURN seq, type, engine ORDER BY seq");
        long flipped = events.stream().filter(e -> e.get("type").asString().equals("node.flipped")
                && e.get("engine").asString().equals(p + "acme")).mapToLong(e -> e.get("seq").asLong()).min().orElseThrow();
        long down = events.stream().filter(e -> e.get("type").asString().equals("membrane.transfer.down"))
                .mapToLong(e -> e.get("seq").asLong()).min().orElseThrow();
        assertTrue(flipped < down, "node.flipped (L2) precedes membrane.transfer.down");

        for (int i = 1; i <= 5; i++) { // many transfers, no outcomes
            org("l2-more-" + i, w, T + i * 40 * 60_000L);
        }
        membranes(p).values().forEach(m -> {
            assertEquals(0.9, m.get("kappaDown").asDouble(), 1e-12, "κ unchanged without outcomes");
            assertEquals(0.5, m.get("kappaUp").asDouble(), 1e-12);
        });
        assertTrue(membranes(p).get("felix").get("transfers").asLong() >= 6);
    }

    /**
     * Litmus §13.4: the client answers every mission with an org stimulus of the same content, once a second, 1000
     * times. Crossings happen (the first fans out and wakes citizens), then transfers per stimulus fall to 0.
     */
    @Test
    void aFeedbackLoopSettles() {
        String p = "pp_";
        World w = world(p, 14);
        int transfersFirst = 0;
        int transfersLate = 0;
        long missionFlips = 0;
        for (int i = 0; i < 1000; i++) {
            Record r = org("pp-" + i, w, T + i * 1_000L);
            List<Map<String, Object>> ts = transfers(r);
            transfersFirst += i < 10 ? ts.size() : 0;
            transfersLate += i >= 100 ? ts.size() : 0;
            missionFlips += i < 10 ? ts.stream().mapToLong(t -> ((Number) t.get("flips")).longValue()).sum() : 0;
        }
        assertEquals(3, transfersFirst, "the first stimulus fans out once");
        assertEquals(3, missionFlips, "and its missions wake the three aligned nodes");
        assertEquals(0, transfersLate, "transfers per stimulus fall to 0: the echoes refresh the still-active org node");
        // once the org node has decayed and flips again, within the ledger's cooldown, the defences refuse the echo
        Record late = org("pp-late", w, T + 1_300_000);
        assertTrue(late.get("flips").asLong() >= 1, "the org node flipped again");
        List<String> reached = targets(late, p);
        assertTrue(reached.stream().noneMatch(List.of("felix", "atlas", "ada")::contains),
                "no citizen gets the same mission twice within the cooldown: " + reached);
        Map<String, Object> rejections = membranes(p).get("felix").get("rejections").asMap();
        assertFalse(rejections.isEmpty(), "the defences show: " + rejections);
        System.out.println("ping-pong rejections at felix>acme: " + rejections + " (informational)");
    }

    /** An attacker clones the org pattern into 40 near-identical nodes, all aligned: the defences refuse the flood. */
    @Test
    void noveltySpamIsRejectedAtTheMembrane() {
        String p = "sp_";
        World w = world(p, 15);
        List<List<Double>> clones = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            clones.add(w.near(0.01));
        }
        db.run("""
                UNWIND range(0, size($clones) - 1) AS i
                CREATE (d:Node {id: $p + 'acme:dup' + i, engine: $p + 'acme', text: 'citizen reanimation pattern ' + i,
                                embedding: $clones[i]})
                WITH d
                MATCH (c:Node) WHERE c.id STARTS WITH $p AND c.id ENDS WITH ':identity'
                MATCH (c)-[s:SUPPORTS]->(:Node {id: $p + 'acme:reanimation'})
                CREATE (c)-[:SUPPORTS {fit: s.fit}]->(d)""", Map.of("p", p, "clones", clones));
        for (int i = 0; i < 30; i++) {
            org("sp-" + i, w, T + i * 1_000L);
        }
        long passed = 0;
        long rejected = 0;
        for (Record m : membranes(p).values()) {
            passed += m.get("transfers").asLong() + m.get("absorbed").asLong();
            for (Object v : m.get("rejections").asMap().values()) {
                rejected += ((Number) v).longValue();
            }
        }
        double share = (double) rejected / (rejected + passed);
        System.out.printf("novelty spam: %d crossings passed, %d rejected (%.3f)%n", passed, rejected, share);
        assertTrue(share > 0.95, "rejected share " + share + " (" + rejected + " rejected, " + passed + " passed)");
    }

    /** SPEC §7.2: an upward mission is aimed at the aligned upper node, not at whatever the content resembles. */
    @Test
    void aCitizenFlipAlignedUpwardCrossesUpOnceToTheAlignedNodeAndNotBack() {
        String p = "up_";
        World w = world(p, 16);
        Record r = integrate(envelope("up-1", "personal", "tool:up", "felix at work", Map.of(
                "features", Map.of("novelty", 1.0, "urgency", 1.0, "uncertainty", 0.0),
                "targetNodes", List.of(p + "felix:identity"))), T);
        List<Map<String, Object>> up = transfers(r);
        assertEquals(1, up.size(), up.toString());
        assertEquals("up", up.get(0).get("direction"));
        assertEquals(p + "acme", up.get(0).get("to"), "the aligned upper node's engine");
        assertEquals(List.of(p + "acme:reanimation"), up.get(0).get("targetNodes"));
        // SPEC §7.2: sat(0)·trust 0.5·(1 − 0)·(1 − 0)·(0.5·1 + 0.3·1 + 0.2·0.5)·κ↑ 0.5
        assertEquals(0.5 * 0.9 * 0.5, (double) up.get(0).get("score"), 1e-9);
        assertEquals("delivered", up.get(0).get("status"));
        List<String> reached = db.run("MATCH (:Transfer {id: $id})-[:CARRIED]->(:Stimulus)-[:INJECTED]->(n) RETURN collect(n.id) AS ids",
                Map.of("id", up.get(0).get("transferId"))).get(0).get("ids").asList(Value::asString);
        assertEquals(List.of(p + "acme:reanimation"), reached, "energy went to the aligned node only");
        assertEquals(1, membranes(p).get("felix").get("transfers").asLong());
        assertEquals(List.of(), (List<?>) up.get(0).get("transfers"), "nothing comes straight back down");
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
        World w = world("pvw_", 17);
        List<Double> adaVector = w.randomUnit();
        db.run("CREATE (:Engine {id: 'pv_ada', scope: 'personal'}) CREATE (:Node {id: 'pv_ada-0', engine: 'pv_ada', embedding: $e})",
                Map.of("e", adaVector));
        db.run("CREATE (:Engine {id: 'pv_felix', scope: 'personal'}) CREATE (:Node {id: 'pv_felix-0', engine: 'pv_felix', embedding: $e})",
                Map.of("e", w.randomUnit()));
        Record r = db.run("""
                CALL membrane.integrate([{type: 'membrane.inject', id: 'pv-1', scope: 'personal', source: 'ui:x', channel: 'x',
                  content: 'x', embedding: $e, provenance: {citizen_id: 'pv_felix'}}], {clockMs: $t})""",
                Map.of("e", adaVector, "t", T)).get(0);
        assertEquals(List.of(p + "ada"), r.get("engines").asList(v -> v.get("engine").asString()),
                "the stimulus goes where its content matches, not where provenance points");
    }
}
