package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.TestBus;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.harness.Neo4j;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bus end to end with real parts: a Harness Neo4j with the plugin, the Jetty bus, the JDK's WebSocket client. */
class BusIT {
    private static Neo4j neo4j;
    private static Driver driver;
    private static TestBus bus;

    @BeforeAll
    static void start() throws Exception {
        neo4j = TestNeo4j.start("""
                CREATE (:Engine {id: 'ada', scope: 'personal'})
                CREATE (:Node {id: 'ada-backup', engine: 'ada', text: 'nightly database backup failed'})
                CREATE (:Engine {id: 'felix', scope: 'personal'})
                CREATE (:Node {id: 'felix-music', engine: 'felix', text: 'guitar lessons on weekends'})""");
        driver = TestNeo4j.connect(neo4j);
        bus = new TestBus(driver, 0);
    }

    @AfterAll
    static void stop() throws Exception {
        bus.close();
        driver.close();
        neo4j.close();
    }

    /** A real WebSocket client that queues every text message it receives. */
    static class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket ws;

        static Client connect() throws Exception {
            return connect(bus.server.port());
        }

        static Client connect(int port) throws Exception {
            Client c = new Client();
            c.ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + BusServer.WS_PATH), c).get(10, TimeUnit.SECONDS);
            return c;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(BusEndpoint.JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String text) throws Exception {
            ws.sendText(text, true).get(5, TimeUnit.SECONDS);
        }

        /** The next message of {@code type} within 10 s (others are skipped). */
        JsonNode next(String type) throws InterruptedException {
            return next(type, 10);
        }

        JsonNode next(String type, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                JsonNode m = received.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && type.equals(m.path("type").asText())) {
                    return m;
                }
            }
            throw new AssertionError("no '" + type + "' message within " + seconds + " s");
        }
    }

    static String envelope(String id, String content) {
        return """
                {"type": "membrane.inject", "id": "%s", "scope": "personal", "source": "script:backup",
                 "channel": "ops", "content": "%s"}""".formatted(id, content);
    }

    @Test
    void injectIsAckedAfterCommitTheGraphChangedAndSubscribersGetTheEvent() throws Exception {
        Client c = Client.connect();
        c.send("{\"type\": \"subscribe\", \"topics\": [\"stimulus.*\"]}");
        assertEquals("stimulus.*", c.next("subscribe.ack").path("topics").get(0).asText());
        c.send(envelope("ws-1", "the nightly database backup failed again"));
        JsonNode ack = c.next("ack");
        assertEquals("ws-1", ack.path("id").asText());
        assertEquals("accepted", ack.path("status").asText());
        assertEquals("ada", ack.path("engines").get(0).asText(), "ada's engine selected itself; felix's did not");
        try (var s = driver.session()) {
            assertEquals(1, s.run("MATCH (s:Stimulus {id: 'ws-1'}) RETURN count(s) AS c").single().get("c").asInt(),
                    "the ack came after the commit");
        }
        JsonNode event = c.next("event");
        assertTrue(event.path("event").path("type").asText().startsWith("stimulus."), event.toString());
        c.send(envelope("ws-1", "the nightly database backup failed again"));
        assertEquals("duplicate", c.next("ack").path("status").asText());
    }

    @Test
    void aBatchFrameIsAckedPerEnvelopeAndABadOneIsRejectedAlone() throws Exception {
        Client c = Client.connect();
        c.send("[" + envelope("ws-b1", "backup failed") + ", {\"type\": \"membrane.inject\", \"id\": \"ws-b2\"}, "
                + envelope("ws-b3", "database backup") + "]");
        java.util.Map<String, String> status = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            JsonNode ack = c.next("ack");
            status.put(ack.path("id").asText(), ack.path("status").asText() + " " + ack.path("reason").asText());
        }
        assertTrue(status.get("ws-b1").startsWith("accepted"));
        assertTrue(status.get("ws-b2").startsWith("rejected invalid_field:scope"), status.get("ws-b2"));
        assertTrue(status.get("ws-b3").startsWith("accepted"));
    }

    @Test
    void badFramesGetAClearErrorAndTheConnectionStaysOpen() throws Exception {
        Client c = Client.connect();
        c.send("{not json");
        assertTrue(c.next("error").path("reason").asText().startsWith("invalid JSON"));
        c.send("42");
        assertTrue(c.next("error").path("reason").asText().contains("JSON object"));
        c.send("{\"type\": \"teleport\"}");
        assertTrue(c.next("error").path("reason").asText().contains("unknown frame type 'teleport'"));
        c.send("{\"type\": \"ping\"}");
        assertNotNull(c.next("pong"));
    }

    @Test
    void healthReportsJson() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bus.server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        JsonNode h = BusEndpoint.JSON.readTree(r.body());
        assertEquals("ok", h.path("status").asText());
        assertTrue(h.has("queueDepth") && h.has("batches") && h.has("subscribers"), r.body());
    }

    /** SPEC §11: a bad subscription is answered with an error naming the problem, never a silent empty subscription. */
    @Test
    void subscribeAcceptsOnlyANonEmptyArrayOfGlobs() throws Exception {
        Client c = Client.connect();
        c.send("{\"type\": \"subscribe\", \"topics\": \"stimulus.*\"}");
        assertTrue(c.next("error").path("reason").asText().startsWith("subscribe: topics must be a non-empty array"));
        c.send("{\"type\": \"subscribe\", \"topics\": [42]}");
        assertTrue(c.next("error").path("reason").asText().startsWith("subscribe: topics[0] must be a non-empty glob"));
        c.send("{\"type\": \"subscribe\", \"topics\": [\"stimulus.*\", {\"a\": 1}]}");
        assertTrue(c.next("error").path("reason").asText().startsWith("subscribe: topics[1]"));
        c.send("{\"type\": \"subscribe\"}");
        assertTrue(c.next("error").path("reason").asText().contains("got nothing"));
        c.send("{\"type\": \"subscribe\", \"topics\": [\"stimulus.*\"]}");
        assertEquals("stimulus.*", c.next("subscribe.ack").path("topics").get(0).asText());
    }

    /** SPEC §11: values the database cannot store are rejected alone, naming the field, before any transaction. */
    @Test
    void hugeNumbersAreRejectedAloneNamingTheFieldAndTheRestOfTheFrameIsIntegrated() throws Exception {
        Client c = Client.connect();
        String good = envelope("huge-ok", "backup failed");
        String huge = good.replace("huge-ok", "huge-1").replace("\"channel\"", "\"originChainDepth\": 99999999999999999999999, \"channel\"");
        String deep = good.replace("huge-ok", "huge-2").replace("\"channel\"", "\"provenance\": {\"n\": 1e400}, \"channel\"");
        c.send("[" + huge + "," + deep + "," + good + "]");
        java.util.Map<String, JsonNode> acks = new java.util.HashMap<>();
        for (int i = 0; i < 3; i++) {
            JsonNode a = c.next("ack");
            acks.put(a.path("id").asText(), a);
        }
        assertEquals("rejected", acks.get("huge-1").path("status").asText());
        assertTrue(acks.get("huge-1").path("reason").asText().startsWith("invalid_field:originChainDepth"), acks.get("huge-1").toString());
        assertEquals("rejected", acks.get("huge-2").path("status").asText());
        assertTrue(acks.get("huge-2").path("reason").asText().startsWith("invalid_field:provenance.n"), acks.get("huge-2").toString());
        assertEquals("accepted", acks.get("huge-ok").path("status").asText(), "the good envelope of the frame is integrated");
    }

    /** SPEC §11 fairness: one client's 2,000-envelope frame delays another client's single envelope by at most one batch. */
    @Test
    void aBystanderIsNotStuckBehindAnotherClientsHugeFrame() throws Exception {
        Client flood = Client.connect();
        Client bystander = Client.connect();
        StringBuilder frame = new StringBuilder("[");
        for (int i = 0; i < 2_000; i++) {
            frame.append(i == 0 ? "" : ",").append(envelope("flood-" + i, "backup failed " + i));
        }
        flood.send(frame.append(']').toString());
        bystander.send(envelope("bystander-1", "backup failed once"));
        assertEquals("accepted", bystander.next("ack", 60).path("status").asText());
        int floodAcked = flood.received.size();
        System.out.println("bystander acked after " + floodAcked + " of the flood's 2000 acks (informational)");
        assertTrue(floodAcked <= 1_000, "the bystander waited at most one batch (500) behind the flood, not 2000: " + floodAcked);
        for (int i = 0; i < 2_000; i++) {
            flood.next("ack", 60);
        }
    }

    @Test
    void aBinaryFrameGetsAnErrorAndTheConnectionStaysUsable() throws Exception {
        Client c = Client.connect();
        c.ws.sendBinary(java.nio.ByteBuffer.wrap(new byte[]{1, 2, 3}), true).get(5, TimeUnit.SECONDS);
        assertTrue(c.next("error").path("reason").asText().startsWith("binary frames are not accepted"));
        c.send("{\"type\": \"ping\"}");
        assertNotNull(c.next("pong"));
    }
}
