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
        List<String> first = q.nextBatch(500, 0, 0);
        assertEquals(500, first.size());
        assertEquals(List.of("f0", "b0", "f1"), first.subList(0, 3), "the bystander's envelope rides in the first batch");
        assertEquals("f498", first.get(499), "FIFO within a producer");
        q.offer("late", "l0");
        List<String> second = q.nextBatch(500, 0, 0);
        assertEquals("l0", second.get(1), "a producer arriving later is served in the next batch, not after the flood");
        assertEquals(10_000 + 2 - 1000, q.size());
    }

    @Test
    void boundedInTotalAndEmptyWhenNothingArrives() throws InterruptedException {
        FairQueue<String> q = new FairQueue<>(2);
        q.offer("a", "1");
        q.offer("b", "2");
        assertFalse(q.offer("c", "3"), "full: the bus answers retry");
        assertEquals(List.of(1, 1), q.depths());
        assertEquals(List.of("1", "2"), q.nextBatch(10, 0, 0));
        assertEquals(List.of(), q.nextBatch(10, 1, 0));
    }
}
