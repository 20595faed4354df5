package dev.membrane.graph.write;

import dev.membrane.graph.cache.HealthModels;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PackedArrays;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.gates.Cohort;
import dev.membrane.physics.health.HealthState;
import dev.membrane.physics.health.IsotonicRegression;
import org.neo4j.graphdb.Node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes what an engine has learned (SPEC §0.4: learned state lives in the graph): the health model and
 * the peripheral cohort, as array properties of its {@code :Engine} node.
 * <p>The health ring (4 floats × {@code healthWindow} samples, 16 KB at the default) is stored in chunks of
 * {@link #HEALTH_CHUNK_SAMPLES} samples, and a call writes back only the chunks its samples landed in. Rewritten
 * whole, the ring cost every touched engine 16 KB of property records, their old values and their log entries per
 * call: 17 % of a batch-500 {@code membrane.integrate} at 100k nodes (docs/benchmarks.md). The fit is written only
 * when it was refitted. Arrays are stored packed ({@link PackedArrays}).
 */
public final class EngineLearningStore {
    /** Samples per stored chunk (1 KB): a storage layout, not a tunable; a call's samples usually land in one or two. */
    static final int HEALTH_CHUNK_SAMPLES = 64;
    private static final int CHUNK_FLOATS = HEALTH_CHUNK_SAMPLES * HealthState.FIELDS;

    private EngineLearningStore() {
    }

    /**
     * The engine's health model for one call, from {@code models} when its copy is current, else from the node; the
     * ring is the caller's own.
     */
    public static HealthState readHealth(Node engine, String engineId, HealthModels models) {
        String elementId = engine.getElementId();
        HealthState known = models.current(engineId, elementId, PropertyValues.integer(engine, GraphModel.HEALTH_COUNT, 0));
        return known != null ? known : readHealth(engine);
    }

    public static HealthState readHealth(Node engine) {
        float[] samples = readRing(engine);
        if (samples == null) {
            return HealthState.empty();
        }
        long count = PropertyValues.integer(engine, GraphModel.HEALTH_COUNT, 0);
        double[] xs = PackedArrays.doubles(engine.getProperty(GraphModel.HEALTH_FIT_RHO, null));
        double[] ys = PackedArrays.doubles(engine.getProperty(GraphModel.HEALTH_FIT_Q, null));
        if (xs == null || ys == null || xs.length != ys.length) {
            xs = new double[0];
            ys = new double[0];
        }
        long trainedAt = PropertyValues.integer(engine, GraphModel.HEALTH_TRAINED_AT, 0);
        return new HealthState(samples, count, new IsotonicRegression.Fit(xs, ys), trainedAt);
    }

    /**
     * Writes {@code now} back, given the state {@code read} returned for this call: only the chunks holding the samples
     * recorded since ({@code read.count()} up to {@code now.count()}), all of them when the ring changed size or was
     * stored the old way.
     */
    public static void writeHealth(Node engine, HealthState read, HealthState now) {
        float[] ring = now.samples();
        if (ring.length == 0 || now.count() == read.count() && now.trainedAt() == read.trainedAt()) {
            return;
        }
        int window = ring.length / HealthState.FIELDS;
        int chunks = (ring.length + CHUNK_FLOATS - 1) / CHUNK_FLOATS;
        boolean whole = read.samples().length != ring.length || now.count() - read.count() >= window
                || engine.hasProperty(GraphModel.HEALTH_SAMPLES) || !engine.hasProperty(chunkName(chunks - 1))
                || engine.hasProperty(chunkName(chunks));
        boolean[] dirty = new boolean[chunks];
        if (whole) {
            Arrays.fill(dirty, true);
            engine.removeProperty(GraphModel.HEALTH_SAMPLES);
            for (int c = chunks; engine.hasProperty(chunkName(c)); c++) {
                engine.removeProperty(chunkName(c));
            }
        } else {
            for (long n = read.count(); n < now.count(); n++) {
                dirty[(int) (n % window) / HEALTH_CHUNK_SAMPLES] = true;
            }
        }
        for (int c = 0; c < chunks; c++) {
            if (dirty[c]) {
                int from = c * CHUNK_FLOATS;
                engine.setProperty(chunkName(c), PackedArrays.packFloats(ring, from, Math.min(ring.length, from + CHUNK_FLOATS)));
            }
        }
        engine.setProperty(GraphModel.HEALTH_COUNT, now.count());
        if (now.trained() && now.trainedAt() != read.trainedAt()) {
            engine.setProperty(GraphModel.HEALTH_FIT_RHO, PackedArrays.packDoubles(now.fit().xs()));
            engine.setProperty(GraphModel.HEALTH_FIT_Q, PackedArrays.packDoubles(now.fit().ys()));
            engine.setProperty(GraphModel.HEALTH_TRAINED_AT, now.trainedAt());
        }
    }

    /** The stored ring, joined from its chunks (or the single array of earlier builds); null when none is stored. */
    private static float[] readRing(Node engine) {
        float[] whole = PackedArrays.floats(engine.getProperty(GraphModel.HEALTH_SAMPLES, null));
        if (whole != null) {
            return whole;
        }
        List<float[]> parts = new ArrayList<>();
        int length = 0;
        for (int c = 0; ; c++) {
            float[] part = PackedArrays.floats(engine.getProperty(chunkName(c), null));
            if (part == null) {
                break;
            }
            parts.add(part);
            length += part.length;
        }
        if (parts.isEmpty()) {
            return null;
        }
        float[] ring = new float[length];
        int at = 0;
        for (float[] part : parts) {
            System.arraycopy(part, 0, ring, at, part.length);
            at += part.length;
        }
        return ring;
    }

    private static String chunkName(int chunk) {
        return GraphModel.HEALTH_SAMPLES_CHUNK_PREFIX + chunk;
    }

    public static Cohort readPeriphery(Node engine, int window) {
        float[] values = PackedArrays.floats(engine.getProperty(GraphModel.PERIPHERY, null));
        if (values == null) {
            return Cohort.empty(window);
        }
        return new Cohort(values, PropertyValues.integer(engine, GraphModel.PERIPHERY_COUNT, 0));
    }

    public static void writePeriphery(Node engine, Cohort c) {
        engine.setProperty(GraphModel.PERIPHERY, PackedArrays.packFloats(c.values()));
        engine.setProperty(GraphModel.PERIPHERY_COUNT, c.count());
    }
}
