package dev.membrane.physics.injection;

import dev.membrane.physics.energy.NodeState;

/** Small builders for physics tests. */
final class Fixtures {
    private Fixtures() {
    }

    static Candidate c(String id, double s, double energy) {
        return new Candidate(id, s, NodeState.of(energy, 30, 0));
    }

    static Candidate c(String id, double s, double energy, double threshold, double refractory) {
        return new Candidate(id, s, NodeState.of(energy, threshold, refractory));
    }
}
