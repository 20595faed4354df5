package dev.membrane.physics.injection;

import dev.membrane.physics.channels.ChannelOutcome;
import dev.membrane.physics.channels.ChannelPlan;
import dev.membrane.physics.energy.NodeState;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SPEC §6.2-6.4 and §6.7 for one engine and one stimulus: budget from the gap mass, distribution by policy, link
 * splitting with caps and re-offer, refractory damping (SPEC §5), flips. Pure: the caller reads the node states
 * and writes the outcome.
 *
 * @param fillOrder how {@code gap_capped} shares a budget smaller than the gaps
 * @param energyMax upper clamp of node energy (SPEC §1.1)
 * @param kFixed    the k of the {@code uniform_topk} baseline
 */
public record StimulusInjection(GapCappedBudget budgeting, DistributionPolicy policy,
                                GapCappedDistribution.FillOrder fillOrder, double energyMax, int kFixed) {

    /** With SPEC's proportional water-filling. */
    public StimulusInjection(GapCappedBudget budgeting, DistributionPolicy policy, double energyMax, int kFixed) {
        this(budgeting, policy, GapCappedDistribution.FillOrder.PROPORTIONAL, energyMax, kFixed);
    }

    /** Energy one node receives from all the items that reach it. */
    private static final class Receiver {
        final NodeState state;
        double similarity;
        double given;
        double blocked;

        Receiver(NodeState state, double similarity) {
            this.state = state;
            this.similarity = similarity;
        }

        /** Room left below Θ for capped deliveries. */
        double room() {
            return Math.max(0, state.gap() - given);
        }

        /** Delivers {@code amount} planned energy, of which the refractory share is blocked. */
        void receive(double amount) {
            double passed = amount * (1 - state.refractory());
            given += passed;
            blocked += amount - passed;
        }
    }

    /** Channel budgets within this of each other count as settled when leftovers flow. */
    private static final double SETTLED = 1e-12;

    public InjectionOutcome inject(Selection selection, BudgetFactors factors) {
        return inject(selection, factors, ChannelPlan.NONE, new double[0]);
    }

    /**
     * @param plan    subentity channels of the items (SPEC §6.7); used by {@code gap_capped}, the baselines ignore it
     * @param weights π per channel of {@code plan}
     */
    public InjectionOutcome inject(Selection selection, BudgetFactors factors, ChannelPlan plan, double[] weights) {
        Budget budget = budgeting.compute(selection.selected(), factors);
        List<Candidate> items = policy.items(selection, kFixed);
        boolean channelled = plan.active() && policy == DistributionPolicy.GAP_CAPPED;
        double[] channelBudgets = channelled ? channelBudgets(items, budget.value(), plan, weights) : new double[0];
        double[] planned = channelled
                ? distributeByChannel(items, plan, channelBudgets, new GapCappedDistribution(fillOrder))
                : policy.distribution(fillOrder).distribute(items, budget.value());
        Map<String, Receiver> receivers = new LinkedHashMap<>();
        List<LinkOutcome> links = new ArrayList<>();
        double linkLoss = 0;
        for (int i = 0; i < items.size(); i++) {
            Candidate c = items.get(i);
            if (!c.isLink()) {
                Receiver r = receiver(receivers, c.id(), c.state(), c.similarity());
                // Under gap capping a node already topped up through a link takes only its remaining room.
                double amount = policy == DistributionPolicy.GAP_CAPPED ? Math.min(planned[i], r.room()) : planned[i];
                r.receive(amount);
                linkLoss += planned[i] - amount;
                continue;
            }
            LinkOutcome l = split(c, planned[i], receivers);
            links.add(l);
            linkLoss += l.lost();
        }
        List<ItemOutcome> out = new ArrayList<>(receivers.size());
        double delivered = 0;
        double loss = 0;
        double overshoot = 0;
        int flips = 0;
        for (Map.Entry<String, Receiver> e : receivers.entrySet()) {
            Receiver r = e.getValue();
            NodeState s = r.state;
            double after = Math.min(energyMax, s.energy() + r.given);
            boolean reached = r.given > 0 && after >= s.threshold() - NodeState.FLIP_TOLERANCE;
            if (reached) {
                after = Math.max(after, s.threshold()); // a delivery that reaches Θ lands on it, not a rounding below
            }
            boolean flipped = reached && !s.active();
            double actual = after - s.energy();
            double over = Math.max(0, after - Math.max(s.threshold(), s.energy()));
            out.add(new ItemOutcome(e.getKey(), r.similarity, s.energy(), s.threshold(), s.gap(), actual, after,
                    Math.max(0, s.threshold() - after), flipped, r.blocked, over));
            delivered += actual;
            loss += r.blocked;
            overshoot += over;
            flips += flipped ? 1 : 0;
        }
        List<ChannelOutcome> channels = channelled ? channelOutcomes(plan, weights, channelBudgets, out) : List.of();
        return new InjectionOutcome(policy, selection, budget, List.copyOf(out), List.copyOf(links), channels, delivered,
                loss, linkLoss, flips, overshoot);
    }

    /**
     * SPEC §6.7: B · π per channel, then the leftover of channels whose items cannot absorb their share flows to
     * the channels that still can, in proportion to π, until nothing is left or every channel is full.
     */
    static double[] channelBudgets(List<Candidate> items, double budget, ChannelPlan plan, double[] pi) {
        int n = plan.channels().size();
        double[] capacity = new double[n];
        for (Candidate c : items) {
            capacity[plan.channelOfItem().get(c.id())] += c.state().gap();
        }
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            b[i] = budget * pi[i];
        }
        for (int round = 0; round <= n; round++) {
            double leftover = 0;
            double openWeight = 0;
            for (int i = 0; i < n; i++) {
                if (b[i] > capacity[i]) {
                    leftover += b[i] - capacity[i];
                    b[i] = capacity[i];
                }
            }
            for (int i = 0; i < n; i++) {
                if (capacity[i] - b[i] > SETTLED) {
                    openWeight += pi[i];
                }
            }
            if (leftover <= SETTLED || openWeight <= 0) {
                break;
            }
            for (int i = 0; i < n; i++) {
                if (capacity[i] - b[i] > SETTLED) {
                    b[i] += leftover * pi[i] / openWeight;
                }
            }
        }
        return b;
    }

    /** Water-filling inside each channel with its own budget. */
    private static double[] distributeByChannel(List<Candidate> items, ChannelPlan plan, double[] budgets,
                                                GapCappedDistribution waterFilling) {
        double[] planned = new double[items.size()];
        for (int ch = 0; ch < budgets.length; ch++) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                if (plan.channelOfItem().get(items.get(i).id()) == ch) {
                    members.add(i);
                }
            }
            double[] d = waterFilling.distribute(members.stream().map(items::get).toList(), budgets[ch]);
            for (int k = 0; k < members.size(); k++) {
                planned[members.get(k)] = d[k];
            }
        }
        return planned;
    }

    private static List<ChannelOutcome> channelOutcomes(ChannelPlan plan, double[] pi, double[] budgets, List<ItemOutcome> items) {
        int n = plan.channels().size();
        double[] delivered = new double[n];
        double[] closed = new double[n];
        int[] flips = new int[n];
        for (ItemOutcome item : items) {
            Integer ch = plan.channelOfItem().get(item.nodeId());
            if (ch == null) {
                continue; // reached only through a link: links travel in no channel
            }
            delivered[ch] += item.deltaE();
            closed[ch] += Math.min(item.deltaE(), item.gapBefore());
            flips[ch] += item.flipped() ? 1 : 0;
        }
        List<ChannelOutcome> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new ChannelOutcome(plan.channels().get(i).id(), pi[i], budgets[i], delivered[i], flips[i], closed[i]));
        }
        return out;
    }

    /**
     * SPEC §6.7: the start node is offered the Beta-mean share, the end node the rest, each capped by its room below
     * Θ; what one end refuses is re-offered to the other; what both refuse is lost.
     */
    private static LinkOutcome split(Candidate c, double amount, Map<String, Receiver> receivers) {
        Candidate.Link l = c.link();
        Receiver a = receiver(receivers, l.fromId(), l.from(), c.similarity());
        Receiver b = receiver(receivers, l.toId(), l.to(), c.similarity());
        double share = l.fromShare();
        double toA = Math.min(amount * share, a.room());
        double toB = Math.min(amount - toA, b.room());
        double extraA = Math.min(amount - toA - toB, a.room() - toA);
        toA += extraA;
        double lost = Math.max(0, amount - toA - toB);
        a.receive(toA);
        b.receive(toB);
        return new LinkOutcome(c.id(), l.fromId(), l.toId(), c.similarity(), share, amount, toA, toB, lost);
    }

    private static Receiver receiver(Map<String, Receiver> receivers, String id, NodeState state, double similarity) {
        Receiver r = receivers.computeIfAbsent(id, k -> new Receiver(state, similarity));
        r.similarity = Math.max(r.similarity, similarity);
        return r;
    }
}
