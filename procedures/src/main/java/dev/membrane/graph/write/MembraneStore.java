package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Export;
import org.neo4j.graphdb.Relationship;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one membrane, stored on its {@code MEMBRANE_TO} relationship (SPEC §2, §7: gate state lives on the
 * edge): κ↑, κ↓, effEma, decaying flow, the hysteresis state per direction, the emission history (both directions,
 * parallel arrays) and the recent scores per direction.
 */
public final class MembraneStore {
    private MembraneStore() {
    }

    /** The membrane's name, {@code <lower>><upper>}. */
    public static String name(Relationship m) {
        return m.getStartNode().getProperty(GraphModel.ID, "?") + ">" + m.getEndNode().getProperty(GraphModel.ID, "?");
    }

    public static double kappa(Relationship m, Direction d, double fallback) {
        return PropertyValues.number(m, d == Direction.DOWN ? GraphModel.KAPPA_DOWN : GraphModel.KAPPA_UP, fallback);
    }

    public static void setKappa(Relationship m, Direction d, double kappa) {
        m.setProperty(d == Direction.DOWN ? GraphModel.KAPPA_DOWN : GraphModel.KAPPA_UP, kappa);
    }

    public static boolean exportOn(Relationship m, Direction d) {
        return Boolean.TRUE.equals(m.getProperty(d == Direction.DOWN ? GraphModel.EXPORT_ON_DOWN : GraphModel.EXPORT_ON_UP, false));
    }

    public static void setExportOn(Relationship m, Direction d, boolean on) {
        m.setProperty(d == Direction.DOWN ? GraphModel.EXPORT_ON_DOWN : GraphModel.EXPORT_ON_UP, on);
    }

    public static List<Export> history(Relationship m) {
        List<Export> out = new ArrayList<>();
        if (!(m.getProperty(GraphModel.HIST_TS, null) instanceof long[] ts)) {
            return out;
        }
        String[] dir = (String[]) m.getProperty(GraphModel.HIST_DIR);
        String[] hash = (String[]) m.getProperty(GraphModel.HIST_HASH);
        String[] node = (String[]) m.getProperty(GraphModel.HIST_NODE);
        double[] axes = (double[]) m.getProperty(GraphModel.HIST_AXES);
        double[] score = (double[]) m.getProperty(GraphModel.HIST_SCORE);
        for (int i = 0; i < ts.length; i++) {
            out.add(new Export(ts[i], dir[i].equals(Direction.DOWN.wire()) ? Direction.DOWN : Direction.UP, hash[i], node[i],
                    axes[4 * i], axes[4 * i + 1], axes[4 * i + 2], axes[4 * i + 3], score[i]));
        }
        return out;
    }

    /** Appends an emission, keeping the last {@code keep}. */
    public static void record(Relationship m, Export e, int keep) {
        List<Export> h = history(m);
        h.add(e);
        List<Export> kept = h.subList(Math.max(0, h.size() - keep), h.size());
        int n = kept.size();
        long[] ts = new long[n];
        String[] dir = new String[n];
        String[] hash = new String[n];
        String[] node = new String[n];
        double[] axes = new double[4 * n];
        double[] score = new double[n];
        for (int i = 0; i < n; i++) {
            Export x = kept.get(i);
            ts[i] = x.ts();
            dir[i] = x.direction().wire();
            hash[i] = x.hash();
            node[i] = x.nodeId();
            axes[4 * i] = x.novelty();
            axes[4 * i + 1] = x.fit();
            axes[4 * i + 2] = x.utility();
            axes[4 * i + 3] = x.trust();
            score[i] = x.score();
        }
        m.setProperty(GraphModel.HIST_TS, ts);
        m.setProperty(GraphModel.HIST_DIR, dir);
        m.setProperty(GraphModel.HIST_HASH, hash);
        m.setProperty(GraphModel.HIST_NODE, node);
        m.setProperty(GraphModel.HIST_AXES, axes);
        m.setProperty(GraphModel.HIST_SCORE, score);
        m.setProperty(GraphModel.TRANSFERS, PropertyValues.integer(m, GraphModel.TRANSFERS, 0) + 1);
    }

    public static double[] scores(Relationship m, Direction d) {
        return m.getProperty(d == Direction.DOWN ? GraphModel.SCORES_DOWN : GraphModel.SCORES_UP, null) instanceof double[] s
                ? s : new double[0];
    }

    public static void addScore(Relationship m, Direction d, double score, int keep) {
        double[] old = scores(m, d);
        int n = Math.min(old.length, keep - 1);
        double[] out = new double[n + 1];
        System.arraycopy(old, old.length - n, out, 0, n);
        out[n] = score;
        m.setProperty(d == Direction.DOWN ? GraphModel.SCORES_DOWN : GraphModel.SCORES_UP, out);
    }

    public static void countRejection(Relationship m, String reason) {
        String key = GraphModel.REJECTED_PREFIX + reason;
        m.setProperty(key, PropertyValues.integer(m, key, 0) + 1);
    }
}
