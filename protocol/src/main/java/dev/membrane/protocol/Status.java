package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/** SPEC §4/§11: what became of one envelope. The plugin answers the first three; the bridge adds {@link #SPOOLED}. */
public enum Status {
    ACCEPTED("accepted"),
    DUPLICATE("duplicate"),
    REJECTED("rejected"),
    SPOOLED("spooled");

    private final String wire;

    Status(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, Status> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<Status> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value));
    }
}
