package dev.membrane.bridge.embedding;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;

import java.util.List;

/**
 * all-MiniLM-L6-v2 sentence embeddings (384-d), run locally through ONNX from a Maven Central package: no network, no
 * download at run time. Texts that share no words but mean the same land close together ("Resurrect all citizens"
 * finds "citizen reanimation pattern"). Loaded on first use (~2 s); ~4 ms per sentence on these cores (STACK.md).
 * <p>Concurrency: the model is thread-safe; the lazy load is guarded by {@code this}.
 */
public final class SentenceEmbedder implements TextEmbedder {
    public static final int DIMENSIONS = 384;
    private volatile EmbeddingModel model;

    private EmbeddingModel model() {
        EmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                if (model == null) {
                    model = new AllMiniLmL6V2EmbeddingModel();
                }
                m = model;
            }
        }
        return m;
    }

    @Override
    public float[] embed(String text) {
        return model().embed(text).content().vector();
    }

    @Override
    public List<float[]> embedAll(List<String> texts) {
        return model().embedAll(texts.stream().map(TextSegment::from).toList()).content().stream()
                .map(e -> e.vector()).toList();
    }

    @Override
    public int dimensions() {
        return DIMENSIONS;
    }

    @Override
    public String name() {
        return "all-MiniLM-L6-v2";
    }
}
