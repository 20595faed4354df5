package dev.membrane.physics.membrane;

import java.util.List;

/**
 * What one membrane remembers for its defences (SPEC §7.1 step 3, step 6), read once from its edge.
 *
 * @param exports    delivered transfers in time order, both directions: the Pareto frontier and novelty read these
 * @param ledger     every attempt in time order, both directions, delivered or absorbed
 * @param scoresDown scores of delivered downward transfers, oldest first (the MAD gate)
 * @param scoresUp   the same upward
 * @param exportOnDown hysteresis state downward
 * @param exportOnUp   hysteresis state upward
 */
public record MembraneMemory(List<Export> exports, List<LedgerEntry> ledger, double[] scoresDown, double[] scoresUp,
                             boolean exportOnDown, boolean exportOnUp) {

    public static final MembraneMemory EMPTY = new MembraneMemory(List.of(), List.of(), new double[0], new double[0], false, false);

    public double[] scores(Direction d) {
        return d == Direction.DOWN ? scoresDown : scoresUp;
    }

    public boolean exportOn(Direction d) {
        return d == Direction.DOWN ? exportOnDown : exportOnUp;
    }
}
