package dev.membrane.bridge.relay;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class FairQueueTest {

    @Test
    void batchesTakeOneItemPerProducerInTurn() throws InterruptedException {
        FairQueue<String> q = new FairQueue<>(100_000);
        for (int i = 0; i < 10_000; i++) {
            q.offer("flood", "f" + i);
        }
        q.offer("bystander", "b0");
        List<String> first = q.nextBatch(500, 500, 0, 0);
        assertEquals(500, first.size());
        assertEquals(List.of("f0", "b0", "f1"), first.subList(0, 3), "the bystander's envelope rides in the first batch");
        assertEquals("f498", first.get(499), "FIFO within a producer");
        q.offer("late", "l0");
        List<String> second = q.nextBatch(500, 500, 0, 0);
        assertEquals("l0", second.get(1), "a producer arriving later is served in the next batch, not after the flood");
        assertEquals(10_000 + 2 - 1000, q.size());
    }

    @Test
    void aProducerFillsAtMostItsShareOfABatch() throws InterruptedException {
        FairQueue<String> q = new FairQueue<>(100_000);
        for (int i = 0; i < 1_000; i++) {
            q.offer("flood", "f" + i);
        }
        List<String> alone = q.nextBatch(500, 250, 0, 1_000);
        assertEquals(250, alone.size(), "a lone flood gets half a batch, and the queue does not linger for more of it");
        q.offer("bystander", "b0");
        List<String> next = q.nextBatch(500, 250, 0, 0);
        assertEquals(251, next.size());
        assertEquals("b0", next.get(1), "the bystander rides in the next (half) batch");
        q.offer("other", "o0");
        q.offer("other", "o1");
        List<String> third = q.nextBatch(500, 1, 0, 0);
        assertEquals(List.of("f500", "o0"), third, "a share of one: one item per producer");
    }

    @Test
    void batchingRejectsSettingsOutOfRange() {
        assertEquals(250, Batching.DEFAULTS.perConnection());
        assertEquals(1, Batching.DEFAULTS.withSize(1).perConnection(), "at least one per connection");
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Batching.DEFAULTS.withConnectionShare(1.5));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("connection share"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Batching.DEFAULTS.withConnectionShare(Double.NaN));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Batching.DEFAULTS.withSize(0));
    }

    @Test
    void boundedInTotalAndEmptyWhenNothingArrives() throws InterruptedException {
        FairQueue<String> q = new FairQueue<>(2);
        q.offer("a", "1");
        q.offer("b", "2");
        assertFalse(q.offer("c", "3"), "full: the bus answers retry");
        assertEquals(List.of(1, 1), q.depths());
        assertEquals(List.of("1", "2"), q.nextBatch(10, 10, 0, 0));
        assertEquals(List.of(), q.nextBatch(10, 10, 1, 0));
    }
}
