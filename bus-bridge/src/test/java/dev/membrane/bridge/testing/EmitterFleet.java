package dev.membrane.bridge.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.bridge.sdk.EmittingHost;
import dev.membrane.sdk.MembraneEmitter;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Several SDK clients, each a {@link MembraneEmitter} with its own spool, emitting a steady stream of distinct stimuli
 * to a bus (one every {@code interval} each) until told to stop: the world of the fault tests. Every id emitted is
 * kept, so a test can count, over Bolt, that each reached the graph exactly once.
 */
public final class EmitterFleet implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<MembraneEmitter> emitters = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final Set<String> ids = ConcurrentHashMap.newKeySet();
    private final String source;
    private volatile boolean emitting = true;

    public EmitterFleet(String source, int port, Path spoolRoot, int clients, Duration interval) {
        this.source = source;
        for (int k = 0; k < clients; k++) {
            MembraneEmitter e = MembraneEmitter.builder(source + "-" + k).busUri("ws://127.0.0.1:" + port + "/api/ws")
                    .spoolDir(spoolRoot.resolve("client-" + k)).flushInterval(Duration.ofMillis(20)).batchSize(20)
                    .connectTimeout(Duration.ofMillis(500)).reconnectBackoff(Duration.ofMillis(50), Duration.ofMillis(500))
                    .ackTimeout(Duration.ofSeconds(10)).closeOnShutdown(false).build();
            emitters.add(e);
            int client = k;
            Thread t = new Thread(() -> {
                for (int i = 0; emitting; i++) {
                    // letters, not digits: the SDK's dedupe key ignores digits
                    ids.add(e.emit("personal", "ops", "nightly backup failed, run " + EmittingHost.word(i) + " of client " + EmittingHost.word(client)));
                    try {
                        Thread.sleep(interval.toMillis());
                    } catch (InterruptedException stop) {
                        return;
                    }
                }
            }, "fleet-client-" + k);
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
    }

    /** Ends the streams (the emitters keep delivering what they hold). */
    public void stopEmitting() throws InterruptedException {
        emitting = false;
        for (Thread t : threads) {
            t.join(5_000);
        }
    }

    public Set<String> ids() {
        return Set.copyOf(ids);
    }

    /** Each emitter's counters, for a failure message. */
    public List<dev.membrane.sdk.EmitterMetrics> metrics() {
        return emitters.stream().map(MembraneEmitter::metrics).toList();
    }

    public int emitted() {
        return ids.size();
    }

    /** Closes every emitter; true when each had every envelope acknowledged by the bus (its spool is empty). */
    public boolean closeAll(Duration timeout) {
        boolean all = true;
        for (MembraneEmitter e : emitters) {
            all &= e.close(timeout);
        }
        return all;
    }

    /** The bridge's /health answer. */
    public static HttpResponse<String> health(int port) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The bridge's /health body, or why it could not be read: for failure messages. */
    public static String healthText(int port) {
        try {
            return health(port).body();
        } catch (Exception e) {
            return "(no /health: " + e + ")";
        }
    }

    /** Waits until the bridge on {@code port} holds nothing: its queue and spool are empty. */
    public static JsonNode awaitBridgeDrained(int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode h = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = health(port);
            h = JSON.readTree(r.body());
            if (r.statusCode() == 200 && h.path("queueDepth").asLong() == 0 && h.path("spoolSize").asLong() == 0) {
                return h;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the bridge did not drain within " + timeout + ": " + h);
    }

    /** How many :Stimulus nodes the graph holds per id of this fleet's sources: the exactly-once ledger. */
    public Map<String, Long> countsInGraph(Driver driver) {
        Map<String, Long> counts = new java.util.HashMap<>();
        try (Session s = driver.session()) {
            s.run("MATCH (x:Stimulus) WHERE x.source STARTS WITH $source RETURN x.id AS id, count(*) AS c",
                    Map.of("source", source)).forEachRemaining(r -> counts.put(r.get("id").asString(), r.get("c").asLong()));
        }
        return counts;
    }

    /**
     * The fault suite's invariant: every id this fleet emitted is in the graph exactly once, nothing else of its
     * sources is, and the bridge dead-lettered nothing. Returns the count in the graph.
     */
    public int assertEachOnceInGraph(Driver driver, JsonNode drainedHealth) {
        Set<String> emitted = ids();
        Map<String, Long> inGraph = countsInGraph(driver);
        Set<String> missing = new java.util.TreeSet<>(emitted);
        missing.removeAll(inGraph.keySet());
        Set<String> extra = new java.util.TreeSet<>(inGraph.keySet());
        extra.removeAll(emitted);
        org.junit.jupiter.api.Assertions.assertTrue(missing.isEmpty() && extra.isEmpty(), () -> String.format(
                "every emitted envelope, and nothing else, is in the graph: %d emitted, %d in the graph, %d missing "
                        + "(first: %s), %d not emitted (first: %s); emitters: %s; bridge: %s",
                emitted.size(), inGraph.size(), missing.size(), missing.stream().limit(5).toList(), extra.size(),
                extra.stream().limit(5).toList(), emitters.stream().map(MembraneEmitter::metrics).toList(), drainedHealth));
        org.junit.jupiter.api.Assertions.assertTrue(inGraph.values().stream().allMatch(c -> c == 1), "each exactly once");
        org.junit.jupiter.api.Assertions.assertTrue(emitters.stream().allMatch(e -> e.metrics().dropped() == 0),
                () -> "no emitter dropped anything from its queue: " + emitters.stream().map(MembraneEmitter::metrics).toList());
        org.junit.jupiter.api.Assertions.assertEquals(0, drainedHealth.path("deadLettered").asLong(), drainedHealth.toString());
        return inGraph.size();
    }

    @Override
    public void close() throws InterruptedException {
        stopEmitting();
        closeAll(Duration.ofMillis(100));
    }

    /** Sleeps; a name for the pauses of a fault schedule. */
    public static void pause(long ms) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(ms);
    }
}
