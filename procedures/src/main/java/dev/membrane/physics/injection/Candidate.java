package dev.membrane.physics.injection;

import dev.membrane.physics.energy.NodeState;

/**
 * One retrieved match: a node, or a link between two nodes of the engine (SPEC §6.7), with its similarity to the
 * stimulus and its state now. A link's state is the sum of its ends' (so its gap is what both ends can absorb);
 * its delivery is split between the ends after distribution.
 *
 * @param id         node id, or the link's id
 * @param similarity s in [0, 1] (SPEC §6.1)
 * @param link       {@code null} for a node
 */
public record Candidate(String id, double similarity, NodeState state, Link link) {

    /**
     * The ends of a link and its direction evidence.
     *
     * @param fwd evidence that {@code from} activates before {@code to}
     * @param bwd evidence the other way
     */
    public record Link(String fromId, NodeState from, String toId, NodeState to, long fwd, long bwd) {

        /** SPEC §6.7: share of a link's delivery for its start node, the Beta posterior mean (fwd+1)/(fwd+bwd+2). */
        public double fromShare() {
            return (fwd + 1.0) / (fwd + bwd + 2.0);
        }
    }

    public Candidate {
        if (!(similarity >= 0 && similarity <= 1)) {
            throw new IllegalArgumentException("similarity of " + id + " must be in [0, 1], got " + similarity);
        }
    }

    public Candidate(String nodeId, double similarity, NodeState state) {
        this(nodeId, similarity, state, null);
    }

    public static Candidate link(String linkId, double similarity, Link link) {
        NodeState a = link.from();
        NodeState b = link.to();
        // Combined state whose gap is exactly what both ends can absorb; a link itself is never active.
        double threshold = a.threshold() + b.threshold();
        NodeState combined = new NodeState(threshold - a.gap() - b.gap(), threshold,
                Math.max(a.refractory(), b.refractory()), false);
        return new Candidate(linkId, similarity, combined, link);
    }

    public boolean isLink() {
        return link != null;
    }

    /** Node id, for node candidates (kept for readability where only nodes occur). */
    public String nodeId() {
        return id;
    }
}
