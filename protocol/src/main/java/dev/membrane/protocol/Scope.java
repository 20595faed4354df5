package dev.membrane.protocol;

import java.util.Arrays;
import java.util.Optional;

/** SPEC §2/§3: the level an envelope addresses; engines self-select by it. */
public enum Scope {
    PERSONAL("personal", 1),
    ORGANIZATIONAL("organizational", 2),
    ECOSYSTEM("ecosystem", 3);

    private final String wire;
    private final int level;

    Scope(String wire, int level) {
        this.wire = wire;
        this.level = level;
    }

    public String wire() {
        return wire;
    }

    public int level() {
        return level;
    }

    /** Wire name → constant; a map, not a stream per call: the SDK validates on its host's emitting thread. */
    private static final java.util.Map<String, Scope> BY_WIRE = java.util.Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(v -> v.wire, v -> v)));

    public static Optional<Scope> fromWire(String value) {
        return value == null ? Optional.empty() : Optional.ofNullable(BY_WIRE.get(value));
    }

    public static String allowed() {
        return String.join(" | ", Arrays.stream(values()).map(Scope::wire).toList());
    }
}
