package dev.membrane.events;

import dev.membrane.protocol.EventType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A bounded in-memory ring of the events of one database (SPEC §9). Sequence numbers are strictly increasing; the
 * first one is {@code firstSeq} (the plugin seeds it from the start time, so sequences also increase across
 * restarts). A reader that asks from before the oldest retained event, or from beyond the newest (a sequence of a
 * previous run), gets an {@code events.gap} row first.
 * <p>Concurrency: all state is guarded by {@code this}; publication of one transaction's events is atomic, so a
 * reader never sees half of a transaction.
 */
public final class EventRing {
    private final Event[] slots;
    private long nextSeq;
    private long count;

    public EventRing(int capacity, long firstSeq) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1");
        }
        this.slots = new Event[capacity];
        this.nextSeq = firstSeq;
    }

    /** Assigns consecutive sequence numbers to one committed transaction's events and stores them. */
    public synchronized List<Event> publish(List<PendingEvent> pending) {
        List<Event> out = new ArrayList<>(pending.size());
        for (PendingEvent p : pending) {
            Event e = p.publish(nextSeq++);
            slots[(int) (count++ % slots.length)] = e;
            out.add(e);
        }
        return out;
    }

    /** The newest sequence number published, or {@code firstSeq − 1} when none. */
    public synchronized long lastSeq() {
        return nextSeq - 1;
    }

    /**
     * Events with {@code seq > sinceSeq}, oldest first, at most {@code limit} (a gap row counts toward it).
     *
     * @param now timestamp of a gap row
     */
    public synchronized List<Event> read(long sinceSeq, int limit, long now) {
        List<Event> out = new ArrayList<>();
        if (limit <= 0) {
            return out;
        }
        long retained = Math.min(count, slots.length);
        long oldest = nextSeq - retained;
        long from = sinceSeq + 1;
        if (from < oldest && sinceSeq >= 0 || sinceSeq > lastSeq()) {
            out.add(new Event(oldest - 1, EventType.EVENTS_GAP, now, null, null, Map.of(
                    "requestedFrom", from, "oldestRetained", oldest, "lastSeq", lastSeq(),
                    "reason", sinceSeq > lastSeq() ? "sequence_from_previous_run" : "reader_behind_ring")));
            from = oldest;
        }
        from = Math.max(from, oldest);
        for (long seq = from; seq < nextSeq && out.size() < limit; seq++) {
            long index = count - (nextSeq - seq);
            out.add(slots[(int) (index % slots.length)]);
        }
        return out;
    }
}
