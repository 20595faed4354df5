package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/**
 * SPEC §4, §11: what became of one envelope — a closed set. The plugin answers the first three; the bridge adds
 * {@link #SPOOLED} and {@link #RETRY}. Every status but {@code retry} is final: the client never sends that id again.
 */
public enum Status {
    /** Integrated; its transaction committed. */
    ACCEPTED("accepted"),
    /** Seen before (same id, or same dedupeKey within the window); nothing changed. */
    DUPLICATE("duplicate"),
    /** Will never be accepted as sent: invalid, forbidden, or dead-lettered after failing alone. Never re-send. */
    REJECTED("rejected"),
    /** Durably spooled by the bus while Neo4j is away; the final ack follows on replay. */
    SPOOLED("spooled"),
    /** A transient refusal (queue full, shutting down, spool unwritable): re-send the same id later. */
    RETRY("retry");

    private final String wire;

    Status(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** True for every status after which the client must not send the envelope again. */
    public boolean isFinal() {
        return this != RETRY;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, Status> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<Status> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value));
    }
}
