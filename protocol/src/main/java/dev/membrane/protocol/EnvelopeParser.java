package dev.membrane.protocol;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The one validator of SPEC §3. Takes the loose map a client sent (Cypher map or parsed JSON) and returns an
 * {@link Envelope}, or throws {@link EnvelopeException} naming the first field at fault. Never writes anything,
 * so a rejected envelope cannot leave a partial effect.
 */
public final class EnvelopeParser {

    /** How strict the required fields are. */
    public enum Mode {
        /** A bus envelope for {@code membrane.integrate}: type, id, scope, source, channel, content are required. */
        ENVELOPE,
        /**
         * A stimulus for {@code membrane.inject} (one named engine, no integrator): only something to retrieve by
         * ({@code content}, {@code embedding} or {@code targetNodes}) is required.
         */
        STIMULUS
    }

    /** Source of a stimulus given to {@code membrane.inject} without one. */
    public static final String DEFAULT_STIMULUS_SOURCE = "tool:membrane.inject";
    /** Channel of a stimulus given to {@code membrane.inject} without one. */
    public static final String DEFAULT_STIMULUS_CHANNEL = "membrane.inject";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9._:-]{1,128}");
    private static final Set<String> SOURCE_KINDS = Set.of("script", "service", "ui", "tool", "test", "membrane", "custom");
    private static final int MAX_SOURCE_CHARS = 200;
    private static final int MAX_KEY_CHARS = 512;

    private final EnvelopeLimits limits;

    public EnvelopeParser(EnvelopeLimits limits) {
        this.limits = limits;
    }

    /**
     * @param raw         the map as received
     * @param nowMillis   the clock's now (for the default ts, skew and ttl checks)
     * @param generatedId supplies an id in {@link Mode#STIMULUS} when none was given
     */
    public Envelope parse(Map<String, ?> raw, Mode mode, long nowMillis, Supplier<String> generatedId) {
        if (raw == null) {
            throw EnvelopeException.invalid("envelope", "must be a map, got null");
        }
        for (String key : raw.keySet()) {
            if (EnvelopeField.fromWire(key).isEmpty()) {
                throw EnvelopeException.invalid(key, "unknown field (did you mean '" + EnvelopeField.closest(key) + "'?)");
            }
        }
        boolean strict = mode == Mode.ENVELOPE;

        String type = string(raw, EnvelopeField.TYPE, strict);
        if (type != null && !EnvelopeField.INJECT_TYPE.equals(type)) {
            throw EnvelopeException.invalid("type", "must be '" + EnvelopeField.INJECT_TYPE + "', got '" + type + "'");
        }
        String id = string(raw, EnvelopeField.ID, strict);
        if (id == null) {
            id = generatedId.get();
        }
        if (!ID.matcher(id).matches()) {
            throw EnvelopeException.invalid("id", "must be 1-128 characters of [A-Za-z0-9._:-], got '" + clip(id) + "'");
        }
        long ts = timestamp(raw.get(EnvelopeField.TS.wire()), nowMillis);
        String scopeText = string(raw, EnvelopeField.SCOPE, strict);
        Scope scope = null;
        if (scopeText != null) {
            scope = Scope.fromWire(scopeText).orElseThrow(() -> EnvelopeException.invalid("scope",
                    "must be one of " + Scope.allowed() + ", got '" + clip(scopeText) + "'"));
        }
        String source = string(raw, EnvelopeField.SOURCE, strict);
        source = source == null ? DEFAULT_STIMULUS_SOURCE : source;
        checkSource(source);
        String channel = string(raw, EnvelopeField.CHANNEL, strict);
        channel = channel == null ? DEFAULT_STIMULUS_CHANNEL : channel;
        if (!CHANNEL.matcher(channel).matches()) {
            throw EnvelopeException.invalid("channel", "must be 1-128 characters of [a-z0-9._:-], got '" + clip(channel) + "'");
        }
        float[] embedding = embedding(raw.get(EnvelopeField.EMBEDDING.wire()));
        List<String> targets = targetNodes(raw.get(EnvelopeField.TARGET_NODES.wire()));
        String content = string(raw, EnvelopeField.CONTENT, false);
        if (content == null && strict) {
            throw EnvelopeException.invalid("content", "is required");
        }
        content = content == null ? "" : content;
        if (utf8Length(content) > limits.maxContentBytes()) {
            throw EnvelopeException.invalid("content", "must be at most " + limits.maxContentBytes() + " UTF-8 bytes");
        }
        if (content.isBlank() && embedding == null && targets.isEmpty()) {
            throw EnvelopeException.invalid("content", "must not be blank when neither embedding nor targetNodes is given");
        }
        Features features = features(raw.get(EnvelopeField.FEATURES.wire()));
        String originText = string(raw, EnvelopeField.ORIGIN, false);
        Origin origin = Origin.EXTERNAL;
        if (originText != null) {
            origin = Origin.fromWire(originText).orElseThrow(() -> EnvelopeException.invalid("origin",
                    "must be one of " + Origin.allowed() + ", got '" + clip(originText) + "'"));
        }
        long depth = integer(raw.get(EnvelopeField.ORIGIN_CHAIN_DEPTH.wire()), "originChainDepth", 0, 0, limits.maxOriginDepth());
        long ttl = integer(raw.get(EnvelopeField.TTL_MS.wire()), "ttlMs", 0, 1, Long.MAX_VALUE / 4);
        if (ttl > 0 && ts + ttl < nowMillis) {
            throw EnvelopeException.ttlExpired("ts + ttlMs = " + Instant.ofEpochMilli(ts + ttl) + " is before now = "
                    + Instant.ofEpochMilli(nowMillis));
        }
        String dedupeKey = string(raw, EnvelopeField.DEDUPE_KEY, false);
        if (dedupeKey != null && (dedupeKey.isEmpty() || dedupeKey.length() > MAX_KEY_CHARS)) {
            throw EnvelopeException.invalid("dedupeKey", "must be 1-" + MAX_KEY_CHARS + " characters");
        }
        Map<String, Object> provenance = freeMap(raw.get(EnvelopeField.PROVENANCE.wire()), "provenance");
        Map<String, Object> metadata = freeMap(raw.get(EnvelopeField.METADATA.wire()), "metadata");
        return new Envelope(id, ts, scope, source, channel, content, embedding, features, origin, (int) depth, ttl,
                dedupeKey, targets, provenance, metadata);
    }

    private static String string(Map<String, ?> raw, EnvelopeField field, boolean required) {
        Object v = raw.get(field.wire());
        if (v == null) {
            if (required) {
                throw EnvelopeException.invalid(field.wire(), "is required");
            }
            return null;
        }
        if (!(v instanceof String s)) {
            throw EnvelopeException.invalid(field.wire(), "must be a string, got " + typeName(v));
        }
        return s;
    }

    private long timestamp(Object v, long now) {
        if (v == null) {
            return now;
        }
        long ts;
        if (v instanceof String s) {
            try {
                ts = Instant.parse(s).toEpochMilli();
            } catch (DateTimeParseException e) {
                try {
                    ts = OffsetDateTime.parse(s).toInstant().toEpochMilli();
                } catch (DateTimeParseException e2) {
                    throw EnvelopeException.invalid("ts", "must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, got '" + clip(s) + "'");
                }
            }
        } else if (v instanceof ZonedDateTime z) {
            ts = z.toInstant().toEpochMilli();
        } else if (v instanceof OffsetDateTime o) {
            ts = o.toInstant().toEpochMilli();
        } else if (v instanceof Instant i) {
            ts = i.toEpochMilli();
        } else if (v instanceof TemporalAccessor) {
            throw EnvelopeException.invalid("ts", "must carry a time zone (an instant), got " + typeName(v));
        } else {
            throw EnvelopeException.invalid("ts", "must be an ISO-8601 instant string, got " + typeName(v));
        }
        if (ts - now > limits.maxClockSkewMs()) {
            throw EnvelopeException.invalid("ts", "lies " + (ts - now) + " ms in the future; at most "
                    + limits.maxClockSkewMs() + " ms of clock skew is allowed");
        }
        return ts;
    }

    private static void checkSource(String source) {
        int colon = source.indexOf(':');
        if (source.length() > MAX_SOURCE_CHARS || colon <= 0 || colon == source.length() - 1
                || !SOURCE_KINDS.contains(source.substring(0, colon))) {
            throw EnvelopeException.invalid("source", "must be 'kind:name' (kind one of " + String.join(", ",
                    SOURCE_KINDS.stream().sorted().toList()) + ", at most " + MAX_SOURCE_CHARS + " characters), got '"
                    + clip(source) + "'");
        }
    }

    private float[] embedding(Object v) {
        if (v == null) {
            return null;
        }
        int n = limits.embeddingDimensions();
        float[] out = new float[n];
        int len;
        if (v instanceof float[] f) {
            len = f.length;
            checkLength(len, n);
            for (int i = 0; i < n; i++) {
                out[i] = finite(f[i], i);
            }
        } else if (v instanceof double[] d) {
            len = d.length;
            checkLength(len, n);
            for (int i = 0; i < n; i++) {
                out[i] = finite(d[i], i);
            }
        } else if (v instanceof List<?> list) {
            checkLength(list.size(), n);
            for (int i = 0; i < n; i++) {
                Object x = list.get(i);
                if (!(x instanceof Number num)) {
                    throw EnvelopeException.invalid("embedding", "element " + i + " must be a number, got " + typeName(x));
                }
                out[i] = finite(num.doubleValue(), i);
            }
        } else {
            throw EnvelopeException.invalid("embedding", "must be a list of " + n + " numbers, got " + typeName(v));
        }
        return out;
    }

    private static void checkLength(int len, int n) {
        if (len != n) {
            throw EnvelopeException.invalid("embedding", "must have " + n + " numbers (embeddingDimensions), got " + len);
        }
    }

    private static float finite(double x, int i) {
        float f = (float) x;
        if (!Double.isFinite(x) || !Float.isFinite(f)) {
            throw EnvelopeException.invalid("embedding", "element " + i + " must be finite, got " + x);
        }
        return f;
    }

    private List<String> targetNodes(Object v) {
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof Collection<?> c)) {
            throw EnvelopeException.invalid("targetNodes", "must be a list of node ids, got " + typeName(v));
        }
        if (c.size() > limits.maxTargetNodes()) {
            throw EnvelopeException.invalid("targetNodes", "must hold at most " + limits.maxTargetNodes() + " ids, got " + c.size());
        }
        List<String> out = new ArrayList<>(c.size());
        for (Object x : c) {
            if (!(x instanceof String s) || s.isEmpty() || s.length() > MAX_KEY_CHARS) {
                throw EnvelopeException.invalid("targetNodes", "must hold non-empty strings of at most " + MAX_KEY_CHARS
                        + " characters, got " + typeName(x));
            }
            if (!out.contains(s)) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    private static Features features(Object v) {
        if (v == null) {
            return Features.defaults();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw EnvelopeException.invalid("features", "must be a map, got " + typeName(v));
        }
        Map<Feature, Double> given = new EnumMap<>(Feature.class);
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            Feature f = Feature.fromWire(name).orElseThrow(() -> EnvelopeException.invalid("features." + name,
                    "unknown feature; known: novelty, uncertainty, trust, urgency, scale, intensity, valence"));
            if (e.getValue() == null) {
                continue;
            }
            if (!(e.getValue() instanceof Number num)) {
                throw EnvelopeException.invalid("features." + name, "must be a number, got " + typeName(e.getValue()));
            }
            double x = num.doubleValue();
            if (!Double.isFinite(x) || x < f.min() || x > f.max()) {
                throw EnvelopeException.invalid("features." + name, "must be a number in [" + fmt(f.min()) + ", "
                        + fmt(f.max()) + "], got " + x);
            }
            given.put(f, x);
        }
        return Features.of(given);
    }

    private static long integer(Object v, String field, long absent, long min, long max) {
        if (v == null) {
            return absent;
        }
        if (!(v instanceof Number num)) {
            throw EnvelopeException.invalid(field, "must be an integer, got " + typeName(v));
        }
        double d = num.doubleValue();
        if (!Double.isFinite(d) || d != Math.rint(d)) {
            throw EnvelopeException.invalid(field, "must be an integer, got " + d);
        }
        long x = num.longValue();
        if (x < min || x > max) {
            throw EnvelopeException.invalid(field, "must be in [" + min + ", " + max + "], got " + x);
        }
        return x;
    }

    private Map<String, Object> freeMap(Object v, String field) {
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> map)) {
            throw EnvelopeException.invalid(field, "must be a map, got " + typeName(v));
        }
        long size = SerializedSize.of(map);
        if (size > limits.maxFreeMapBytes()) {
            throw EnvelopeException.invalid(field, "must serialise to at most " + limits.maxFreeMapBytes()
                    + " bytes, got about " + size);
        }
        Storable.check(Map.of(field, map));
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, x) -> out.put(String.valueOf(k), x));
        return out;
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 61) + "...";
    }

    static String typeName(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof String) {
            return "a string";
        }
        if (v instanceof Number) {
            return "a number (" + v + ")";
        }
        if (v instanceof Boolean) {
            return "a boolean";
        }
        if (v instanceof Map) {
            return "a map";
        }
        if (v instanceof Collection || v.getClass().isArray()) {
            return "a list";
        }
        return v.getClass().getSimpleName();
    }

    /** UTF-8 byte count without encoding (no copy of up to 64 KiB per envelope). */
    static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }
}
