package dev.membrane.physics.membrane;

/**
 * One past emission through a membrane, as the gates remember it (SPEC §7.1 step 3).
 *
 * @param hash    content hash: node id + stimulus content
 * @param nodeId  the node whose flip was exported (its embedding measures novelty)
 */
public record Export(long ts, Direction direction, String hash, String nodeId, double novelty, double fit, double utility,
                     double trust, double score) {
}
