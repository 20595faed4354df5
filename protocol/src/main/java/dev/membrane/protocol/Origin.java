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

    public static Optional<Origin> fromWire(String value) {
        return Arrays.stream(values()).filter(o -> o.wire.equals(value)).findFirst();
    }

    public static String allowed() {
        return String.join(" | ", Arrays.stream(values()).map(Origin::wire).toList());
    }
}
