package dev.membrane.events;

import dev.membrane.protocol.EventType;

import java.util.Map;

/**
 * One published telemetry event (SPEC §9). {@code seq} is assigned at publication, after the transaction committed.
 *
 * @param engine     the engine concerned, or {@code null}
 * @param stimulusId the stimulus that caused it, or {@code null}
 */
public record Event(long seq, EventType type, long ts, String engine, String stimulusId, Map<String, Object> payload) {
}
