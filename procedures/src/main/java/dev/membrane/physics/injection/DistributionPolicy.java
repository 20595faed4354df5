package dev.membrane.physics.injection;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** SPEC §6.4: the selectable distribution policies; {@link #GAP_CAPPED} is the default, the others are baselines. */
public enum DistributionPolicy {
    GAP_CAPPED("gap_capped", null),
    DUAL_CHANNEL("dual_channel", new DualChannelDistribution()),
    UNIFORM_TOPK("uniform_topk", new UniformTopKDistribution());

    private final String wire;
    private final EnergyDistribution distribution;

    DistributionPolicy(String wire, EnergyDistribution distribution) {
        this.wire = wire;
        this.distribution = distribution;
    }

    public String wire() {
        return wire;
    }

    /** The distribution of this policy; {@code fillOrder} matters only for {@link #GAP_CAPPED}. */
    public EnergyDistribution distribution(GapCappedDistribution.FillOrder fillOrder) {
        return this == GAP_CAPPED ? new GapCappedDistribution(fillOrder) : distribution;
    }

    /**
     * The items a policy delivers to: the entropy-selected matches, except for {@code uniform_topk}, which by
     * definition takes the top {@code kFixed} matches above the noise floor regardless of entropy.
     */
    public List<Candidate> items(Selection selection, int kFixed) {
        if (this != UNIFORM_TOPK) {
            return selection.selected();
        }
        List<Candidate> all = selection.candidates();
        return all.subList(0, Math.min(kFixed, all.size()));
    }

    public static Optional<DistributionPolicy> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }

    public static List<String> wires() {
        return Arrays.stream(values()).map(DistributionPolicy::wire).toList();
    }
}
