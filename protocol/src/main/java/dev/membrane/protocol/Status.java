package dev.membrane.protocol;

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
}
