package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.BridgeProcess;
import dev.membrane.bridge.testing.EmitterFleet;
import dev.membrane.bridge.testing.StandaloneNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §11 fault suite: a standalone Neo4j server (auth on, launched like {@code bin/neo4j}) is stopped cleanly and
 * started again while three SDK clients stream stimuli through the packaged bridge. While it is down the bridge
 * spools (acks {@code spooled}); when it is back the spool is replayed. Afterwards every envelope any client emitted
 * is in the graph exactly once, counted over Bolt, nothing went to the dead-letter file and no client's queue dropped
 * anything. The bridge runs at its shipped defaults. With {@code -Dbridge.keepLogs=DIR} its log is kept.
 * <p>Long version (several outages): {@code -DrestartRounds=5}.
 */
class Neo4jRestartIT {
    private static final int CLIENTS = 3;
    private static final Duration INTERVAL = Duration.ofMillis(25); // 40 envelopes/s per client

    @Test
    void stoppingAndRestartingNeo4jUnderAStreamLosesAndDoublesNothing(@TempDir Path tmp) throws Exception {
        int rounds = Integer.getInteger("restartRounds", 1);
        try (StandaloneNeo4j neo4j = StandaloneNeo4j.start(tmp.resolve("neo4j"), StandaloneNeo4j.pluginAndApoc(), List.of());
             Driver driver = neo4j.driver()) {
            try (Session s = driver.session()) {
                s.run("CALL membrane.setup()").consume();
                s.run("CREATE (:Engine {id: 'ada', level: 1, scope: 'personal'}) "
                        + "CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'nightly backup failed'})").consume();
                s.run("CALL db.awaitIndexes(120)").consume();
            }
            int port = freePort();
            Path spool = tmp.resolve("bridge-spool");
            try (BridgeProcess bridge = BridgeProcess.serve(List.of("--bolt", neo4j.boltUri(), "--spool", spool.toString()),
                    Map.of("NEO4J_USERNAME", StandaloneNeo4j.USER, "NEO4J_PASSWORD", StandaloneNeo4j.PASSWORD),
                    tmp.resolve("bridge.log"), port);
                 EmitterFleet fleet = new EmitterFleet("script:restart", port, tmp.resolve("clients"), CLIENTS, INTERVAL)) {
                long spooledBefore = 0;
                for (int round = 0; round < rounds; round++) {
                    EmitterFleet.pause(1_500);
                    neo4j.stop();
                    EmitterFleet.pause(2_000); // the stream goes on into the bridge's spool
                    neo4j.restart();
                    EmitterFleet.pause(1_500);
                    JsonNode h = health(port);
                    assertTrue(h.path("spooled").asLong() > spooledBefore, "the outage was spooled by the bridge: " + h);
                    spooledBefore = h.path("spooled").asLong();
                }
                fleet.stopEmitting();
                boolean closed = fleet.closeAll(Duration.ofSeconds(60));
                assertTrue(closed, () -> "every client had every envelope acknowledged: " + fleet.metrics() + "; bridge: " + EmitterFleet.healthText(port));
                JsonNode drained = EmitterFleet.awaitBridgeDrained(port, Duration.ofSeconds(60));

                int inGraph = fleet.assertEachOnceInGraph(driver, drained);
                assertTrue(drained.path("replayed").asLong() > 0, drained.toString());
                System.out.printf("Neo4jRestartIT: %d outage(s), %d envelopes from %d clients, %d spooled by the bridge and "
                                + "replayed %d; in the graph %d, each once; dead-lettered 0%n", rounds, fleet.emitted(), CLIENTS,
                        drained.path("spooled").asLong(), drained.path("replayed").asLong(), inGraph);
            }
        }
    }

    static JsonNode health(int port) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(EmitterFleet.health(port).body());
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
