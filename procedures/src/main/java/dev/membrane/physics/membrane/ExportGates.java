package dev.membrane.physics.membrane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * SPEC §7.1 step 3: the five defences against gaming a membrane, in order; the first that fails names the reason.
 * <ol>
 *   <li>{@code depth}: {@code originChainDepth ≥ maxOriginDepth};</li>
 *   <li>{@code pareto_fail}: novelty, fit, utility and trust must each reach the floor and improve on the frontier
 *   reference (the medians of the recent exports) on at least two axes without being worse by more than the
 *   tolerance on any; fewer than three recent exports: pass;</li>
 *   <li>{@code mad_fail}: score above median + madK·MAD of the last scores (once there are enough);</li>
 *   <li>{@code ledger_block}: the same content hash among the membrane's last emissions, either direction, within the
 *   cooldown;</li>
 *   <li>{@code hysteresis}: the gate opens at novelty ≥ on and stays open while novelty ≥ off.</li>
 * </ol>
 * Only delivered transfers are exports (frontier, MAD history); the ledger holds every attempt (SPEC §7.1 step 6).
 * "Recent" means the last {@code frontierWindow} exports of this direction younger than the cooldown, so the same
 * mission can cross again once the window has passed.
 */
public record ExportGates(GateParams p) {

    /**
     * @param hashes the candidate's content hash, plus the hash a mission carried down when the cause is a mission
     *               (so what came down cannot go straight back up)
     * @param memory the membrane's delivered exports, ledger of attempts, scores and hysteresis state
     */
    public GateResult check(Direction direction, int originChainDepth, Axes axes, double score, List<String> hashes,
                            long now, MembraneMemory memory) {
        boolean exportOn = memory.exportOn(direction);
        if (originChainDepth >= p.maxOriginDepth()) {
            return new GateResult(GateReason.DEPTH, exportOn);
        }
        List<Export> recent = recent(memory.exports(), direction, now);
        if (!pareto(axes, recent)) {
            return new GateResult(GateReason.PARETO_FAIL, exportOn);
        }
        double[] scores = memory.scores(direction);
        if (scores.length >= p.madMinSamples()) {
            double median = median(scores);
            double[] dev = new double[scores.length];
            for (int i = 0; i < scores.length; i++) {
                dev[i] = Math.abs(scores[i] - median);
            }
            if (score > median + p.madK() * median(dev)) {
                return new GateResult(GateReason.MAD_FAIL, exportOn);
            }
        }
        List<LedgerEntry> ledger = memory.ledger();
        for (LedgerEntry e : ledger.subList(Math.max(0, ledger.size() - p.ledgerSize()), ledger.size())) {
            if (hashes.contains(e.hash()) && now - e.ts() < p.cooldownMs()) {
                return new GateResult(GateReason.LEDGER_BLOCK, exportOn);
            }
        }
        boolean on = exportOn ? axes.novelty() >= p.hysteresisOff() : axes.novelty() >= p.hysteresisOn();
        return on ? new GateResult(null, true) : new GateResult(GateReason.HYSTERESIS, false);
    }

    /** The last frontierWindow exports of {@code direction} younger than the cooldown, newest first. */
    public List<Export> recent(List<Export> history, Direction direction, long now) {
        List<Export> out = new ArrayList<>();
        for (int i = history.size() - 1; i >= 0 && out.size() < p.frontierWindow(); i--) {
            Export e = history.get(i);
            if (e.direction() == direction && now - e.ts() < p.cooldownMs()) {
                out.add(e);
            }
        }
        return out;
    }

    private boolean pareto(Axes axes, List<Export> recent) {
        double[] a = axes.values();
        for (double x : a) {
            if (x < p.axisFloor()) {
                return false;
            }
        }
        if (recent.size() < p.frontierBootstrap()) {
            return true;
        }
        double[][] columns = new double[4][recent.size()];
        for (int i = 0; i < recent.size(); i++) {
            Export e = recent.get(i);
            columns[0][i] = e.novelty();
            columns[1][i] = e.fit();
            columns[2][i] = e.utility();
            columns[3][i] = e.trust();
        }
        int gains = 0;
        for (int k = 0; k < 4; k++) {
            double ref = median(columns[k]);
            if (a[k] < ref - p.frontierTolerance()) {
                return false;
            }
            if (a[k] > ref) {
                gains++;
            }
        }
        return gains >= p.frontierMinGains();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n == 0 ? 0 : n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
