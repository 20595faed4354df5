package dev.membrane.physics.integrator;

/**
 * What the integrator knows of one source (SPEC §5), as stored on its {@code :Source} node.
 *
 * @param mass        arrival mass, decayed to {@code massAt}
 * @param massHistory the last masses seen at arrivals, oldest first (at most madWindow)
 */
public record SourceState(double trust, double utility, double harm, double mass, long massAt, long count,
                          double[] massHistory) {

    /** SPEC §5: a source first seen starts neutral. */
    public static SourceState fresh(long now) {
        return new SourceState(0.5, 0.5, 0, 0, now, 0, new double[0]);
    }
}
