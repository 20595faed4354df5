package dev.membrane.pipeline;

import java.util.List;

/**
 * One membrane crossing caused by an envelope (SPEC §7, §10 {@code transfers}), with what its mission did.
 *
 * @param status      {@code delivered} (the mission delivered energy) or {@code absorbed} (nothing)
 * @param targetNodes the aligned nodes the mission aimed at (empty: retrieval inside the target engine)
 * @param intensity   the mission's intensity
 * @param flippedNodes the nodes the mission flipped (woke)
 * @param transfers   crossings the mission itself caused
 */
public record TransferResult(String transferId, String direction, String membrane, String from, String to, String nodeId,
                             double score, double fit, double kappa, double intensity, List<String> targetNodes,
                             String mission, String status, double delivered, long flips, List<String> flippedNodes,
                             List<TransferResult> transfers) {
}
