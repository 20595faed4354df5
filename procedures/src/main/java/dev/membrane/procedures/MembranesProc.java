package dev.membrane.procedures;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.extension.MembraneRuntime;
import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.graph.write.MembraneStore;
import dev.membrane.physics.energy.HalfLifeDecay;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Export;
import org.neo4j.graphdb.Relationship;
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
import java.util.TreeMap;
import java.util.stream.Stream;

/** {@code membrane.membranes}: every membrane with its permeabilities, flow, recent transfers and rejections. */
public final class MembranesProc {
    @Context
    public Transaction tx;

    @Context
    public MembraneRuntime runtime;

    @Procedure(name = "membrane.membranes", mode = Mode.READ)
    @Description("Every membrane (SPEC §7): κ↑, κ↓, effEma, export flow now, delivered and absorbed transfers so far, recent exports and "
            + "rejections by reason (depth, pareto_fail, mad_fail, ledger_block, hysteresis).")
    public Stream<MembraneRow> membranes(
            @Name(value = "config", defaultValue = "{}", description = "Overrides of membrane.config() keys (e.g. clockMs).")
            Map<String, Object> config) {
        MembraneConfig c = runtime.config(config);
        long now = c.now(runtime.clock());
        HalfLifeDecay flowDecay = new HalfLifeDecay(c.longValue(ConfigKey.FLOW_HALF_LIFE_MS));
        List<MembraneRow> rows = new ArrayList<>();
        tx.getAllRelationships().stream().filter(r -> r.isType(GraphModel.MEMBRANE_TO)).forEach(m -> rows.add(new MembraneRow(m, c,
                flowDecay.decay(PropertyValues.number(m, GraphModel.FLOW, 0), PropertyValues.integer(m, GraphModel.FLOW_AT, now), now))));
        rows.sort((a, b) -> a.membrane.compareTo(b.membrane));
        return rows.stream();
    }

    /** One membrane. */
    public static final class MembraneRow {
        @Description("Name: <lower engine>><upper engine>.")
        public final String membrane;
        @Description("Lower engine id.")
        public final String from;
        @Description("Upper engine id.")
        public final String to;
        @Description("Upward permeability κ↑.")
        public final double kappaUp;
        @Description("Downward permeability κ↓.")
        public final double kappaDown;
        @Description("EMA of good outcomes.")
        public final double effEma;
        @Description("Export flow now (decayed).")
        public final double flow;
        @Description("Delivered transfers through this membrane so far (their missions delivered energy).")
        public final long transfers;
        @Description("Absorbed transfers so far: the gates passed but the mission delivered nothing (SPEC §7.1 step 6).")
        public final long absorbed;
        @Description("Recent delivered exports, newest last: ts, direction, nodeId, score, novelty, fit.")
        public final List<Map<String, Object>> recent;
        @Description("Rejections by gate reason.")
        public final Map<String, Object> rejections;

        MembraneRow(Relationship m, MembraneConfig c, double flowNow) {
            this.membrane = MembraneStore.name(m);
            this.from = (String) m.getStartNode().getProperty(GraphModel.ID, null);
            this.to = (String) m.getEndNode().getProperty(GraphModel.ID, null);
            this.kappaUp = MembraneStore.kappa(m, Direction.UP, c.doubleValue(ConfigKey.KAPPA_UP_DEFAULT));
            this.kappaDown = MembraneStore.kappa(m, Direction.DOWN, c.doubleValue(ConfigKey.KAPPA_DOWN_DEFAULT));
            this.effEma = PropertyValues.number(m, GraphModel.EFF_EMA, 0);
            this.flow = flowNow;
            this.transfers = PropertyValues.integer(m, GraphModel.TRANSFERS, 0);
            this.absorbed = PropertyValues.integer(m, GraphModel.ABSORBED, 0);
            List<Map<String, Object>> recentRows = new ArrayList<>();
            for (Export e : MembraneStore.history(m)) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("ts", e.ts());
                x.put("direction", e.direction().wire());
                x.put("nodeId", e.nodeId());
                x.put("score", e.score());
                x.put("novelty", e.novelty());
                x.put("fit", e.fit());
                recentRows.add(x);
            }
            this.recent = recentRows;
            Map<String, Object> rej = new TreeMap<>();
            m.getPropertyKeys().forEach(k -> {
                if (k.startsWith(GraphModel.REJECTED_PREFIX)) {
                    rej.put(k.substring(GraphModel.REJECTED_PREFIX.length()), m.getProperty(k));
                }
            });
            this.rejections = rej;
        }
    }
}
