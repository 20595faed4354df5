package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Config;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Logging;
import org.neo4j.harness.Neo4j;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Neo4j down, then up (SPEC §11): envelopes sent while nothing answers Bolt are durably spooled and acked
 * {@code spooled}; when Neo4j comes up they are integrated exactly once, in order, each with its final ack; a new
 * relay replays a spool left by a previous process.
 */
class SpoolIT {

    @Test
    void envelopesSentWhileNeo4jIsDownAreSpooledThenIntegratedExactlyOnce(@TempDir Path spoolDir) throws Exception {
        int boltPort;
        try (ServerSocket s = new ServerSocket(0)) {
            boltPort = s.getLocalPort();
        }
        Config fast = Config.builder().withLogging(Logging.none()).withConnectionTimeout(1, TimeUnit.SECONDS)
                .withMaxTransactionRetryTime(0, TimeUnit.SECONDS).build();
        try (Driver driver = GraphDatabase.driver("bolt://127.0.0.1:" + boltPort, AuthTokens.none(), fast)) {
            Relay relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), dev.membrane.bridge.relay.Batching.DEFAULTS, new EnvelopeSpool(spoolDir), new DeadLetters(spoolDir.resolve("dead-letter.jsonl")));
            EventTail events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 50, 1000);
            try (BusServer bus = new BusServer("127.0.0.1", 0, relay, events, () -> "database unreachable (test)", 1 << 20, 1000).start()) {
                BusIT.Client c = BusIT.Client.connect(bus.port());
                for (int i = 0; i < 3; i++) {
                    c.send(BusIT.envelope("down-" + i, "nightly database backup failed " + i));
                    assertEquals("spooled", c.next("ack").path("status").asText());
                }
                assertEquals(3L, relay.metrics().get("spoolSize"));
                assertTrue(spoolFiles(spoolDir) >= 1, "on disk");

                try (Neo4j neo4j = neo4jOn(boltPort)) {
                    Map<String, String> finalAcks = new HashMap<>();
                    while (finalAcks.size() < 3) {
                        JsonNode ack = c.next("ack", 30);
                        finalAcks.put(ack.path("id").asText(), ack.path("status").asText());
                    }
                    assertEquals(Map.of("down-0", "accepted", "down-1", "accepted", "down-2", "accepted"), finalAcks);
                    assertEquals(0, spoolFiles(spoolDir), "spool emptied after commit");
                    try (var s = driver.session()) {
                        assertEquals(3, s.run("MATCH (x:Stimulus) WHERE x.id STARTS WITH 'down-' RETURN count(x) AS c")
                                .single().get("c").asInt(), "each exactly once");
                    }

                    // a spool left by a previous process is replayed by the next relay: one batch in today's format,
                    // one in the format of bridges before 0.4 (batch-<seq>.jsonl), imported at open
                    relay.close();
                    try (EnvelopeSpool left = new EnvelopeSpool(spoolDir)) {
                        left.write(List.of(Map.of("type", "membrane.inject", "id", "left-0", "scope", "personal",
                                "source", "script:backup", "channel", "ops", "content", "backup left behind")));
                    }
                    Files.writeString(spoolDir.resolve("batch-000000000007.jsonl"), "{\"type\":\"membrane.inject\",\"id\":\"left-1\","
                            + "\"scope\":\"personal\",\"source\":\"script:backup\",\"channel\":\"ops\",\"content\":\"older bridge\"}\n");
                    Relay next = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), dev.membrane.bridge.relay.Batching.DEFAULTS, new EnvelopeSpool(spoolDir), new DeadLetters(spoolDir.resolve("dl.jsonl")));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    int found = 0;
                    while (found < 2 && System.nanoTime() < deadline) {
                        Thread.sleep(200);
                        try (var s = driver.session()) {
                            found = s.run("MATCH (x:Stimulus) WHERE x.id IN ['left-0', 'left-1'] RETURN count(x) AS c").single().get("c").asInt();
                        }
                    }
                    next.close();
                    assertEquals(2, found, "both replayed after restart");
                    assertEquals(0, spoolFiles(spoolDir));
                }
            } finally {
                relay.close();
                events.close();
            }
        }
    }

    private static long spoolFiles(Path dir) throws java.io.IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsonl") && !f.getFileName().toString().startsWith("dead")).count();
        }
    }

    private static Neo4j neo4jOn(int boltPort) {
        return TestNeo4j.start(boltPort, """
                CREATE (:Engine {id: 'ada', scope: 'personal'})
                CREATE (:Node {id: 'ada-backup', engine: 'ada', text: 'nightly database backup failed'})""");
    }
}
