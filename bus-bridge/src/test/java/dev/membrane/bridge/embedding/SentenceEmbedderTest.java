package dev.membrane.bridge.embedding;

import dev.membrane.physics.support.VectorMath;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The local sentence model (no network) embeds by meaning, which word hashing cannot. */
class SentenceEmbedderTest {
    private final SentenceEmbedder model = new SentenceEmbedder();

    @Test
    void meaningWithoutSharedWords() {
        float[] query = model.embed("Bring everyone back to life");
        List<float[]> nodes = model.embedAll(List.of("citizen reanimation pattern: wake dormant citizens",
                "quarterly budget spreadsheet", "watercolour painting and sketching"));
        assertEquals(SentenceEmbedder.DIMENSIONS, query.length);
        double reanimation = VectorMath.cosine(query, nodes.get(0));
        assertTrue(reanimation > VectorMath.cosine(query, nodes.get(1)) && reanimation > VectorMath.cosine(query, nodes.get(2)),
                "reanimation " + reanimation);
        HashingEmbedder words = new HashingEmbedder(SentenceEmbedder.DIMENSIONS);
        assertEquals(0.0, VectorMath.cosine(words.embed("Bring everyone back to life"),
                words.embed("citizen reanimation pattern: wake dormant citizens")), 0.05, "word hashing sees nothing in common");
    }
}
