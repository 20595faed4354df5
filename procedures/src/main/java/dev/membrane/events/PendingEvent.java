package dev.membrane.events;

import dev.membrane.protocol.EventType;

import java.util.Map;

/** An event buffered inside a transaction; it becomes an {@link Event} with a sequence number only after commit. */
public record PendingEvent(EventType type, long ts, String engine, String stimulusId, Map<String, Object> payload) {

    Event publish(long seq) {
        return new Event(seq, type, ts, engine, stimulusId, payload);
    }
}
