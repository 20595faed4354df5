package dev.membrane.bridge.ws;

import com.fasterxml.jackson.databind.JsonNode;
import dev.membrane.bridge.testing.TestBus;
import dev.membrane.bridge.testing.TestNeo4j;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.harness.Neo4j;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded generated frames against the real bus (SPEC §11; docs/reliability.md): valid envelopes mixed with wrong
 * types, huge numbers, deep nesting, unicode edge cases, unknown fields, garbage text and binary frames. The bus
 * must stay up, every envelope with an id gets exactly one ack, every bad one is {@code rejected} naming its field
 * (never dead-lettered: validation catches it before any transaction), and a bystander on another connection keeps
 * being served. CI runs {@value #CI_FRAMES} frames; the long run:
 * {@code ./mvnw -B -pl bus-bridge verify -Dit.test=FuzzIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -DfuzzFrames=10000}.
 */
class FuzzIT {
    static final int CI_FRAMES = 2_000;
    private static final String[] FIELDS = {"type", "id", "ts", "scope", "source", "channel", "content", "embedding", "features",
            "origin", "originChainDepth", "ttlMs", "dedupeKey", "targetNodes", "provenance", "metadata", "bogus"};
    private static final String[] NASTY = {"\"\"", "null", "true", "-1", "1e400", "-1e400", "99999999999999999999999",
            "0.000000000000000000000000000001", "[]", "{}", "[1,\"a\",null]", "{\"trust\": 7}", "\"\\u0000\"", "\"\\ud800\"",
            "\"\\u202e\\u0645\\u0631\\u062d\\u0628\\u0627\"", "\"\\ud83d\\ude00\\ud83d\\ude00\"", "\"" + "x".repeat(300) + "\"",
            "\"organizational\"", "\"script:x\"", "[0.1, 0.2]", "\"2099-01-01T00:00:00Z\""};

    @Test
    void seededGeneratedFramesNeverHurtTheBusOrOtherClients() throws Exception {
        int frames = Integer.getInteger("fuzzFrames", CI_FRAMES);
        long seed = Long.getLong("fuzzSeed", 20261201L);
        try (Neo4j neo4j = TestNeo4j.start("CREATE (:Engine {id: 'fz', level: 1, scope: 'personal'}) "
                + "CREATE (:Node {id: 'fz-1', engine: 'fz', text: 'nightly backup failed'})");
             Driver driver = GraphDatabase.driver(neo4j.boltURI(), AuthTokens.none());
             TestBus bus = new TestBus(driver, 0)) {
            BusIT.Client fuzz = BusIT.Client.connect(bus.server.port());
            BusIT.Client bystander = BusIT.Client.connect(bus.server.port());
            Random r = new Random(seed);
            Set<String> ids = new HashSet<>();
            int binary = 0;
            long t0 = System.nanoTime();
            for (int f = 0; f < frames; f++) {
                int kind = r.nextInt(10);
                if (kind == 0) {
                    fuzz.ws.sendBinary(ByteBuffer.wrap(new byte[]{(byte) r.nextInt(), 0, 1}), true).get(5, TimeUnit.SECONDS);
                    binary++;
                } else if (kind == 1) {
                    fuzz.send(garbage(r));
                } else {
                    int n = kind == 2 ? 1 + r.nextInt(20) : 1;
                    StringBuilder frame = new StringBuilder(n > 1 ? "[" : "");
                    for (int k = 0; k < n; k++) {
                        String id = "fz-" + f + "-" + k;
                        ids.add(id);
                        frame.append(k == 0 ? "" : ",").append(envelope(r, id));
                    }
                    fuzz.send(frame.append(n > 1 ? "]" : "").toString());
                }
                if (f % 200 == 0) { // the bystander is served all along
                    bystander.send(BusIT.envelope("bystander-" + f, "nightly backup failed"));
                    assertEquals("accepted", bystander.next("ack", 30).path("status").asText(), "bystander at frame " + f);
                }
            }
            Map<String, Integer> statuses = new TreeMap<>();
            Map<String, Integer> reasons = new TreeMap<>();
            Set<String> acked = new HashSet<>();
            int errors = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (acked.size() < ids.size() && System.nanoTime() < deadline) {
                JsonNode m = fuzz.received.poll(100, TimeUnit.MILLISECONDS);
                if (m == null) {
                    continue;
                }
                if ("error".equals(m.path("type").asText())) {
                    errors++;
                } else if ("ack".equals(m.path("type").asText()) && ids.contains(m.path("id").asText())) {
                    assertTrue(acked.add(m.path("id").asText()), "one ack per envelope: " + m);
                    statuses.merge(m.path("status").asText(), 1, Integer::sum);
                    if ("rejected".equals(m.path("status").asText())) {
                        String reason = m.path("reason").asText();
                        assertTrue(reason.startsWith("invalid_field:"), "a rejection names its field: " + m);
                        reasons.merge(reason.substring(0, reason.indexOf(':', "invalid_field:".length()) < 0 ? reason.length()
                                : reason.indexOf(':', "invalid_field:".length())), 1, Integer::sum);
                    }
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("fuzz: seed %d, %d frames (%d binary), %d envelopes in %.1f s: acks %s, error frames %d; "
                    + "rejections by field %s (informational)%n", seed, frames, binary, ids.size(), seconds, statuses, errors, reasons);
            assertEquals(ids.size(), acked.size(), "every envelope with an id got its ack");
            assertTrue(statuses.getOrDefault("accepted", 0) > 0 && statuses.getOrDefault("rejected", 0) > 0, statuses.toString());
            assertTrue(Set.of("accepted", "duplicate", "rejected").containsAll(statuses.keySet()),
                    "only final statuses, no retry and nothing spooled: " + statuses);
            assertEquals(0, (long) bus.relay.metrics().get("deadLettered"), "bad input never reaches the database");
            assertEquals(0, (long) bus.relay.metrics().get("relayErrors"));
            HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + bus.server.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), health.body());
        }
    }

    /** An envelope whose fields are, with some probability each, replaced by a nasty value or joined by junk. */
    private static String envelope(Random r, String id) {
        Map<String, String> fields = new TreeMap<>(Map.of(
                "type", "\"membrane.inject\"", "id", "\"" + id + "\"", "scope", "\"personal\"", "source", "\"script:fuzz\"",
                "channel", "\"fuzz\"", "content", "\"nightly backup failed\""));
        if (r.nextInt(3) > 0) { // two thirds are damaged
            for (int k = 0; k < 1 + r.nextInt(2); k++) {
                String field = FIELDS[r.nextInt(FIELDS.length)];
                if (!field.equals("id")) {
                    fields.put(field, NASTY[r.nextInt(NASTY.length)]);
                }
            }
            if (r.nextInt(8) == 0) {
                fields.put("provenance", "{\"d\":".repeat(40) + "1" + "}".repeat(40));
            }
        }
        List<String> parts = new ArrayList<>();
        fields.forEach((k, v) -> parts.add("\"" + k + "\": " + v));
        return "{" + String.join(", ", parts) + "}";
    }

    private static String garbage(Random r) {
        String[] g = {"", "not json", "{", "[1,2", "\"just a string\"", "42", "{\"type\": 7}", "{\"type\": \"teleport\"}",
                "{\"type\": \"subscribe\", \"topics\": [{}]}", "[[[[]]]]", "{\"type\": \"ping\"}", "\u0000\u0001"};
        return g[r.nextInt(g.length)];
    }
}
