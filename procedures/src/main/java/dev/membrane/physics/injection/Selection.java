package dev.membrane.physics.injection;

import java.util.List;

/**
 * Result of entropy-coverage selection (SPEC §6.1).
 *
 * @param candidates     the candidates above the noise floor, by similarity descending
 * @param selected       the kept prefix of {@code candidates}
 * @param entropy        H of the similarity distribution over {@code candidates}
 * @param coverageTarget ĉ = 1 − e^(−H)
 * @param coverage       share of the similarity mass the kept prefix holds
 */
public record Selection(List<Candidate> candidates, List<Candidate> selected, double entropy, double coverageTarget,
                        double coverage) {

    public static final Selection EMPTY = new Selection(List.of(), List.of(), 0, 0, 0);
}
