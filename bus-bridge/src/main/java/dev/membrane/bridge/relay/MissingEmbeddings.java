package dev.membrane.bridge.relay;

import dev.membrane.bridge.embedding.TextEmbedder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Gives envelopes that carry text but no embedding one from the sentence model, a whole batch in one model call. */
final class MissingEmbeddings {
    private MissingEmbeddings() {
    }

    /** A model failure leaves the envelopes as they are: the plugin then retrieves them by full text. */
    static void fill(TextEmbedder embedder, List<Map<String, Object>> envelopes) {
        List<Map<String, Object>> todo = new ArrayList<>();
        for (Map<String, Object> e : envelopes) {
            if (!e.containsKey("embedding") && e.get("content") instanceof String text && !text.isBlank()) {
                todo.add(e);
            }
        }
        if (todo.isEmpty()) {
            return;
        }
        try {
            List<float[]> vectors = embedder.embedAll(todo.stream().map(e -> (String) e.get("content")).toList());
            for (int i = 0; i < todo.size(); i++) {
                List<Double> v = new ArrayList<>(vectors.get(i).length);
                for (float x : vectors.get(i)) {
                    v.add((double) x);
                }
                todo.get(i).put("embedding", v);
            }
        } catch (RuntimeException modelFailed) {
            // full-text retrieval in the plugin serves these envelopes
        }
    }
}
