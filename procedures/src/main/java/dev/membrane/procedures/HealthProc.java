package dev.membrane.procedures;

import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.write.EngineLearningStore;
import dev.membrane.physics.health.HealthModulation;
import dev.membrane.physics.health.HealthState;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.ResourceIterator;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.health}: an engine's working-memory load and what its health model has learned. */
public final class HealthProc {
    @Context
    public Transaction tx;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.health", mode = Mode.READ)
    @Description("An engine's health (SPEC §6.5): active nodes now, ρ = active / activeTarget, the budget factor f(ρ) "
            + "now, whether the isotonic model replaced the prior, its sample count and fitted points.")
    public Stream<HealthRow> health(
            @Name(value = "engine", description = "Id of the :Engine.") String engine,
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys (e.g. clockMs).")
            Map<String, Object> config) {
        MembraneConfig c = runtime.config(config);
        Node e = tx.findNode(GraphModel.ENGINE, GraphModel.ID, engine);
        if (e == null) {
            throw new IllegalArgumentException("engine: no (:Engine {id: '" + engine + "'}) exists");
        }
        NodeStates states = new NodeStates(c, c.now(runtime.clock()));
        long active = 0;
        try (ResourceIterator<Node> it = tx.findNodes(GraphModel.ACTIVE, GraphModel.ENGINE_ID, engine)) {
            while (it.hasNext()) {
                active += states.read(it.next()).active() ? 1 : 0;
            }
        }
        HealthModulation model = c.health();
        HealthState h = EngineLearningStore.readHealth(e);
        double rho = model.rho(active);
        return Stream.of(new HealthRow(engine, active, model.params().activeTarget(), rho, model.factor(h, rho), h));
    }

    /** One engine's health. */
    public static final class HealthRow {
        @Description("Engine id.")
        public final String engine;
        @Description("Nodes active now (decayed energies, with hysteresis).")
        public final long activeCount;
        @Description("Working-memory size (activeTarget).")
        public final long activeTarget;
        @Description("ρ = activeCount / activeTarget.")
        public final double rho;
        @Description("Budget factor f(ρ) an injection would get now.")
        public final double health;
        @Description("True once the isotonic fit replaced the prior (after healthWarmup samples).")
        public final boolean trained;
        @Description("Injections recorded by the health model.")
        public final long samples;
        @Description("Fitted points of q̂(ρ), ρ ascending: list of {rho, q}.")
        public final List<Map<String, Object>> fit;

        HealthRow(String engine, long active, int target, double rho, double f, HealthState h) {
            this.engine = engine;
            this.activeCount = active;
            this.activeTarget = target;
            this.rho = rho;
            this.health = f;
            this.trained = h.trained();
            this.samples = h.count();
            List<Map<String, Object>> points = new ArrayList<>();
            for (int i = 0; i < h.fit().xs().length; i++) {
                Map<String, Object> p = new LinkedHashMap<>();
                p.put("rho", h.fit().xs()[i]);
                p.put("q", h.fit().ys()[i]);
                points.add(p);
            }
            this.fit = points;
        }
    }
}
