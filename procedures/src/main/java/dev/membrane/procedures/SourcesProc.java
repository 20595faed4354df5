package dev.membrane.procedures;

import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.cache.SourceYields;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.write.SourceStore;
import dev.membrane.physics.energy.HalfLifeDecay;
import dev.membrane.physics.gates.SourceGate;
import dev.membrane.physics.integrator.SourceState;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.graphdb.Node;
import org.neo4j.graphdb.Transaction;
import org.neo4j.procedure.Context;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Name;
import org.neo4j.procedure.Procedure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** {@code membrane.sources}: every source with what the integrator and the source gate learned about it. */
public final class SourcesProc {
    @Context
    public Transaction tx;

    @Context
    public GraphDatabaseService db;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.sources", mode = Mode.READ)
    @Description("Every source (SPEC §5, §6.6): trust, utility, harm, arrival mass now, arrivals, flip-yield EMA and "
            + "observations, and the source gate g it would get now.")
    public Stream<SourceRow> sources(
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys (e.g. clockMs).")
            Map<String, Object> config) {
        MembraneConfig c = runtime.config(config);
        long now = c.now(runtime.clock());
        HalfLifeDecay massDecay = new HalfLifeDecay(c.longValue(dev.membrane.config.ConfigKey.MASS_HALF_LIFE_MS));
        SourceGate gate = c.sourceGate();
        SourceYields yields = runtime.database(db).sourceYields();
        List<SourceRow> rows = new ArrayList<>();
        tx.findNodes(GraphModel.SOURCE).forEachRemaining(n -> {
            if (n.getProperty(GraphModel.ID, null) instanceof String id) {
                SourceState s = SourceStore.state(n, now);
                SourceYields.Entry y = SourceStore.yield(n);
                SourceYields.Rank rank = yields.rank(tx, id, y, gate.warmup());
                rows.add(new SourceRow(id, s, massDecay.decay(s.mass(), s.massAt(), now), y,
                        gate.gate(y.observations(), rank.atOrBelow(), rank.warmedUp())));
            }
        });
        rows.sort((a, b) -> a.id.compareTo(b.id));
        return rows.stream();
    }

    /** One source. */
    public static final class SourceRow {
        @Description("Source id (kind:name).")
        public final String id;
        @Description("Learned trust in [0, 1].")
        public final double trust;
        @Description("Learned utility in [0, 1].")
        public final double utility;
        @Description("Learned harm in [0, 1].")
        public final double harm;
        @Description("Arrival mass decayed to now.")
        public final double mass;
        @Description("Arrivals counted.")
        public final long count;
        @Description("Flip-yield EMA.")
        public final double yieldEma;
        @Description("Flip-yield observations.")
        public final long yieldObs;
        @Description("Source gate g it would get now.")
        public final double gate;

        SourceRow(String id, SourceState s, double massNow, SourceYields.Entry y, double g) {
            this.id = id;
            this.trust = s.trust();
            this.utility = s.utility();
            this.harm = s.harm();
            this.mass = massNow;
            this.count = s.count();
            this.yieldEma = y.ema();
            this.yieldObs = y.observations();
            this.gate = g;
        }
    }
}
