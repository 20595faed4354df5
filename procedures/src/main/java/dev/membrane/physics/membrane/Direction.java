package dev.membrane.physics.membrane;

/** SPEC §7: which way a transfer crosses a membrane. */
public enum Direction {
    DOWN("down"), UP("up");

    private final String wire;

    Direction(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }
}
