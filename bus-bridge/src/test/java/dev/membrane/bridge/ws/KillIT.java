package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.BridgeProcess;
import dev.membrane.bridge.testing.EmitterFleet;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §11 fault suite: the bridge process is SIGKILLed at random points of a steady stream from three SDK clients
 * and started again on the same spool each time. Killed between a commit and its ack, the clients re-send (at least
 * once) and the plugin answers {@code duplicate}; killed with envelopes queued, the clients still hold them. In the
 * end every envelope emitted is in the graph exactly once, counted over Bolt.
 * <p>CI kills it at 6 points; the long version: {@code -DkillPoints=20 -DkillSeed=N}.
 */
class KillIT {
    private static final int CLIENTS = 3;

    @Test
    void killingTheBridgeAtRandomPointsLosesAndDoublesNothing(@TempDir Path tmp) throws Exception {
        int points = Integer.getInteger("killPoints", 6);
        long seed = Long.getLong("killSeed", 20261201L);
        Random random = new Random(seed);
        try (Neo4j neo4j = TestNeo4j.start(
                "CREATE (:Engine {id: 'ada', scope: 'personal'}) CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'nightly backup failed'})");
             Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            int port = freePort();
            Path spool = tmp.resolve("bridge-spool");
            BridgeProcess bridge = start(neo4j, port, spool, tmp, 0);
            long[] killedAfterMs = new long[points];
            long[] startMs = new long[points];
            try (EmitterFleet fleet = new EmitterFleet("script:kill", port, tmp.resolve("clients"), CLIENTS, Duration.ofMillis(25))) {
                for (int k = 0; k < points; k++) {
                    killedAfterMs[k] = 200 + random.nextInt(1_800);
                    EmitterFleet.pause(killedAfterMs[k]);
                    bridge.kill(); // SIGKILL: no shutdown hook, no flush
                    EmitterFleet.pause(random.nextInt(500)); // the clients spool meanwhile
                    long t0 = System.nanoTime();
                    bridge = start(neo4j, port, spool, tmp, k + 1);
                    startMs[k] = (System.nanoTime() - t0) / 1_000_000;
                }
                EmitterFleet.pause(1_000);
                fleet.stopEmitting();
                long t0 = System.nanoTime();
                boolean closed = fleet.closeAll(Duration.ofSeconds(60));
                assertTrue(closed, () -> "every client had every envelope acknowledged: " + fleet.metrics() + "; bridge: " + EmitterFleet.healthText(port));
                long closeMs = (System.nanoTime() - t0) / 1_000_000;
                JsonNode drained = EmitterFleet.awaitBridgeDrained(port, Duration.ofSeconds(60));

                int inGraph = fleet.assertEachOnceInGraph(driver, drained);
                System.out.printf("KillIT: %d SIGKILLs (seed %d, after %s ms; restart to healthy %s ms), %d envelopes from %d "
                                + "clients; in the graph %d, each once; %d answered duplicate (re-sent after a kill); clients "
                                + "drained in %d ms%n", points, seed, java.util.Arrays.toString(killedAfterMs),
                        java.util.Arrays.toString(startMs), fleet.emitted(), CLIENTS, inGraph,
                        drained.path("duplicates").asLong(), closeMs);
            } finally {
                bridge.close();
            }
        }
    }

    private static BridgeProcess start(Neo4j neo4j, int port, Path spool, Path tmp, int n) throws Exception {
        return BridgeProcess.serve(List.of("--bolt", neo4j.boltURI().toString(), "--spool", spool.toString()), Map.of(),
                tmp.resolve("bridge-" + n + ".log"), port);
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
