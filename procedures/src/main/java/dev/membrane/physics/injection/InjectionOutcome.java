package dev.membrane.physics.injection;

import dev.membrane.physics.channels.ChannelOutcome;

import java.util.List;

/**
 * The physics result of one stimulus in one engine (SPEC §6.8), before anything is written.
 *
 * @param items          per node that received energy (directly or through a link), in first-touched order
 * @param links          per matched link, how its delivery was split
 * @param channels       per subentity channel (SPEC §6.7), empty when no subentity was in play
 * @param delivered      Σ ΔE actually delivered
 * @param refractoryLoss Σ energy blocked by refractory charge
 * @param linkLoss       Σ energy that no receiving node had room for (link ends, or a node reached twice)
 * @param overshoot      Σ energy delivered above thresholds
 */
public record InjectionOutcome(DistributionPolicy policy, Selection selection, Budget budget, List<ItemOutcome> items,
                               List<LinkOutcome> links, List<ChannelOutcome> channels, double delivered,
                               double refractoryLoss, double linkLoss,
                               int flips, double overshoot) {
}
