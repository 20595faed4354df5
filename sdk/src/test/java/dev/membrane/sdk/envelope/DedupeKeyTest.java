package dev.membrane.sdk.envelope;

import org.junit.jupiter.api.Test;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class DedupeKeyTest {
    @Test
    void digitsHexAndUuidsAreNormalised() {
        assertEquals("timeout after # ms on <hex> req <hex>",
                DedupeKey.normalise("timeout after 3012 ms on 0x7f3a req 0b1c2d3e-aaaa-4bbb-8ccc-123456789abc"));
        assertEquals("commit <hex> broke the decade build", DedupeKey.normalise("commit 9fceb02 broke  the decade build"));
        assertEquals(DedupeKey.of("script:a", "took 12 ms", "f"), DedupeKey.of("script:a", "took 907 ms", "f"));
    }

    /** The keys of sdk-cases.json, computed once by this SDK and asserted by both (the Python twin too). */
    @Test
    void sharedCasesGiveTheSameKeysInBothSdks() {
        for (java.util.Map<String, Object> c : dev.membrane.sdk.SharedCases.list("dedupe")) {
            String content = (String) c.get("content");
            assertEquals(c.get("normalised"), DedupeKey.normalise(content), content);
            assertEquals(c.get("key"), DedupeKey.of((String) c.get("source"), content, (String) c.get("fingerprint")), content);
        }
        for (java.util.Map<String, Object> c : dev.membrane.sdk.SharedCases.list("normalise")) {
            assertEquals(c.get("normalised"), DedupeKey.normalise((String) c.get("content")));
        }
    }

    @Test
    void sourceAndFingerprintSeparateKeys() {
        assertNotEquals(DedupeKey.of("script:a", "x", "f"), DedupeKey.of("script:b", "x", "f"));
        assertNotEquals(DedupeKey.of("script:a", "x", "f"), DedupeKey.of("script:a", "x", "g"));
        assertNotEquals(DedupeKey.of("script:a", "disk full", null), DedupeKey.of("script:a", "disk empty", null));
    }
}
