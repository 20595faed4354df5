package dev.membrane.bridge.embedding;

import java.util.ArrayList;
import java.util.List;

/** Turns text into the embeddings the plugin retrieves by (SPEC §6.1); the bridge embeds text-only envelopes. */
public interface TextEmbedder {

    float[] embed(String text);

    /** Many at once (models batch them); the default embeds one by one. */
    default List<float[]> embedAll(List<String> texts) {
        List<float[]> out = new ArrayList<>(texts.size());
        texts.forEach(t -> out.add(embed(t)));
        return out;
    }

    int dimensions();

    String name();
}
