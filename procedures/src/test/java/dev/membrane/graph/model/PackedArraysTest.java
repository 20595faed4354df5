package dev.membrane.graph.model;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class PackedArraysTest {

    @Test
    void floatsAndDoublesRoundTripBitForBit() {
        float[] f = {0f, -0f, 1.5f, -3.25e-7f, Float.MAX_VALUE, Float.MIN_VALUE, Float.NaN, Float.POSITIVE_INFINITY};
        assertArrayEquals(f, PackedArrays.floats(PackedArrays.packFloats(f)));
        double[] d = {0, -0.0, Math.PI, -1e-300, Double.MAX_VALUE, Double.NaN};
        assertArrayEquals(d, PackedArrays.doubles(PackedArrays.packDoubles(d)));
        assertArrayEquals(new float[]{1.5f, -3.25e-7f}, PackedArrays.floats(PackedArrays.packFloats(f, 2, 4)), "a slice");
    }

    @Test
    void littleEndianSoOtherReadersCanDecodeIt() {
        byte[] one = PackedArrays.packFloats(new float[]{1f}); // 0x3F800000
        assertArrayEquals(new byte[]{0, 0, (byte) 0x80, 0x3F}, one);
    }

    @Test
    void plainArraysOfEarlierBuildsOrHandMadeGraphsAreReadToo() {
        assertArrayEquals(new float[]{1f, 2f}, PackedArrays.floats(new float[]{1f, 2f}));
        assertArrayEquals(new float[]{1f, 2f}, PackedArrays.floats(new double[]{1, 2}));
        assertArrayEquals(new double[]{1, 2}, PackedArrays.doubles(new double[]{1, 2}));
        assertArrayEquals(new double[]{1, 2}, PackedArrays.doubles(new float[]{1f, 2f}));
        assertNull(PackedArrays.floats(null));
        assertNull(PackedArrays.floats("not an array"));
        assertNull(PackedArrays.floats(new byte[]{1, 2, 3}), "not a whole number of floats");
        assertNull(PackedArrays.doubles(new byte[12]), "not a whole number of doubles");
        assertEquals(0, PackedArrays.floats(new byte[0]).length);
    }
}
