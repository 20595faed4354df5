package dev.membrane.physics.membrane;

/**
 * The verdict of the five defences for one candidate.
 *
 * @param reason   null when the export passes; else the first defence that failed
 * @param exportOn the hysteresis state to store for this membrane and direction
 */
public record GateResult(GateReason reason, boolean exportOn) {
    public boolean passed() {
        return reason == null;
    }
}
