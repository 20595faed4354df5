package dev.membrane.protocol;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnvelopeParserTest {
    private static final long NOW = 1_800_000_000_000L;
    private static final EnvelopeLimits LIMITS = new EnvelopeLimits(4, 100, 2, 300_000, 3, 200);
    private final EnvelopeParser parser = new EnvelopeParser(LIMITS);

    private static Map<String, Object> valid() {
        Map<String, Object> m = new HashMap<>();
        m.put("type", "membrane.inject");
        m.put("id", "0190a-abc:1");
        m.put("scope", "personal");
        m.put("source", "script:backup");
        m.put("channel", "errors.script");
        m.put("content", "backup failed");
        return m;
    }

    private Envelope parse(Map<String, Object> m) {
        return parser.parse(m, EnvelopeParser.Mode.ENVELOPE, NOW, () -> "generated");
    }

    private void rejects(String field, Map<String, Object> m) {
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> parse(m));
        assertEquals("invalid_field:" + field, e.reason(), e.getMessage());
        assertEquals(field, e.field());
    }

    private static Map<String, Object> with(String key, Object value) {
        Map<String, Object> m = valid();
        m.put(key, value);
        return m;
    }

    @Test
    void aValidEnvelopeParsesWithDefaults() {
        Envelope e = parse(valid());
        assertEquals("0190a-abc:1", e.id());
        assertEquals(Scope.PERSONAL, e.scope());
        assertEquals(NOW, e.tsMillis());
        assertEquals(0.5, e.features().get(Feature.NOVELTY));
        assertEquals(1.0, e.features().intensity());
        assertFalse(e.features().claimsTrust());
        assertEquals(Origin.EXTERNAL, e.origin());
        assertNull(e.embedding());
        assertEquals(List.of(), e.targetNodes());
    }

    @Test
    void everyRuleNamesItsField() {
        rejects("type", with("type", "membrane.other"));
        rejects("id", with("id", "has space"));
        rejects("id", with("id", "x".repeat(129)));
        rejects("id", with("id", 42));
        rejects("scope", with("scope", "global"));
        rejects("source", with("source", "hacker:me"));
        rejects("source", with("source", "script:"));
        rejects("source", with("source", "script:" + "x".repeat(200)));
        rejects("channel", with("channel", "Errors"));
        rejects("content", with("content", "x".repeat(101)));
        rejects("content", with("content", List.of("not", "text")));
        rejects("embedding", with("embedding", List.of(1.0, 2.0)));
        rejects("embedding", with("embedding", List.of(1.0, 2.0, Double.NaN, 0.0)));
        rejects("embedding", with("embedding", List.of(1.0, 2.0, Double.POSITIVE_INFINITY, 0.0)));
        rejects("embedding", with("embedding", List.of(1.0, "2", 3.0, 0.0)));
        rejects("embedding", with("embedding", List.of(1e300, 0.0, 0.0, 0.0)));
        rejects("features.trust", with("features", Map.of("trust", 1.5)));
        rejects("features.valence", with("features", Map.of("valence", -1.01)));
        rejects("features.novelty", with("features", Map.of("novelty", Double.NaN)));
        rejects("features.urgency", with("features", Map.of("urgency", "high")));
        rejects("features.hype", with("features", Map.of("hype", 0.3)));
        rejects("features", with("features", "urgent"));
        rejects("origin", with("origin", "mars"));
        rejects("originChainDepth", with("originChainDepth", 3));
        rejects("originChainDepth", with("originChainDepth", 1.5));
        rejects("ttlMs", with("ttlMs", 0));
        rejects("ts", with("ts", "yesterday"));
        rejects("ts", with("ts", "2030-01-01T00:00:00Z"));
        rejects("targetNodes", with("targetNodes", List.of("a", "b", "c", "d")));
        rejects("targetNodes", with("targetNodes", List.of("a", 7)));
        rejects("provenance", with("provenance", Map.of("blob", "x".repeat(300))));
        rejects("metadata", with("metadata", "none"));
        rejects("dedupeKey", with("dedupeKey", ""));
    }

    @Test
    void requiredFieldsOfAnEnvelopeAreNamed() {
        for (String f : List.of("type", "id", "scope", "source", "channel", "content")) {
            Map<String, Object> m = valid();
            m.remove(f);
            rejects(f, m);
        }
    }

    @Test
    void unknownFieldsAreRejectedWithASuggestion() {
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> parse(with("contnet", "x")));
        assertEquals("invalid_field:contnet", e.reason());
        assertTrue(e.getMessage().contains("did you mean 'content'"), e.getMessage());
    }

    @Test
    void expiredTtlIsItsOwnReason() {
        Map<String, Object> m = with("ts", "2027-01-15T07:00:00Z");
        m.put("ttlMs", 1000);
        EnvelopeException e = assertThrows(EnvelopeException.class, () -> parse(m));
        assertEquals(EnvelopeException.TTL_EXPIRED, e.reason());
    }

    @Test
    void aClaimedTrustIsKeptAsAClaim() {
        Envelope e = parse(with("features", Map.of("trust", 0.2, "valence", -0.5)));
        assertTrue(e.features().claimsTrust());
        assertEquals(0.2, e.features().get(Feature.TRUST));
        assertEquals(-0.5, e.features().get(Feature.VALENCE));
    }

    @Test
    void aStimulusNeedsOnlySomethingToRetrieveBy() {
        Envelope e = parser.parse(Map.of("embedding", List.of(1, 0, 0, 0)), EnvelopeParser.Mode.STIMULUS, NOW, () -> "gen-1");
        assertEquals("gen-1", e.id());
        assertEquals(EnvelopeParser.DEFAULT_STIMULUS_SOURCE, e.source());
        assertNull(e.scope());
        EnvelopeException empty = assertThrows(EnvelopeException.class,
                () -> parser.parse(Map.of(), EnvelopeParser.Mode.STIMULUS, NOW, () -> "gen-2"));
        assertEquals("invalid_field:content", empty.reason());
    }

    /** Seeded fuzz: mangled envelopes give an EnvelopeException or a valid envelope, never another exception. */
    @Test
    void fuzzedMapsNeverEscapeAsOtherExceptions() {
        Random r = new Random(7);
        Object[] junk = {null, "", "x", -1, 0, 1.5, Double.NaN, Long.MAX_VALUE, true, List.of(), List.of(1, "a"),
                Map.of(), Map.of("trust", 2), Collections.singletonMap("novelty", null), new Object(), new float[4],
                new double[]{1, 2, 3, Double.NaN}, "2026-11-22T00:00:00Z", "personal", "script:x"};
        List<String> keys = new ArrayList<>();
        for (EnvelopeField f : EnvelopeField.values()) {
            keys.add(f.wire());
        }
        keys.add("bogus");
        int accepted = 0;
        for (int i = 0; i < 5000; i++) {
            Map<String, Object> m = valid();
            int edits = 1 + r.nextInt(3);
            for (int k = 0; k < edits; k++) {
                m.put(keys.get(r.nextInt(keys.size())), junk[r.nextInt(junk.length)]);
            }
            try {
                parse(m);
                accepted++;
            } catch (EnvelopeException expected) {
                assertTrue(expected.reason().startsWith("invalid_field:") || expected.reason().equals("ttl_expired"));
            }
        }
        assertTrue(accepted > 0, "some mutations stay valid (e.g. a valid scope), so the fuzz reaches the happy path");
    }
}
