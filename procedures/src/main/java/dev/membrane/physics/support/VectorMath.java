package dev.membrane.physics.support;

/** Cosine similarity in tight loops over {@code float[]} (the shape Neo4j stores embeddings in). */
public final class VectorMath {
    private VectorMath() {
    }

    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** Cosine of two vectors; 0 when either has zero length (no direction, no similarity). */
    public static double cosine(float[] a, float[] b) {
        double na = norm(a);
        double nb = norm(b);
        if (na == 0 || nb == 0) {
            return 0;
        }
        return dot(a, b) / (na * nb);
    }

    /** Cosine against a query whose norm is already known (saves one pass per candidate in scans). */
    public static double cosine(float[] query, double queryNorm, float[] b) {
        double nb = norm(b);
        if (queryNorm == 0 || nb == 0) {
            return 0;
        }
        return dot(query, b) / (queryNorm * nb);
    }

    /** As {@link #cosine(float[], double, float[])} for candidates stored as {@code double[]}. */
    public static double cosine(float[] query, double queryNorm, double[] b) {
        double dot = 0;
        double nb = 0;
        for (int i = 0; i < b.length; i++) {
            dot += query[i] * b[i];
            nb += b[i] * b[i];
        }
        if (queryNorm == 0 || nb == 0) {
            return 0;
        }
        return dot / (queryNorm * Math.sqrt(nb));
    }

    /** SPEC §6.1: similarities are cosines clamped to [0, 1]; negative means unrelated. */
    public static double similarity(double cosine) {
        if (!(cosine > 0)) {
            return 0;
        }
        return Math.min(1.0, cosine);
    }

    /** SPEC §6.1: Neo4j's cosine vector index reports (1 + cos)/2; convert back before use. */
    public static double cosineFromIndexScore(double score) {
        return 2 * score - 1;
    }
}
