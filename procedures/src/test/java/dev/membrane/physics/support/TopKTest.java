package dev.membrane.physics.support;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TopKTest {

    @Test
    void keepsWhatAFullSortKeepsWithTiesByKey() {
        Random r = new Random(3);
        for (int round = 0; round < 200; round++) {
            int n = 1 + r.nextInt(500);
            int k = 1 + r.nextInt(80);
            // few distinct values, so ties are common and the key order decides them
            double[] sims = IntStream.range(0, n).mapToDouble(i -> r.nextInt(20) / 20.0).toArray();
            long[] keys = IntStream.range(0, n).mapToLong(i -> TopK.key(r.nextInt(5), i)).toArray();
            TopK top = new TopK(k);
            for (int i = 0; i < n; i++) {
                top.offer(sims[i], keys[i]);
            }
            Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -sims[i]).thenComparingLong(i -> keys[i]));
            long[] expected = Arrays.stream(order).limit(k).mapToLong(i -> keys[i]).toArray();
            assertArrayEquals(expected, top.keysBestFirst(), "round " + round);
            assertEquals(Math.min(n, k), top.size());
        }
    }

    @Test
    void packsGroupAndRow() {
        long key = TopK.key(199, 123_456);
        assertEquals(199, TopK.group(key));
        assertEquals(123_456, TopK.row(key));
        assertEquals(-5, TopK.row(TopK.key(3, -5)), "negative rows (links) survive the packing");
        assertEquals(3, TopK.group(TopK.key(3, -5)));
    }
}
