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
        return e.getProperty(key, null) instanceof Number n && Double.isFinite(n.doubleValue()) ? n.doubleValue() : fallback;
    }

    public static long integer(Entity e, String key, long fallback) {
        return e.getProperty(key, null) instanceof Number n ? n.longValue() : fallback;
    }
}
