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

    public static Optional<Scope> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(" | ", Arrays.stream(values()).map(Scope::wire).toList());
    }
}
