package dev.membrane.protocol;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * SPEC §11: every value the database cannot store — an integer beyond 64 bits, a number beyond a double's range or
 * not finite, a map key that is not a string, nesting deeper than {@link #MAX_DEPTH}, a value of no Cypher type —
 * is found before any transaction and named by its field path ({@code invalid_field:provenance.retries}). A JSON
 * parser hands such values over as {@link BigInteger} or {@link BigDecimal}; the Neo4j driver would refuse them
 * only when the whole batch is sent, failing every envelope with it.
 */
public final class Storable {
    /** Deepest nesting of maps and lists accepted inside one envelope. */
    public static final int MAX_DEPTH = 32;

    private Storable() {
    }

    /** @throws EnvelopeException naming the first field whose value cannot be stored */
    public static void check(Map<?, ?> envelope) {
        for (Map.Entry<?, ?> e : envelope.entrySet()) {
            value(e.getValue(), String.valueOf(e.getKey()), 1);
        }
    }

    private static void value(Object v, String path, int depth) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Integer
                || v instanceof Short || v instanceof Byte) {
            return;
        }
        if (v instanceof BigInteger b) {
            if (b.bitLength() > 63) {
                throw EnvelopeException.invalid(path, "integer beyond 64 bits cannot be stored, got " + clip(b.toString()));
            }
            return;
        }
        if (v instanceof BigDecimal d) {
            if (!Double.isFinite(d.doubleValue())) {
                throw EnvelopeException.invalid(path, "number beyond ±1.8e308 cannot be stored, got " + clip(d.toString()));
            }
            return;
        }
        if (v instanceof Double || v instanceof Float) {
            if (!Double.isFinite(((Number) v).doubleValue())) {
                throw EnvelopeException.invalid(path, "must be a finite number, got " + v);
            }
            return;
        }
        if (depth > MAX_DEPTH) {
            throw EnvelopeException.invalid(path, "nested deeper than " + MAX_DEPTH + " levels");
        }
        if (v instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String k)) {
                    throw EnvelopeException.invalid(path, "map keys must be strings");
                }
                value(e.getValue(), path + "." + k, depth + 1);
            }
            return;
        }
        if (v instanceof Collection<?> c) {
            int i = 0;
            for (Object x : c) {
                value(x, path + "[" + i++ + "]", depth + 1);
            }
            return;
        }
        if (v instanceof float[] || v instanceof double[] || v instanceof long[] || v instanceof int[] || v instanceof String[]) {
            return;
        }
        throw EnvelopeException.invalid(path, "a " + v.getClass().getSimpleName() + " cannot be stored");
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }
}
