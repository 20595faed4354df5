package dev.membrane.bridge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.membrane.bridge.events.EventTail;
import dev.membrane.bridge.relay.Batching;
import dev.membrane.bridge.relay.Relay;
import dev.membrane.bridge.spool.DeadLetters;
import dev.membrane.bridge.spool.EnvelopeSpool;
import dev.membrane.bridge.ws.BusServer;
import dev.membrane.bridge.testing.TestNeo4j;
import dev.membrane.physics.support.VectorMath;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.Session;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Label;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import org.neo4j.harness.Neo4j;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Throughput and ack latency of WS → commit → ack through the bus, side by side with calling
 * {@code membrane.integrate} directly over Bolt with the same batches, in one run (issue 6 benchmark). Graph: 20
 * personal engines sharing the nodes (default 10k; first argument) with clustered 384-d embeddings; envelopes carry
 * embeddings (no model in the loop); envelopes per row: second argument (default 2000). Both paths are closed-loop —
 * the next batch is sent when the previous one is answered — so their latencies compare: direct = the Bolt call
 * that carried the envelope, bus = sending its frame → its ack. Run:
 * {@code ./mvnw -q -B install -DskipTests && ./mvnw -q -B -pl bus-bridge test-compile exec:java@bus-bench [-Dexec.args="100000 500"]}
 * ({@code -DbystanderOnly=true}: only the fairness rows).
 */
public final class BusThroughputBench {
    static final int DIMS = 384;
    static final int ENGINES = 20;
    static int nodes = 500;
    static int envelopes = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            nodes = Integer.parseInt(args[0]) / ENGINES;
        }
        if (args.length > 1) {
            envelopes = Integer.parseInt(args[1]);
        }
        try (Neo4j neo4j = TestNeo4j.start(); Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none())) {
            GraphDatabaseService db = neo4j.defaultDatabaseService();
            Random r = new Random(11);
            float[][] topics = new float[ENGINES * 10][];
            for (int t = 0; t < topics.length; t++) {
                topics[t] = VectorMath.unit(noise(r, 1.0));
            }
            load(db, topics, r);
            System.out.printf("graph: %d personal engines × %d nodes, %d dims; %d envelopes per row; 2 cores%n%n", ENGINES, nodes, DIMS, envelopes);
            System.out.println("| path | batch | envelopes/s | ack latency p50 (ms) | ack latency p99 (ms) |");
            System.out.println("|---|---:|---:|---:|---:|");
            var spool = Files.createTempDirectory("bench-spool");
            int[] batches = Boolean.getBoolean("bystanderOnly") ? new int[0] : new int[]{1, 50, 500};
            for (int batch : batches) {
                direct(driver, envelopes(topics, r, "d" + batch), batch);
                try (Relay relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver), Batching.DEFAULTS.withSize(batch).withCapacity(100_000), new EnvelopeSpool(spool), new DeadLetters(spool.resolve("dl.jsonl")));
                     EventTail events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 50, 1000);
                     BusServer bus = new BusServer("127.0.0.1", 0, relay, events, () -> null, 64L << 20, 100_000).start()) {
                    viaBus(bus.port(), envelopes(topics, r, "w" + batch), batch);
                }
            }
            bystander(driver, topics, r, spool);
        }
    }

    /** Envelopes in the flood of the bystander row (SPEC §14: a 10,000-envelope frame). */
    static final int FLOOD = 10_000;
    /** Bystander envelopes sent one after another during the flood, each when the previous one was acked. */
    static final int PROBES = 9;

    /**
     * SPEC §11/§14 fairness: one client pushes {@value #FLOOD} envelopes (20 frames of 500, back to back); meanwhile
     * another client sends {@value #PROBES} single envelopes, one at a time, each after a random pause once the
     * previous was acked (so they land at different points of the batch in flight). Each probe's ack latency against
     * one batch time (the flood's time per 500 envelopes; target: at most one). Run twice, side by side: whole
     * batches from one connection (share 1.0, before) and the shipped connection share.
     */
    private static void bystander(Driver driver, float[][] topics, Random r, java.nio.file.Path spool) throws Exception {
        System.out.printf(Locale.ROOT, "%n| bystander row | connection share | flood acked in (ms) | one batch: flood time per 500 (ms) | "
                + "bystander ack latency median (ms) | max (ms) | median / one batch | max / one batch |%n");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        // alternated twice, so neither setting alone profits from the warm-up of the runs before it
        for (double share : new double[]{1.0, Batching.DEFAULT_CONNECTION_SHARE, 1.0, Batching.DEFAULT_CONNECTION_SHARE}) {
            bystanderRow(driver, topics, r, spool, share);
        }
    }

    private static void bystanderRow(Driver driver, float[][] topics, Random r, java.nio.file.Path spool, double share) throws Exception {
        int saved = envelopes;
        envelopes = FLOOD;
        String run = share + "-" + r.nextInt(1_000_000);
        List<Map<String, Object>> flood = envelopes(topics, r, "flood-" + run);
        envelopes = PROBES;
        List<Map<String, Object>> probes = envelopes(topics, r, "bystander-" + run);
        envelopes = saved;
        try (Relay relay = new Relay(dev.membrane.bridge.neo4j.Database.of(driver),
                Batching.DEFAULTS.withCapacity(100_000).withConnectionShare(share), new EnvelopeSpool(spool),
                new DeadLetters(spool.resolve("dl.jsonl")));
             EventTail events = new EventTail(dev.membrane.bridge.neo4j.Database.of(driver), 50, 1000);
             BusServer bus = new BusServer("127.0.0.1", 0, relay, events, () -> null, 256L << 20, 100_000).start()) {
            CountDownLatch floodDone = new CountDownLatch(FLOOD);
            java.util.concurrent.Semaphore probeAcked = new java.util.concurrent.Semaphore(0);
            WebSocket a = connect(bus.port(), floodDone::countDown);
            WebSocket b = connect(bus.port(), probeAcked::release);
            // the flood as 20 frames of 500 sent back to back (a single 45 MB text frame of 384-d envelopes broke the
            // JDK client: "Unknown opcode 7" at Jetty); what matters is that 10,000 envelopes of one connection are queued
            List<String> frames = new ArrayList<>();
            for (int i = 0; i < FLOOD; i += 500) {
                frames.add(JSON.writeValueAsString(flood.subList(i, Math.min(FLOOD, i + 500))));
            }
            long t0 = System.nanoTime();
            for (String frame : frames) {
                a.sendText(frame, true).get(60, TimeUnit.SECONDS);
            }
            double[] latency = new double[PROBES];
            for (int i = 0; i < PROBES; i++) {
                Thread.sleep(50 + r.nextInt(1_000));
                long t1 = System.nanoTime();
                b.sendText(JSON.writeValueAsString(probes.get(i)), true).get(10, TimeUnit.SECONDS);
                if (!probeAcked.tryAcquire(600, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("bystander probe " + i + " not acked");
                }
                latency[i] = (System.nanoTime() - t1) / 1e6;
            }
            if (floodDone.getCount() == 0) {
                System.out.println("(the flood was done before the last probe: fewer probes met it)");
            }
            floodDone.await(1800, TimeUnit.SECONDS);
            double floodMs = (System.nanoTime() - t0) / 1e6;
            double batchMs = floodMs / Math.ceil(FLOOD / 500.0);
            Arrays.sort(latency);
            double median = latency[PROBES / 2];
            double max = latency[PROBES - 1];
            System.out.printf(Locale.ROOT, "| %d envelopes in 20 frames, %d probes | %.2f | %.0f | %.0f | %.0f | %.0f | %.2f | %.2f |%n",
                    FLOOD, PROBES, share, floodMs, batchMs, median, max, median / batchMs, max / batchMs);
        }
    }

    /** A WebSocket that calls {@code onAck} for each ack it receives. */
    private static WebSocket connect(int port, Runnable onAck) throws Exception {
        WebSocket.Listener listener = new WebSocket.Listener() {
            final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    if (partial.indexOf("\"type\":\"ack\"") >= 0) {
                        onAck.run();
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + BusServer.WS_PATH), listener).get(10, TimeUnit.SECONDS);
    }

    /** The same batches straight into membrane.integrate over Bolt; latency = the call that carried the envelope. */
    private static void direct(Driver driver, List<Map<String, Object>> all, int batch) {
        double[] lat = new double[all.size()];
        long start = System.nanoTime();
        try (Session s = driver.session()) {
            for (int i = 0; i < all.size(); i += batch) {
                List<Map<String, Object>> part = all.subList(i, Math.min(all.size(), i + batch));
                long t0 = System.nanoTime();
                s.executeWrite(tx -> tx.run("CALL membrane.integrate($b)", Map.of("b", part)).consume());
                double ms = (System.nanoTime() - t0) / 1e6;
                Arrays.fill(lat, i, i + part.size(), ms);
            }
        }
        report("Bolt, direct", batch, all.size(), System.nanoTime() - start, lat);
    }

    /** Frames of {@code batch} envelopes over one WebSocket; latency = send of the frame → that envelope's ack. */
    private static void viaBus(int port, List<Map<String, Object>> all, int batch) throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        double[] lat = new double[all.size()];
        CountDownLatch[] done = {new CountDownLatch(0)};
        int[] n = {0};
        WebSocket.Listener listener = new WebSocket.Listener() {
            final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    try {
                        JsonNode m = JSON.readTree(partial.toString());
                        if ("ack".equals(m.path("type").asText())) {
                            Long t = sentAt.get(m.path("id").asText());
                            synchronized (lat) {
                                lat[n[0]++] = (System.nanoTime() - t) / 1e6;
                            }
                            done[0].countDown();
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + BusServer.WS_PATH), listener).get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        for (int i = 0; i < all.size(); i += batch) {
            List<Map<String, Object>> part = all.subList(i, Math.min(all.size(), i + batch));
            long t = System.nanoTime();
            part.forEach(e -> sentAt.put((String) e.get("id"), t));
            done[0] = new CountDownLatch(part.size());
            ws.sendText(JSON.writeValueAsString(part.size() == 1 ? part.get(0) : part), true).get(30, TimeUnit.SECONDS);
            if (!done[0].await(600, TimeUnit.SECONDS)) {
                throw new IllegalStateException("acks missing: " + done[0].getCount());
            }
        }
        report("WebSocket bus", batch, all.size(), System.nanoTime() - start, lat);
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }

    private static void report(String path, int batch, int count, long nanos, double[] lat) {
        double[] s = lat.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f |%n", path, batch, count / (nanos / 1e9),
                s[s.length / 2], s[Math.min(s.length - 1, (int) (s.length * 0.99))]);
    }

    private static List<Map<String, Object>> envelopes(float[][] topics, Random r, String prefix) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < envelopes; i++) {
            float[] v = VectorMath.unit(add(topics[r.nextInt(topics.length)], noise(r, 0.5 / Math.sqrt(DIMS))));
            List<Double> e = new ArrayList<>(DIMS);
            for (float x : v) {
                e.add((double) x);
            }
            Map<String, Object> m = new HashMap<>();
            m.put("type", "membrane.inject");
            m.put("id", prefix + "-" + i);
            m.put("scope", "personal");
            m.put("source", "tool:bench-" + (i % 5));
            m.put("channel", "bench");
            m.put("content", "bench");
            m.put("embedding", e);
            out.add(m);
        }
        return out;
    }

    private static void load(GraphDatabaseService db, float[][] topics, Random r) {
        for (int e = 0; e < ENGINES; e++) {
            try (Transaction tx = db.beginTx()) {
                Node engine = tx.createNode(Label.label("Engine"));
                engine.setProperty("id", "c" + e);
                engine.setProperty("scope", "personal");
                for (int i = 0; i < nodes; i++) {
                    Node n = tx.createNode(Label.label("Node"));
                    n.setProperty("id", "c" + e + "-" + i);
                    n.setProperty("engine", "c" + e);
                    n.setProperty("embedding", VectorMath.unit(add(topics[e * 10 + i % 10], noise(r, 1.0 / Math.sqrt(DIMS)))));
                }
                tx.commit();
            }
        }
        db.executeTransactionally("CALL db.awaitIndexes(1200)");
    }

    private static float[] noise(Random r, double sigma) {
        float[] v = new float[DIMS];
        for (int i = 0; i < DIMS; i++) {
            v[i] = (float) (sigma * r.nextGaussian());
        }
        return v;
    }

    private static float[] add(float[] a, float[] b) {
        float[] v = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            v[i] = a[i] + b[i];
        }
        return v;
    }
}
