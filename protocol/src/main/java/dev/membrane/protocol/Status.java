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

    public static Optional<Status> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
