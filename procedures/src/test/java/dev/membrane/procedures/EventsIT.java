package dev.membrane.procedures;

import dev.membrane.testing.MembraneHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Transaction;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §9 on a real Neo4j over Bolt: events become visible only after their transaction commits, never after a
 * rollback, with strictly increasing sequence numbers — including for explicit Bolt transactions, whose COMMIT
 * may run on another worker thread than the procedure call.
 */
class EventsIT {
    private static MembraneHarness db;

    @BeforeAll
    static void start() {
        db = MembraneHarness.startWithSchema("membrane.embeddingDimensions=4\n");
        db.run("""
                CREATE (:Engine {id: 'ev'})
                CREATE (:Node {id: 'ev-a', engine: 'ev', embedding: [1.0, 0.0, 0.0, 0.0]})
                CREATE (:Node {id: 'ev-b', engine: 'ev', embedding: [0.0, 1.0, 0.0, 0.0]})
                CREATE (:Node {id: 'ev-c', engine: 'ev', embedding: [0.0, 0.0, 1.0, 0.0]})""");
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static List<Record> eventsAfter(long seq) {
        return db.run("CALL membrane.events($since, 1000)", Map.of("since", seq));
    }

    private static long lastSeq() {
        List<Record> all = db.run("CALL membrane.events(-1, 10000)");
        return all.isEmpty() ? -1 : all.get(all.size() - 1).get("seq").asLong();
    }

    @Test
    void theFirstInjectionsEventsAppearInOrderAfterCommit() {
        long before = lastSeq();
        db.run("CALL membrane.inject('ev', {id: 'ev-s1', embedding: [1.0, 0.0, 0.0, 0.0]})");
        List<Record> events = before < 0 ? db.run("CALL membrane.events(-1, 1000)") : eventsAfter(before);
        List<String> mine = events.stream().filter(r -> "ev-s1".equals(r.get("stimulusId").asString(null)))
                .map(r -> r.get("type").asString()).toList();
        assertEquals(List.of("stimulus.injected", "stimulus.item_injected", "node.flipped"), mine);
        Record summary = events.stream().filter(r -> r.get("type").asString().equals("stimulus.injected")
                && "ev-s1".equals(r.get("stimulusId").asString(null))).findFirst().orElseThrow();
        assertEquals("ev", summary.get("engine").asString());
        assertEquals(1, summary.get("payload").get("flips").asInt());
        assertEquals("tool:membrane.inject", summary.get("payload").get("source").asString());
        long prev = Long.MIN_VALUE;
        for (Record r : events) {
            assertTrue(r.get("seq").asLong() > prev, "strictly increasing");
            prev = r.get("seq").asLong();
        }
    }

    @Test
    void anExplicitTransactionsEventsAppearOnlyAfterCommitAndNeverAfterRollback() {
        long start = lastSeq();
        try (Session s = db.driver().session()) {
            try (Transaction tx = s.beginTransaction()) {
                tx.run("CALL membrane.inject('ev', {id: 'ev-rolled-back', embedding: [0.0, 1.0, 0.0, 0.0]})").consume();
                assertEquals(List.of(), eventsAfter(start), "nothing is visible before the transaction ends");
                tx.rollback();
            }
            try (Transaction tx = s.beginTransaction()) {
                tx.run("CALL membrane.inject('ev', {id: 'ev-committed', embedding: [0.0, 0.0, 1.0, 0.0]})").consume();
                assertEquals(List.of(), eventsAfter(start), "nothing is visible before COMMIT");
                tx.commit();
            }
        }
        List<Record> after = eventsAfter(start);
        assertTrue(after.stream().noneMatch(r -> "ev-rolled-back".equals(r.get("stimulusId").asString(null))));
        assertTrue(after.stream().anyMatch(r -> "ev-committed".equals(r.get("stimulusId").asString(null))), after.toString());
        assertEquals(0, db.run("MATCH (s:Stimulus {id: 'ev-rolled-back'}) RETURN count(s) AS c").get(0).get("c").asInt());
    }

    @Test
    void aFailedCallPublishesNothing() {
        long start = lastSeq();
        try {
            db.run("CALL membrane.inject('ev', {embedding: [1.0, 0.0]})");
        } catch (RuntimeException expected) {
            // wrong length: rejected
        }
        assertEquals(List.of(), eventsAfter(start));
    }

    @Test
    void limitIsBounded() {
        RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
                () -> db.run("CALL membrane.events(-1, 100000000)"));
        assertTrue(e.getMessage().contains("limit: must be in [0, 10000] (eventsMaxLimit)"), e.getMessage());
    }
}
