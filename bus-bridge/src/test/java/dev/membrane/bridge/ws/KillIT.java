package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bridge process is killed (SIGKILL) in the middle of a stream and started again on the same spool (SPEC §11):
 * every envelope it acknowledged is in the graph, and after the client re-sends what was never acknowledged
 * (at-least-once), every envelope is in the graph exactly once.
 */
class KillIT {
    private static final int ENVELOPES = 300;

    @Test
    void nothingAcknowledgedIsLostAndNothingIsDoubled(@TempDir Path spool) throws Exception {
        try (Neo4j neo4j = TestNeo4j.start(
                "CREATE (:Engine {id: 'ada', scope: 'personal'}) CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'backup failed'})");
             Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            int port = freePort();
            Process bridge = startBridge(neo4j.boltURI().toString(), port, spool);
            Set<String> acked = new HashSet<>();
            try {
                BusIT.Client c = BusIT.Client.connect(port);
                for (int i = 0; i < ENVELOPES; i++) {
                    c.send(BusIT.envelope("kill-" + i, "backup failed " + i)); // one outstanding send at a time (JDK client)
                }
                while (acked.size() < ENVELOPES / 3) {
                    JsonNode ack = c.next("ack", 30);
                    assertTrue(List.of("accepted", "spooled").contains(ack.path("status").asText()), ack.toString());
                    acked.add(ack.path("id").asText());
                }
            } finally {
                bridge.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL mid-stream
            }
            assertEquals(acked.size(), count(driver, acked), "every acknowledged envelope survived the kill");

            Process again = startBridge(neo4j.boltURI().toString(), port, spool);
            try {
                BusIT.Client c = BusIT.Client.connect(port);
                List<String> resend = new ArrayList<>();
                for (int i = 0; i < ENVELOPES; i++) {
                    if (!acked.contains("kill-" + i)) {
                        resend.add("kill-" + i);
                        c.send(BusIT.envelope("kill-" + i, "backup failed " + i));
                    }
                }
                for (int i = 0; i < resend.size(); i++) {
                    String status = c.next("ack", 30).path("status").asText();
                    assertTrue(List.of("accepted", "duplicate").contains(status), status);
                }
            } finally {
                again.destroy();
                again.waitFor(10, TimeUnit.SECONDS);
            }
            try (var s = driver.session()) {
                assertEquals(ENVELOPES, s.run("MATCH (x:Stimulus) WHERE x.id STARTS WITH 'kill-' RETURN count(x) AS c")
                        .single().get("c").asInt(), "all envelopes, each exactly once");
            }
        }
    }

    private static long count(Driver driver, Set<String> ids) {
        try (var s = driver.session()) {
            return s.run("MATCH (x:Stimulus) WHERE x.id IN $ids RETURN count(x) AS c", java.util.Map.of("ids", List.copyOf(ids)))
                    .single().get("c").asLong();
        }
    }

    private static Process startBridge(String bolt, int port, Path spool) throws Exception {
        return dev.membrane.bridge.testing.BridgeProcess.serve(List.of("--bolt", bolt, "--spool", spool.toString()), java.util.Map.of(),
                spool.resolveSibling("bridge-" + port + "-" + System.nanoTime() + ".log"), port).process();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
