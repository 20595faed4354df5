package dev.membrane.sdk.envelope;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UuidV7Test {
    @Test
    void versionVariantAndTimestampAreRfc9562() {
        UUID u = new UuidV7().next(1_700_000_000_123L);
        assertEquals(7, u.version());
        assertEquals(2, u.variant());
        assertEquals(1_700_000_000_123L, u.getMostSignificantBits() >>> 16);
    }

    @Test
    void idsIncreaseWithinAMillisecondAndWhenTheClockStepsBack() {
        UuidV7 g = new UuidV7();
        String previous = "";
        long[] clock = {1000, 1000, 1000, 999, 998, 1001, 1001};
        for (int round = 0; round < 3000; round++) {
            String id = g.next(clock[round % clock.length]).toString();
            assertTrue(id.compareTo(previous) > 0, previous + " then " + id);
            previous = id;
        }
    }
}
