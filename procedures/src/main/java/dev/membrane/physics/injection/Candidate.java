package dev.membrane.physics.injection;

import dev.membrane.physics.energy.NodeState;

/**
 * One retrieved match: a node of the engine in play with its similarity to the stimulus and its state now.
 *
 * @param similarity s in [0, 1] (SPEC §6.1)
 */
public record Candidate(String nodeId, double similarity, NodeState state) {

    public Candidate {
        if (!(similarity >= 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity of " + nodeId + " must be in [0, 1], got " + similarity);
        }
    }
}
