package dev.membrane.physics.gates;

/**
 * A ring of the last values of a statistic (SPEC §6.6 peripheral cohort), as stored on the engine.
 *
 * @param values ring storage; its length is the window
 * @param count  values recorded in total
 */
public record Cohort(float[] values, long count) {

    public static Cohort empty(int window) {
        return new Cohort(new float[window], 0);
    }

    public int size() {
        return (int) Math.min(count, values.length);
    }

    public Cohort add(double x) {
        float[] v = values.clone();
        v[(int) (count % v.length)] = (float) x;
        return new Cohort(v, count + 1);
    }

    public double mean() {
        int n = size();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += values[i];
        }
        return n == 0 ? 0 : s / n;
    }

    /** Population standard deviation. */
    public double std() {
        int n = size();
        if (n == 0) {
            return 0;
        }
        double m = mean();
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (values[i] - m) * (values[i] - m);
        }
        return Math.sqrt(s / n);
    }
}
