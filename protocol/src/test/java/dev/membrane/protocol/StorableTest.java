package dev.membrane.protocol;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorableTest {

    private static String reason(Map<String, Object> envelope) {
        return assertThrows(EnvelopeException.class, () -> Storable.check(envelope)).reason();
    }

    @Test
    void valuesTheDatabaseCannotStoreAreNamedByTheirPath() {
        assertEquals("invalid_field:originChainDepth", reason(Map.of("originChainDepth", new BigInteger("99999999999999999999999"))));
        assertEquals("invalid_field:features.scale", reason(Map.of("features", Map.of("scale", BigInteger.TEN.pow(30)))));
        assertEquals("invalid_field:provenance.retries[1]", reason(Map.of("provenance", Map.of("retries", List.of(1, new BigDecimal("1e400"))))));
        assertEquals("invalid_field:metadata.x", reason(Map.of("metadata", Map.of("x", Double.NaN))));
        Object deep = "leaf";
        for (int i = 0; i < 40; i++) {
            deep = Map.of("d", deep);
        }
        assertEquals(EnvelopeException.INVALID_FIELD + "provenance" + ".d".repeat(Storable.MAX_DEPTH), reason(Map.of("provenance", deep)));
    }

    @Test
    void whatTheDatabaseStoresPasses() {
        assertDoesNotThrow(() -> Storable.check(Map.of("ttlMs", BigInteger.valueOf(Long.MAX_VALUE), "features", Map.of("scale", 0.5),
                "provenance", Map.of("a", List.of(1L, "x", true), "b", new BigDecimal("1.5")), "embedding", new float[]{1f})));
    }
}
