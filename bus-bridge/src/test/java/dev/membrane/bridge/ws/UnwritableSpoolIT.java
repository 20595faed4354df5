package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.BridgeProcess;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.harness.Neo4j;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SPEC §11 fault suite: the bridge's spool directory cannot be written (a plain file stands where it should be: root
 * ignores permissions, so this is how a test makes it unwritable for everyone). The bridge still starts and relays;
 * /health says {@code degraded} with the reason (HTTP 200: envelopes are integrated), /metrics has
 * {@code membrane_bridge_spool_writable 0}, the log names the directory. When Neo4j goes away too, an envelope is
 * answered {@code retry} (its client keeps it) and counted; once the directory can be made, the bridge spools again.
 */
class UnwritableSpoolIT {

    @Test
    void anUnwritableSpoolIsReportedAndNothingIsLost(@TempDir Path tmp) throws Exception {
        Path spool = tmp.resolve("spool");
        Files.writeString(spool, "a file where the spool directory should be");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Neo4j neo4j = TestNeo4j.start("CREATE (:Engine {id: 'ada', scope: 'personal'}) "
                + "CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'nightly backup failed'})");
        try (BridgeProcess bridge = BridgeProcess.serve(List.of("--bolt", neo4j.boltURI().toString(), "--spool", spool.toString()),
                Map.of(), tmp.resolve("bridge.log"), port)) {
            HttpResponse<String> health = get(port, "/health");
            JsonNode h = BusEndpoint.JSON.readTree(health.body());
            assertEquals(200, health.statusCode(), "envelopes are still integrated: " + h);
            assertEquals("degraded", h.path("status").asText(), h.toString());
            assertFalse(h.path("spool").asBoolean());
            assertTrue(h.path("reason").asText().contains(spool.toString()) && h.path("reason").asText().contains("not writable"),
                    h.toString());
            assertTrue(get(port, "/metrics").body().contains("membrane_bridge_spool_writable 0"));
            assertTrue(bridge.log().contains("spool directory " + spool + " is not writable"), bridge.log());

            BusIT.Client c = BusIT.Client.connect(port);
            c.send(BusIT.envelope("nospool-1", "nightly backup failed"));
            assertEquals("accepted", c.next("ack", 30).path("status").asText(), "the host is unaffected while Neo4j answers");

            neo4j.close(); // now neither Neo4j nor the disk can take an envelope
            c.send(BusIT.envelope("nospool-2", "nightly backup failed again"));
            JsonNode ack = c.next("ack", 60);
            assertEquals("retry", ack.path("status").asText(), ack.toString());
            assertTrue(ack.path("reason").asText().startsWith("spool_failed: ") && ack.path("reason").asText().contains(spool.toString()),
                    ack.toString());
            assertTrue(get(port, "/metrics").body().contains("membrane_bridge_spool_failures_total 1"));
            assertTrue(bridge.log().contains("cannot spool 1 envelope(s)"), bridge.log());

            Files.delete(spool); // the operator fixes the disk: the spool opens and is used again
            c.send(BusIT.envelope("nospool-2", "nightly backup failed again"));
            JsonNode again = c.next("ack", 60);
            assertEquals("spooled", again.path("status").asText(), again.toString());
            assertTrue(Files.isDirectory(spool));
            JsonNode after = BusEndpoint.JSON.readTree(get(port, "/health").body());
            assertTrue(after.path("spool").asBoolean(), after.toString());
            assertEquals(1, after.path("spoolSize").asLong(), after.toString());
        } finally {
            neo4j.close();
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
