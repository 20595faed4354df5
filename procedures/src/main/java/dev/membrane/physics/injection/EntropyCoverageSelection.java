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

    /**
     * Where to cut a list of similarities sorted descending.
     *
     * @param candidates how many pass the noise floor
     * @param kept       the length of the kept prefix
     */
    public record Cut(int candidates, int kept, double entropy, double coverageTarget, double coverage) {
        static final Cut NONE = new Cut(0, 0, 0, 0, 0);
    }

    /**
     * The noise floor for matches whose best similarity is {@code maxSimilarity}: a match below it never passes
     * (never selected, never counted among the candidates), whatever the others are, so a caller may leave it out
     * before reading its state. (A match of similarity 0 never passes either.)
     */
    public double floor(double maxSimilarity) {
        return Math.max(minSimilarity, relativeFloor * maxSimilarity);
    }

    /** The cut of similarities sorted descending; usable for any kind of match (nodes, links, a whole scope). */
    public Cut cut(double[] sortedSimilarities) {
        if (sortedSimilarities.length == 0) {
            return Cut.NONE;
        }
        double floor = floor(sortedSimilarities[0]);
        int passing = 0;
        double sum = 0;
        while (passing < sortedSimilarities.length && sortedSimilarities[passing] >= floor && sortedSimilarities[passing] > 0) {
            sum += sortedSimilarities[passing++];
        }
        if (passing == 0) {
            return Cut.NONE;
        }
        double entropy = entropy(sortedSimilarities, passing, sum);
        double target = 1 - Math.exp(-entropy);
        int limit = Math.min(kMax, passing);
        int n = 0;
        double share = 0;
        while (n < limit && (n < kMin || share < target - COVERAGE_SLACK)) {
            share += sortedSimilarities[n] / sum;
            n++;
        }
        return new Cut(passing, n, entropy, target, share);
    }

    public Selection select(List<Candidate> raw) {
        if (raw.isEmpty()) {
            return Selection.EMPTY;
        }
        List<Candidate> sorted = new ArrayList<>(raw);
        sorted.sort(BY_SIMILARITY);
        Cut cut = cut(sorted.stream().mapToDouble(Candidate::similarity).toArray());
        return new Selection(List.copyOf(sorted.subList(0, cut.candidates())), List.copyOf(sorted.subList(0, cut.kept())),
                cut.entropy(), cut.coverageTarget(), cut.coverage());
    }

    /**
     * Matches that were already selected elsewhere (a scope-wide selection, SPEC §4): all are kept; entropy and
     * coverage describe this subset.
     */
    public static Selection keepAll(List<Candidate> chosen) {
        if (chosen.isEmpty()) {
            return Selection.EMPTY;
        }
        List<Candidate> sorted = new ArrayList<>(chosen);
        sorted.sort(BY_SIMILARITY);
        double sum = sorted.stream().mapToDouble(Candidate::similarity).sum();
        double h = sum > 0 ? entropy(sorted.stream().mapToDouble(Candidate::similarity).toArray(), sorted.size(), sum) : 0;
        return new Selection(List.copyOf(sorted), List.copyOf(sorted), h, 1 - Math.exp(-h), 1.0);
    }

    private static double entropy(double[] s, int n, double sum) {
        double h = 0;
        for (int i = 0; i < n; i++) {
            double p = s[i] / sum;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
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
