package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Concurrent {@code membrane.integrate} batches on the same hot nodes (docs/reliability.md): with a frozen clock (no
 * decay), energy is conserved — what the audit says was delivered equals what the nodes gained — and no node ends above
 * what gap capping allows, however the transactions interleave (deadlocks are retried by the driver).
 */
class ConcurrencyIT {
    private static final long T = 1_900_000_000_000L;
    private static final int NODES = 60;
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=4\n");
        db.run("CREATE (:Engine {id: 'hot', level: 1, scope: 'personal'}) WITH 1 AS one UNWIND range(0, $n - 1) AS i "
                + "CREATE (:Node {id: 'hot-' + i, engine: 'hot', threshold: 90.0, energy: 0.0, energy_at: $t})",
                Map.of("n", NODES, "t", T));
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void concurrentBatchesOnHotNodesConserveEnergy() throws Exception {
        int writers = 3;
        int batches = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<Integer>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                Random r = new Random(writer);
                int accepted = 0;
                try (Session s = db.driver().session()) {
                    for (int b = 0; b < batches; b++) {
                        List<Map<String, Object>> batch = new ArrayList<>();
                        for (int k = 0; k < 10; k++) {
                            Map<String, Object> e = new HashMap<>();
                            e.put("type", "membrane.inject");
                            e.put("id", "hot-" + writer + "-" + b + "-" + k);
                            e.put("scope", "personal");
                            e.put("source", "tool:writer-" + writer + "-" + k);
                            e.put("channel", "hot");
                            e.put("content", "hot nodes");
                            e.put("targetNodes", List.of("hot-" + r.nextInt(NODES), "hot-" + r.nextInt(NODES)).stream().distinct().toList());
                            batch.add(e);
                        }
                        List<Record> rows = s.executeWrite(tx -> tx.run("CALL membrane.integrate($b, {clockMs: $t})",
                                Map.of("b", batch, "t", T)).list());
                        accepted += (int) rows.stream().filter(x -> x.get("status").asString().equals("accepted")).count();
                    }
                }
                return accepted;
            }));
        }
        int accepted = 0;
        for (Future<Integer> f : done) {
            accepted += f.get();
        }
        pool.shutdown();
        assertEquals(writers * batches * 10, accepted);
        Record sums = db.run("""
                MATCH (s:Stimulus) WHERE s.id STARTS WITH 'hot-' WITH sum(s.delivered) AS delivered
                MATCH (n:Node {engine: 'hot'}) RETURN delivered, sum(n.energy) AS energy, max(n.energy) AS maxEnergy""").get(0);
        double delivered = sums.get("delivered").asDouble();
        double energy = sums.get("energy").asDouble();
        System.out.printf("hot nodes: %d envelopes from %d concurrent writers, delivered %.3f, energy gained %.3f (informational)%n",
                accepted, writers, delivered, energy);
        assertTrue(delivered > 0);
        assertEquals(delivered, energy, 1e-6, "Σ delivered in the audit = Σ energy gained (frozen clock, no decay)");
        assertTrue(sums.get("maxEnergy").asDouble() <= 90.0 + 1e-9, "gap capping holds under concurrency");
        Record audit = db.run("""
                MATCH (s:Stimulus)-[i:INJECTED]->(:Node {engine: 'hot'}) WHERE s.id STARTS WITH 'hot-'
                RETURN sum(i.deltaE) AS items""").get(0);
        assertEquals(delivered, audit.get("items").asDouble(), 1e-6, "and the per-node audit adds up to it");
    }
}
