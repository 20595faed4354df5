package dev.membrane.events;

import dev.membrane.protocol.EventType;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventRingTest {

    private static List<PendingEvent> events(int n) {
        List<PendingEvent> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new PendingEvent(EventType.NODE_FLIPPED, i, "e", "s", Map.of("i", i)));
        }
        return out;
    }

    @Test
    void sequencesStartAtTheSeedAndStrictlyIncrease() {
        EventRing ring = new EventRing(8, 1000);
        ring.publish(events(3));
        ring.publish(events(2));
        List<Event> all = ring.read(-1, 100, 0);
        assertEquals(List.of(1000L, 1001L, 1002L, 1003L, 1004L), all.stream().map(Event::seq).toList());
        assertEquals(List.of(1003L, 1004L), ring.read(1002, 100, 0).stream().map(Event::seq).toList());
        assertEquals(List.of(1001L, 1002L), ring.read(1000, 2, 0).stream().map(Event::seq).toList());
        assertEquals(1004L, ring.lastSeq());
    }

    @Test
    void aReaderBehindTheRingGetsAGapRowFirst() {
        EventRing ring = new EventRing(4, 1);
        ring.publish(events(10)); // seqs 1..10, ring keeps 7..10
        List<Event> read = ring.read(2, 100, 99);
        assertEquals(EventType.EVENTS_GAP, read.get(0).type());
        assertEquals(6L, read.get(0).seq());
        assertEquals(7L, read.get(0).payload().get("oldestRetained"));
        assertEquals(3L, read.get(0).payload().get("requestedFrom"));
        assertEquals(List.of(7L, 8L, 9L, 10L), read.subList(1, 5).stream().map(Event::seq).toList());
    }

    @Test
    void aSequenceFromAPreviousRunIsAGapToo() {
        EventRing ring = new EventRing(4, 500);
        ring.publish(events(2));
        List<Event> read = ring.read(9_999, 100, 0);
        assertEquals(EventType.EVENTS_GAP, read.get(0).type());
        assertEquals("sequence_from_previous_run", read.get(0).payload().get("reason"));
        assertEquals(3, read.size());
    }

    @Test
    void anUpToDateReaderGetsNothingAndNoGap() {
        EventRing ring = new EventRing(4, 1);
        ring.publish(events(3));
        assertEquals(List.of(), ring.read(3, 100, 0));
    }
}
