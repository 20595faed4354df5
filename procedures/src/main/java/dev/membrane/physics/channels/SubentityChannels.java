package dev.membrane.physics.channels;

import java.util.Arrays;
import java.util.List;

/**
 * SPEC §6.7 channel weights π: {@code success = sqrt(flipShare · gapShare)} from the subentities' counters (shares
 * among the channels in play), affinity and success each rank-z'd among the subentity channels
 * ({@code z = 2·(rankFrac − 0.5)}), {@code π = softmax((z_aff + z_succ)/2)}. The unaffiliated channel is neutral
 * (z = 0 on both axes). Until every subentity in play has {@code warmup} observations, the split is equal.
 */
public record SubentityChannels(int warmup) {

    public double[] weights(List<Channel> channels) {
        int n = channels.size();
        double[] pi = new double[n];
        if (n == 0) {
            return pi;
        }
        boolean warm = channels.stream().filter(Channel::isSubentity).allMatch(c -> c.obs() >= warmup);
        if (!warm) {
            Arrays.fill(pi, 1.0 / n);
            return pi;
        }
        double flips = 0;
        double gaps = 0;
        for (Channel c : channels) {
            flips += c.successFlips();
            gaps += c.successGap();
        }
        double[] affinity = new double[n];
        double[] success = new double[n];
        for (int i = 0; i < n; i++) {
            Channel c = channels.get(i);
            affinity[i] = c.affinity();
            double flipShare = flips > 0 ? c.successFlips() / flips : 0;
            double gapShare = gaps > 0 ? c.successGap() / gaps : 0;
            success[i] = Math.sqrt(flipShare * gapShare);
        }
        double[] logits = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            logits[i] = channels.get(i).isSubentity()
                    ? (rankZ(affinity, i, channels) + rankZ(success, i, channels)) / 2 : 0;
            max = Math.max(max, logits[i]);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            pi[i] = Math.exp(logits[i] - max);
            sum += pi[i];
        }
        for (int i = 0; i < n; i++) {
            pi[i] /= sum;
        }
        return pi;
    }

    /** 2·(share of subentity channels whose value ≤ this one's − 0.5). */
    private static double rankZ(double[] values, int i, List<Channel> channels) {
        int count = 0;
        int atOrBelow = 0;
        for (int j = 0; j < values.length; j++) {
            if (!channels.get(j).isSubentity()) {
                continue;
            }
            count++;
            if (values[j] <= values[i]) {
                atOrBelow++;
            }
        }
        return 2 * ((double) atOrBelow / count - 0.5);
    }
}
