package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/** SPEC §3: where a stimulus came from; membrane missions carry {@link #SELF_OBSERVATION}. */
public enum Origin {
    UI("ui"),
    EXTERNAL("external"),
    SELF_OBSERVATION("self_observation"),
    TOOL("tool");

    private final String wire;

    Origin(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, Origin> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<Origin> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value));
    }

    public static String allowed() {
        return String.join(" | ", Arrays.stream(values()).map(Origin::wire).toList());
    }
}
