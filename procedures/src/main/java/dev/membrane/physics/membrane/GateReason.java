package dev.membrane.physics.membrane;

/** SPEC §7.1 step 3: why a candidate export was refused, by the first defence that failed. */
public enum GateReason {
    DEPTH("depth"), PARETO_FAIL("pareto_fail"), MAD_FAIL("mad_fail"), LEDGER_BLOCK("ledger_block"), HYSTERESIS("hysteresis");

    private final String wire;

    GateReason(String wire) {
        this.wire = wire;
    }

    /** The name in events, membrane.membranes() rejections and the membrane's rejection counters. */
    public String wire() {
        return wire;
    }
}
