package dev.membrane.bridge.embedding;


import dev.membrane.physics.support.VectorMath;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HashingEmbedderTest {
    private final TextEmbedder embedder = new HashingEmbedder(384);

    @Test
    void deterministicAndUnitLength() {
        float[] a = embedder.embed("Nightly database backup failed");
        assertArrayEquals(a, embedder.embed("Nightly database backup failed"));
        assertEquals(1.0, VectorMath.norm(a), 1e-6);
    }

    @Test
    void sharedWordsAndStemsMakeTextsSimilarAndUnrelatedTextsAreNot() {
        double related = VectorMath.cosine(embedder.embed("deploys of the bus"), embedder.embed("deploy scripts for the bus bridge"));
        double unrelated = VectorMath.cosine(embedder.embed("watercolour painting"), embedder.embed("database backup job"));
        assertTrue(related > 0.4, "related " + related);
        assertEquals(0.0, unrelated, 0.05);
    }

    @Test
    void stopWordsAloneGiveTheZeroVector() {
        assertEquals(0.0, VectorMath.norm(embedder.embed("the and of to")));
    }
}
