package dev.membrane.graph.model;

import org.neo4j.graphdb.Entity;

/**
 * Reads numeric properties the way every part of the adapter needs them: a missing, non-numeric or non-finite
 * value reads as the fallback, so hand-edited data never puts NaN into the physics.
 */
public final class PropertyValues {
    private PropertyValues() {
    }

    public static double number(Entity e, String key, double fallback) {
        return number(e.getProperty(key, null), fallback);
    }

    /** A value already read (e.g. by {@code Entity.getProperties}), by the same rule. */
    public static double number(Object value, double fallback) {
        return value instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : fallback;
    }

    public static long integer(Object value, long fallback) {
        return value instanceof Number n ? n.longValue() : fallback;
    }

    /**
     * An embedding as {@code float[]}: Neo4j keeps what the writer sent, {@code float[]} from Java, {@code double[]}
     * from a Cypher list. {@code null} when absent, of another type, or not {@code dims} long ({@code dims < 0}: any).
     */
    public static float[] embedding(Entity e, String key, int dims) {
        Object v = e.getProperty(key, null);
        if (v instanceof float[] f && (dims < 0 || f.length == dims)) {
            return f;
        }
        if (v instanceof double[] d && (dims < 0 || d.length == dims)) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return f;
        }
        return null;
    }

    public static long integer(Entity e, String key, long fallback) {
        return integer(e.getProperty(key, null), fallback);
    }
}
