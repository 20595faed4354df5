package dev.membrane.physics.membrane;

/**
 * The verdict of the five defences for one candidate.
 *
 * @param reason   null when the export passes; else depth, pareto_fail, mad_fail, ledger_block or hysteresis
 * @param exportOn the hysteresis state to store for this membrane and direction
 */
public record GateResult(String reason, boolean exportOn) {
    public boolean passed() {
        return reason == null;
    }
}
