package dev.membrane.bridge.relay;

import dev.membrane.bridge.neo4j.Database;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.protocol.Ack;
import dev.membrane.protocol.Status;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilders;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery path against a real Neo4j whose {@code membrane.integrate} fails on demand ({@link FaultyIntegrate}):
 * a poison envelope is dead-lettered alone; a database failing underneath — transactions terminated, a hiccup, the
 * procedure failing even on an empty batch — dead-letters nothing and keeps what was not integrated.
 */
class IntegratorIT {
    private static Neo4j neo4j;
    private static Driver driver;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        neo4j = Neo4jBuilders.newInProcessBuilder().withDisabledServer().withProcedure(FaultyIntegrate.class).build();
        driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none(), Config.builder().withLogging(Logging.none())
                .withMaxTransactionRetryTime(0, TimeUnit.SECONDS).build());
    }

    @AfterAll
    static void stop() {
        driver.close();
        neo4j.close();
    }

    @AfterEach
    void heal() {
        FaultyIntegrate.FAULT.set(FaultyIntegrate.Fault.NONE);
        FaultyIntegrate.HICCUPS.set(0);
    }

    private Integrator integrator() {
        return new Integrator(Database.of(driver), new DeadLetters(dir.resolve("dead-letter.jsonl")), new RelayMetrics());
    }

    private static List<Map<String, Object>> envelopes(String... ids) {
        return java.util.Arrays.stream(ids).map(id -> Map.<String, Object>of("id", id)).toList();
    }

    private static long stimuli(String prefix) {
        try (var s = driver.session()) {
            return s.run("MATCH (x:Stimulus) WHERE x.id STARTS WITH $p RETURN count(x) AS c", Map.of("p", prefix)).single().get("c").asLong();
        }
    }

    private long deadLettered() throws Exception {
        Path f = dir.resolve("dead-letter.jsonl");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    @Test
    void aPoisonEnvelopeIsDeadLetteredAloneAndTheRestIntegrated() throws Exception {
        Integrator.Delivery d = integrator().deliver(envelopes("p-ok-1", "poison-1", "p-ok-2"));
        assertTrue(d.complete(), String.valueOf(d.unavailable()));
        assertEquals(List.of(Status.ACCEPTED, Status.REJECTED, Status.ACCEPTED), d.acks().stream().map(Ack::status).toList());
        assertTrue(d.acks().get(1).reason().startsWith("dead_lettered: client_error:"), d.acks().get(1).reason());
        assertEquals(2, stimuli("p-ok-"));
        assertEquals(1, deadLettered());
    }

    @Test
    void terminatedTransactionsAreTheDatabasesFailureNotTheEnvelopes() throws Exception {
        FaultyIntegrate.FAULT.set(FaultyIntegrate.Fault.TERMINATE);
        Integrator.Delivery d = integrator().deliver(envelopes("t-1", "t-2"));
        assertFalse(d.complete());
        assertTrue(d.unavailable().contains("Terminated"), d.unavailable());
        assertEquals(envelopes("t-1", "t-2"), d.undelivered(envelopes("t-1", "t-2")), "kept, to be spooled");
        assertEquals(0, deadLettered());
        assertEquals(0, stimuli("t-"));
    }

    @Test
    void anEnvelopeThatFailsOnceAloneIsTriedAgainNotDeadLettered() throws Exception {
        FaultyIntegrate.HICCUPS.set(2); // the batch, then the first envelope alone
        Integrator.Delivery d = integrator().deliver(envelopes("h-1", "h-2"));
        assertTrue(d.complete(), String.valueOf(d.unavailable()));
        assertEquals(List.of(Status.ACCEPTED, Status.ACCEPTED), d.acks().stream().map(Ack::status).toList());
        assertEquals(2, stimuli("h-"));
        assertEquals(0, deadLettered());
    }

    @Test
    void whenTheProcedureFailsEvenOnAnEmptyBatchNothingIsDeadLettered() throws Exception {
        FaultyIntegrate.FAULT.set(FaultyIntegrate.Fault.FAIL_ALL);
        assertTrue(integrator().probe().contains("empty batch"), "the worker's question before a replay");
        Integrator.Delivery d = integrator().deliver(envelopes("f-1", "f-2", "f-3"));
        assertFalse(d.complete());
        assertTrue(d.unavailable().contains("empty batch"), d.unavailable());
        d.acks().forEach(a -> assertNull(a, "nothing answered: all kept"));
        assertEquals(0, deadLettered());
        FaultyIntegrate.FAULT.set(FaultyIntegrate.Fault.NONE);
        assertNull(integrator().probe(), "answers again");
        Integrator.Delivery later = integrator().deliver(d.undelivered(envelopes("f-1", "f-2", "f-3")));
        assertTrue(later.complete());
        assertEquals(3, stimuli("f-"));
        assertNotNull(later.acks().get(2));
    }
}
