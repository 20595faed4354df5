package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.gates.Cohort;
import dev.membrane.physics.health.HealthState;
import dev.membrane.physics.health.IsotonicRegression;
import org.neo4j.graphdb.Node;

/**
 * Reads and writes what an engine has learned (SPEC §0.4: learned state lives in the graph): the health model and
 * the peripheral cohort, as array properties of its {@code :Engine} node.
 */
public final class EngineLearningStore {
    private EngineLearningStore() {
    }

    public static HealthState readHealth(Node engine) {
        if (!(engine.getProperty(GraphModel.HEALTH_SAMPLES, null) instanceof float[] samples)) {
            return HealthState.empty();
        }
        long count = PropertyValues.integer(engine, GraphModel.HEALTH_COUNT, 0);
        double[] xs = (double[]) engine.getProperty(GraphModel.HEALTH_FIT_RHO, new double[0]);
        double[] ys = (double[]) engine.getProperty(GraphModel.HEALTH_FIT_Q, new double[0]);
        long trainedAt = PropertyValues.integer(engine, GraphModel.HEALTH_TRAINED_AT, 0);
        return new HealthState(samples, count, new IsotonicRegression.Fit(xs, ys), trainedAt);
    }

    public static void writeHealth(Node engine, HealthState h) {
        engine.setProperty(GraphModel.HEALTH_SAMPLES, h.samples());
        engine.setProperty(GraphModel.HEALTH_COUNT, h.count());
        if (h.trained()) {
            engine.setProperty(GraphModel.HEALTH_FIT_RHO, h.fit().xs());
            engine.setProperty(GraphModel.HEALTH_FIT_Q, h.fit().ys());
            engine.setProperty(GraphModel.HEALTH_TRAINED_AT, h.trainedAt());
        }
    }

    public static Cohort readPeriphery(Node engine, int window) {
        if (!(engine.getProperty(GraphModel.PERIPHERY, null) instanceof float[] values)) {
            return Cohort.empty(window);
        }
        return new Cohort(values, PropertyValues.integer(engine, GraphModel.PERIPHERY_COUNT, 0));
    }

    public static void writePeriphery(Node engine, Cohort c) {
        engine.setProperty(GraphModel.PERIPHERY, c.values());
        engine.setProperty(GraphModel.PERIPHERY_COUNT, c.count());
    }
}
