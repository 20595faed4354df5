package dev.membrane.physics.channels;

/**
 * One channel of SPEC §6.7: a subentity with selected members, or the unaffiliated rest ({@code id == null}).
 *
 * @param affinity     cos(stimulus, subentity embedding), clamped to [0, 1]
 * @param successFlips the subentity's flip counter
 * @param successGap   the subentity's gap-closed counter
 * @param obs          injections the subentity took part in
 */
public record Channel(String id, double affinity, double successFlips, double successGap, long obs) {

    public static Channel unaffiliated() {
        return new Channel(null, 0, 0, 0, 0);
    }

    public boolean isSubentity() {
        return id != null;
    }
}
