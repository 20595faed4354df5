package dev.membrane.bridge.embedding;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A deterministic stand-in for a sentence-embedding model, so the demo runs with no download: feature hashing
 * of content words. Each word, lower-cased and cut to its first {@link #STEM_CHARS} letters (so "deploy",
 * "deploys" and "deployment" meet), adds ±1 at a dimension chosen by its FNV-1a hash; the vector is L2-normalised.
 * Texts sharing words have positive cosine; texts sharing none have cosine ≈ 0. It knows no synonyms: that is
 * what the sentence model of the bridge issue adds.
 */
public final class HashingEmbedder implements TextEmbedder {
    /** Prefix length that stands in for stemming. */
    public static final int STEM_CHARS = 6;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");
    private static final Set<String> STOP_WORDS = Set.of("a", "an", "and", "are", "as", "at", "be", "by", "for", "from",
            "has", "in", "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "what",
            "who", "with", "not", "new", "next", "all", "every", "before", "after", "into", "again");

    private final int dimensions;

    public HashingEmbedder(int dimensions) {
        this.dimensions = dimensions;
    }

    @Override
    public int dimensions() {
        return dimensions;
    }

    @Override
    public String name() {
        return "word hashing (" + dimensions + "-d, no model)";
    }

    @Override
    public float[] embed(String text) {
        float[] v = new float[dimensions];
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String w = m.group();
            if (w.length() < 2 || STOP_WORDS.contains(w)) {
                continue;
            }
            String stem = w.length() > STEM_CHARS ? w.substring(0, STEM_CHARS) : w;
            int h = fnv1a(stem);
            v[Math.floorMod(h, dimensions)] += (h & 0x40000000) == 0 ? 1f : -1f;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm > 0) {
            float inv = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < v.length; i++) {
                v[i] *= inv;
            }
        }
        return v;
    }

    private static int fnv1a(String s) {
        int h = 0x811c9dc5;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x01000193;
        }
        return h;
    }
}
