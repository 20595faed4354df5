package dev.membrane.bridge.ws;

import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.security.Access;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
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
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SPEC §11 security on a real bus: tokens and their source prefixes, Origin allow-list, rate limit; and /metrics. */
class SecurityIT {
    private static Neo4j neo4j;
    private static Driver driver;
    private static Relay relay;
    private static EventTail events;
    private static BusServer bus;
    private static dev.membrane.bridge.dashboard.Dashboard dashboard;

    @BeforeAll
    static void start() throws Exception {
        neo4j = TestNeo4j.start(
                "CREATE (:Engine {id: 'ada', scope: 'personal'}) CREATE (:Node {id: 'ada-1', engine: 'ada', text: 'button clicked'})");
        driver = TestNeo4j.connect(neo4j);
        var spool = Files.createTempDirectory("membrane-spool");
        relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), dev.membrane.bridge.relay.Batching.DEFAULTS, new EnvelopeSpool(spool), new DeadLetters(spool.resolve("dl.jsonl")));
        events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 50, 1000);
        Access access = new Access(Map.of("t-ui", List.of("ui:")), Set.of("http://good.example"));
        dashboard = dev.membrane.bridge.dashboard.Dashboard.withDefaults(dev.membrane.bridge.neo4j.Database.of(driver), events);
        bus = new BusServer("127.0.0.1", 0, relay, events, () -> null, 1 << 20, 1000, access, 5, dashboard).start();
    }

    @AfterAll
    static void stop() {
        bus.close();
        relay.close();
        events.close();
        driver.close();
        neo4j.close();
    }

    private static CompletableFuture<WebSocket> connect(Map<String, String> headers, BusIT.Client listener) {
        WebSocket.Builder b = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(b::header);
        return b.buildAsync(URI.create("ws://127.0.0.1:" + bus.port() + BusServer.WS_PATH), listener);
    }

    private static int handshakeStatus(Map<String, String> headers) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect(headers, new BusIT.Client()).get(10, TimeUnit.SECONDS));
        assertInstanceOf(WebSocketHandshakeException.class, e.getCause());
        return ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    @Test
    void aTokenIsRequiredAndLimitsTheSourcesItMayInject() throws Exception {
        assertEquals(401, handshakeStatus(Map.of()));
        assertEquals(401, handshakeStatus(Map.of("Authorization", "Bearer nope")));
        BusIT.Client c = new BusIT.Client();
        c.ws = connect(Map.of("Authorization", "Bearer t-ui"), c).get(10, TimeUnit.SECONDS);
        c.send(BusIT.envelope("sec-1", "button clicked").replace("script:backup", "ui:button"));
        assertEquals("accepted", c.next("ack").path("status").asText());
        c.send(BusIT.envelope("sec-2", "button clicked"));
        var refused = c.next("ack");
        assertEquals("rejected", refused.path("status").asText());
        assertTrue(refused.path("reason").asText().startsWith("forbidden_source"), refused.toString());
    }

    @Test
    void aForeignOriginIsRefused() {
        assertEquals(403, handshakeStatus(Map.of("Authorization", "Bearer t-ui", "Origin", "http://evil.example")));
    }

    /** The bus's own page (Origin = the bus's host:port) may connect though it is not on the allow-list; its token still counts. */
    @Test
    void theBussOwnPageMayConnectWithItsToken() throws Exception {
        String self = "http://127.0.0.1:" + bus.port();
        assertEquals(401, handshakeStatus(Map.of("Origin", self)));
        BusIT.Client c = new BusIT.Client();
        c.ws = connect(Map.of("Authorization", "Bearer t-ui", "Origin", self), c).get(10, TimeUnit.SECONDS);
        c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
    }

    /** With tokens on, the page's data API asks for one as the bus does; the page itself and its config do not. */
    @Test
    void theDashboardApiNeedsATokenWhenTokensAreOn() throws Exception {
        assertEquals(401, get("/api/state").statusCode());
        assertEquals(401, get("/api/state?token=wrong").statusCode());
        HttpResponse<String> state = get("/api/state?token=t-ui");
        assertEquals(200, state.statusCode(), state.body());
        assertTrue(state.body().contains("\"engines\":[{\"id\":\"ada\""), state.body());
        HttpResponse<String> page = get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<title>Membrane"), page.body());
        assertTrue(get("/api/config").body().contains("\"tokenRequired\":true"));
        HttpResponse<String> bad = get("/api/stimulus?token=t-ui&id=" + java.net.URLEncoder.encode("a b'", java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("id: a stimulus id"), bad.body());
        assertEquals(404, get("/api/stimulus?token=t-ui&id=never-sent").statusCode());
        int traversal = get("/assets/..%2Fsecret").statusCode();
        assertTrue(traversal == 400 || traversal == 404, "a path out of the assets is refused: " + traversal);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bus.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A client with the ui token whose close status and reason complete {@code closed}. */
    private BusIT.Client closingClient(CompletableFuture<String> closed) throws Exception {
        BusIT.Client c = new BusIT.Client() {
            @Override
            public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                closed.complete(statusCode + " " + reason);
                return null;
            }
        };
        c.ws = connect(Map.of("Authorization", "Bearer t-ui"), c).get(10, TimeUnit.SECONDS);
        return c;
    }

    @Test
    void aConnectionOverItsRateIsClosedWithAClearReason() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        BusIT.Client c = closingClient(closed);
        for (int i = 0; i < 20 && !closed.isDone(); i++) {
            c.ws.sendText("{\"type\": \"ping\"}", true).get(5, TimeUnit.SECONDS);
        }
        String reason = closed.get(10, TimeUnit.SECONDS);
        assertTrue(reason.contains("rate limit exceeded: at most 5 envelopes per second"), reason);
    }

    /** SPEC §11: the rate counts envelopes, so one frame of many envelopes cannot slip past a per-frame limit. */
    @Test
    void aFrameOfManyEnvelopesCountsEachAgainstTheRate() throws Exception {
        CompletableFuture<String> closed = new CompletableFuture<>();
        BusIT.Client c = closingClient(closed);
        StringBuilder frame = new StringBuilder("[");
        for (int i = 0; i < 50; i++) {
            frame.append(i == 0 ? "" : ",").append(BusIT.envelope("rate-many-" + i, "x").replace("script:backup", "ui:console"));
        }
        c.ws.sendText(frame.append(']').toString(), true).get(5, TimeUnit.SECONDS);
        String reason = closed.get(10, TimeUnit.SECONDS);
        assertTrue(reason.contains("at most 5 envelopes per second (this frame: 50)"), reason);
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + bus.port() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("# TYPE membrane_bridge_accepted_total counter"), r.body());
        assertTrue(r.body().contains("membrane_bridge_batch_latency_ms_bucket{le=\"+Inf\"}"), r.body());
        assertTrue(r.body().contains("membrane_bridge_dropped_subscribers_total"), r.body());
        assertTrue(r.body().contains("# TYPE membrane_engine_flip_yield gauge"), r.body());
    }
}
