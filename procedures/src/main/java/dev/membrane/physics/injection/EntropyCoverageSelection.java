package dev.membrane.physics.injection;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * SPEC §6.1: keep the shortest prefix of matches whose similarity share reaches ĉ = 1 − e^(−H). A narrow stimulus
 * (one dominant match, low entropy) keeps few precise matches; a broad one (flat similarities) keeps many.
 *
 * @param minSimilarity absolute noise floor on s
 * @param relativeFloor floor relative to the best match: matches below {@code relativeFloor · s_max} are noise
 * @param kMin          at least this many kept (when there are candidates at all)
 * @param kMax          at most this many kept
 */
public record EntropyCoverageSelection(double minSimilarity, double relativeFloor, int kMin, int kMax) {

    /** Slack on Σp ≥ ĉ so that N equal shares reach (N−1)/N despite rounding. */
    private static final double COVERAGE_SLACK = 1e-12;

    /** Similarity descending, then node id, so equal similarities rank the same on every run. */
    public static final Comparator<Candidate> BY_SIMILARITY =
            Comparator.comparingDouble(Candidate::similarity).reversed().thenComparing(Candidate::nodeId);

    public Selection select(List<Candidate> raw) {
        if (raw.isEmpty()) {
            return Selection.EMPTY;
        }
        List<Candidate> sorted = new ArrayList<>(raw);
        sorted.sort(BY_SIMILARITY);
        double floor = Math.max(minSimilarity, relativeFloor * sorted.get(0).similarity());
        List<Candidate> kept = new ArrayList<>();
        double sum = 0;
        for (Candidate c : sorted) {
            if (c.similarity() < floor || c.similarity() <= 0) {
                break;
            }
            kept.add(c);
            sum += c.similarity();
        }
        if (kept.isEmpty()) {
            return Selection.EMPTY;
        }
        double entropy = 0;
        for (Candidate c : kept) {
            double p = c.similarity() / sum;
            entropy -= p * Math.log(p);
        }
        double target = 1 - Math.exp(-entropy);
        int limit = Math.min(kMax, kept.size());
        int n = 0;
        double share = 0;
        while (n < limit && (n < kMin || share < target - COVERAGE_SLACK)) {
            share += kept.get(n).similarity() / sum;
            n++;
        }
        return new Selection(List.copyOf(kept), List.copyOf(kept.subList(0, n)), entropy, target, share);
    }

    /** SPEC §4: {@code targetNodes} bypass retrieval and selection; each counts with similarity 1. */
    public static Selection targets(List<Candidate> targets) {
        if (targets.isEmpty()) {
            return Selection.EMPTY;
        }
        double h = Math.log(targets.size());
        return new Selection(List.copyOf(targets), List.copyOf(targets), h, 1 - Math.exp(-h), 1.0);
    }
}
