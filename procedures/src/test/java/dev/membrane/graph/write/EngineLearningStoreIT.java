package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.physics.health.HealthModulation;
import dev.membrane.physics.health.HealthParams;
import dev.membrane.physics.health.HealthState;
import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import org.neo4j.graphdb.event.PropertyEntry;
import org.neo4j.graphdb.event.TransactionData;
import org.neo4j.graphdb.event.TransactionEventListenerAdapter;

import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine's health ring on a real Neo4j: stored in chunks, a call rewrites only the chunks its samples landed
 * in, and what is read back is exactly the ring the physics kept in memory.
 */
class EngineLearningStoreIT {
    private static final int WINDOW = 1_000; // the shipped healthWindow: 16 chunks of 64 samples, the last of 40
    private static final HealthModulation MODEL = new HealthModulation(new HealthParams(12, 0.5, 0.5, 1.5, 200, 50, WINDOW));

    private static MembraneHarness neo4j;
    private static GraphDatabaseService db;
    /** Properties of :Engine nodes set by the last committed transaction. */
    private static final Set<String> written = new TreeSet<>();

    @BeforeAll
    static void start() {
        neo4j = MembraneHarness.start("");
        db = neo4j.neo4j().defaultDatabaseService();
        neo4j.neo4j().databaseManagementService().registerTransactionEventListener(db.databaseName(),
                new TransactionEventListenerAdapter<Object>() {
                    @Override
                    public void afterCommit(TransactionData data, Object state, GraphDatabaseService database) {
                        synchronized (written) {
                            written.clear();
                            for (PropertyEntry<Node> p : data.assignedNodeProperties()) {
                                written.add(p.key());
                            }
                        }
                    }
                });
    }

    @AfterAll
    static void stop() {
        neo4j.close();
    }

    @Test
    void aCallRewritesOnlyTheChunksItsSamplesLandedInAndTheRingReadsBackExactly() {
        String id = engine("chunks");
        Random r = new Random(5);
        HealthState reference = HealthState.empty();
        // calls of 1, 30, 64, 200 samples, wrapping the ring twice; one call of more than a window rewrites everything
        int[] calls = {1, 30, 64, 200, 63, 1, 500, 7, 1_200, 3, 90};
        for (int n : calls) {
            long before = reference.count();
            HealthState expected = copy(reference); // what the store holds now (record() writes rings in place)
            for (int i = 0; i < n; i++) {
                reference = record(reference, r);
            }
            HealthState[] replay = {null};
            final HealthState target = reference;
            inCall(id, engine -> {
                HealthState read = EngineLearningStore.readHealth(engine);
                assertEquals(before, read.count());
                assertArrayEquals(expected.count() == 0 ? new float[0] : expected.samples(), read.samples(), "ring read back after " + before);
                // the call records the same samples the reference did, into the ring it read
                HealthState now = read;
                long from = read.count();
                for (long c = from; c < target.count(); c++) {
                    int slot = (int) (c % WINDOW) * HealthState.FIELDS;
                    float[] s = target.samples();
                    now = MODEL.record(now, s[slot], s[slot + 1], s[slot + 2], s[slot + 3]);
                }
                EngineLearningStore.writeHealth(engine, read, now);
                replay[0] = now;
                return null;
            });
            Set<String> chunks = new TreeSet<>();
            if (before == 0 || n >= WINDOW) {
                for (int c = 0; c < 16; c++) {
                    chunks.add("healthSamples_" + c);
                }
            } else {
                for (long c = before; c < before + n; c++) {
                    chunks.add("healthSamples_" + (c % WINDOW) / 64);
                }
            }
            Set<String> ringWrites = new TreeSet<>(written);
            ringWrites.removeIf(k -> !k.startsWith("healthSamples_"));
            assertEquals(chunks, ringWrites, "call of " + n + " samples after " + before);
            boolean refitted = replay[0].trainedAt() != expected.trainedAt();
            assertEquals(refitted, written.contains(GraphModel.HEALTH_FIT_RHO), "the fit is written when refitted only");
        }
        HealthState last = reference;
        inCall(id, engine -> {
            HealthState read = EngineLearningStore.readHealth(engine);
            assertArrayEquals(last.samples(), read.samples());
            assertEquals(last.count(), read.count());
            assertArrayEquals(last.fit().xs(), read.fit().xs());
            assertEquals(last.trainedAt(), read.trainedAt());
            return null;
        });
    }

    @Test
    void aRingStoredAsOneArrayIsReadAndReplacedByChunks() {
        String id = engine("legacy");
        float[] ring = new float[WINDOW * HealthState.FIELDS];
        for (int i = 0; i < ring.length; i++) {
            ring[i] = i;
        }
        inCall(id, engine -> {
            engine.setProperty(GraphModel.HEALTH_SAMPLES, ring);
            engine.setProperty(GraphModel.HEALTH_COUNT, 1_234L);
            return null;
        });
        inCall(id, engine -> {
            HealthState read = EngineLearningStore.readHealth(engine);
            assertArrayEquals(ring, read.samples());
            EngineLearningStore.writeHealth(engine, read, MODEL.record(read, 1, 2, 3, 4));
            return null;
        });
        inCall(id, engine -> {
            assertFalse(engine.hasProperty(GraphModel.HEALTH_SAMPLES), "the single array is gone");
            HealthState read = EngineLearningStore.readHealth(engine);
            assertEquals(1_235, read.count());
            float[] expected = ring.clone();
            int slot = 234 * HealthState.FIELDS;
            expected[slot] = 1;
            expected[slot + 1] = 2;
            expected[slot + 2] = 3;
            expected[slot + 3] = 4;
            assertArrayEquals(expected, read.samples());
            return null;
        });
    }

    @Test
    void aSmallerWindowDropsTheChunksItNoLongerUses() {
        String id = engine("shrink");
        inCall(id, engine -> {
            HealthState read = EngineLearningStore.readHealth(engine);
            EngineLearningStore.writeHealth(engine, read, MODEL.record(read, 1, 0, 0, 1));
            return null;
        });
        HealthModulation small = new HealthModulation(new HealthParams(12, 0.5, 0.5, 1.5, 200, 50, 100));
        inCall(id, engine -> {
            assertTrue(engine.hasProperty("healthSamples_15"));
            HealthState read = EngineLearningStore.readHealth(engine);
            EngineLearningStore.writeHealth(engine, read, small.record(read, 2, 0, 0, 1));
            return null;
        });
        inCall(id, engine -> {
            assertTrue(engine.hasProperty("healthSamples_1"), "100 samples: chunks 0 and 1");
            assertFalse(engine.hasProperty("healthSamples_2"));
            assertFalse(engine.hasProperty("healthSamples_15"));
            assertEquals(100 * HealthState.FIELDS, EngineLearningStore.readHealth(engine).samples().length);
            return null;
        });
    }

    private static HealthState record(HealthState s, Random r) {
        return MODEL.record(s, 3 * r.nextDouble(), r.nextDouble() * 0.05, r.nextDouble() * 2, r.nextDouble());
    }

    /** A state with a ring of its own: record() writes the ring in place. */
    private static HealthState copy(HealthState s) {
        return new HealthState(s.samples().clone(), s.count(), s.fit(), s.trainedAt());
    }

    private static String engine(String id) {
        neo4j.run("CREATE (:Engine {id: $id, level: 1, scope: 'personal'})", java.util.Map.of("id", id));
        return id;
    }

    private static void inCall(String id, Function<Node, Void> body) {
        try (Transaction tx = db.beginTx()) {
            body.apply(tx.findNode(GraphModel.ENGINE, GraphModel.ID, id));
            tx.commit();
        }
    }
}
