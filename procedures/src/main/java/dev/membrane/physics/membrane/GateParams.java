package dev.membrane.physics.membrane;

/**
 * Tunables of the five defences (SPEC §7.1 step 3).
 *
 * @param maxOriginDepth    depth gate: chains at this depth never cross
 * @param axisFloor         every Pareto axis must reach this (0.3)
 * @param frontierMinGains  axes that must improve on the frontier reference (2)
 * @param frontierTolerance no axis may be worse than the reference by more than this (0.05)
 * @param frontierWindow    recent exports that form the frontier (10)
 * @param frontierBootstrap fewer recent exports than this: the Pareto gate passes (3)
 * @param madK              score above median + madK·MAD is an outlier (madKExport = 1)
 * @param madWindow         scores kept (128)
 * @param madMinSamples     scores needed before the MAD gate runs (8)
 * @param ledgerSize        emissions remembered for the ledger, both directions (5)
 * @param cooldownMs        ledger and "recent" horizon (ledgerCooldownMs = 1800000)
 * @param hysteresisOn      novelty that turns the export gate on (0.8)
 * @param hysteresisOff     novelty below which an open gate closes (0.6)
 */
public record GateParams(int maxOriginDepth, double axisFloor, int frontierMinGains, double frontierTolerance,
                         int frontierWindow, int frontierBootstrap, double madK, int madWindow, int madMinSamples,
                         int ledgerSize, long cooldownMs, double hysteresisOn, double hysteresisOff) {
}
