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

    @Test
    void sourceAndFingerprintSeparateKeys() {
        assertNotEquals(DedupeKey.of("script:a", "x", "f"), DedupeKey.of("script:b", "x", "f"));
        assertNotEquals(DedupeKey.of("script:a", "x", "f"), DedupeKey.of("script:a", "x", "g"));
        assertNotEquals(DedupeKey.of("script:a", "disk full", null), DedupeKey.of("script:a", "disk empty", null));
    }
}
