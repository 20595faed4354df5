package dev.membrane.graph.write;

import dev.membrane.graph.model.GraphModel;
import dev.membrane.graph.model.PropertyValues;
import dev.membrane.physics.membrane.Direction;
import dev.membrane.physics.membrane.Export;
import dev.membrane.physics.membrane.GateReason;
import dev.membrane.physics.membrane.LedgerEntry;
import dev.membrane.physics.membrane.MembraneMemory;
import org.neo4j.graphdb.Relationship;

import java.util.ArrayList;
import java.util.List;

/**
 * The state of one membrane, stored on its {@code MEMBRANE_TO} relationship (SPEC §2, §7: gate state lives on the
 * edge): κ↑, κ↓, effEma, decaying flow, the hysteresis state per direction, the ledger of every attempt, the delivered
 * exports (both directions, parallel arrays), the scores of delivered transfers per direction, and counters.
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

    /** Everything the defences read, in one pass over the edge. */
    public static MembraneMemory memory(Relationship m) {
        return new MembraneMemory(history(m), ledger(m), scores(m, Direction.DOWN), scores(m, Direction.UP),
                exportOn(m, Direction.DOWN), exportOn(m, Direction.UP));
    }

    private static boolean exportOn(Relationship m, Direction d) {
        return Boolean.TRUE.equals(m.getProperty(d == Direction.DOWN ? GraphModel.EXPORT_ON_DOWN : GraphModel.EXPORT_ON_UP, false));
    }

    public static void setExportOn(Relationship m, Direction d, boolean on) {
        m.setProperty(d == Direction.DOWN ? GraphModel.EXPORT_ON_DOWN : GraphModel.EXPORT_ON_UP, on);
    }

    /** Delivered exports in time order, both directions. */
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
            out.add(new Export(ts[i], direction(dir[i]), hash[i], node[i],
                    axes[4 * i], axes[4 * i + 1], axes[4 * i + 2], axes[4 * i + 3], score[i]));
        }
        return out;
    }

    private static List<LedgerEntry> ledger(Relationship m) {
        List<LedgerEntry> out = new ArrayList<>();
        if (m.getProperty(GraphModel.LEDGER_TS, null) instanceof long[] ts) {
            String[] dir = (String[]) m.getProperty(GraphModel.LEDGER_DIR);
            String[] hash = (String[]) m.getProperty(GraphModel.LEDGER_HASH);
            for (int i = 0; i < ts.length; i++) {
                out.add(new LedgerEntry(ts[i], direction(dir[i]), hash[i]));
            }
        }
        return out;
    }

    private static Direction direction(String wire) {
        return wire.equals(Direction.DOWN.wire()) ? Direction.DOWN : Direction.UP;
    }

    /** Records an attempt to cross in the ledger (before its mission runs, so its own echo is blocked), keeping the last {@code keep}. */
    public static void recordAttempt(Relationship m, LedgerEntry e, int keep) {
        List<LedgerEntry> l = ledger(m);
        l.add(e);
        List<LedgerEntry> kept = l.subList(Math.max(0, l.size() - keep), l.size());
        m.setProperty(GraphModel.LEDGER_TS, kept.stream().mapToLong(LedgerEntry::ts).toArray());
        m.setProperty(GraphModel.LEDGER_DIR, kept.stream().map(x -> x.direction().wire()).toArray(String[]::new));
        m.setProperty(GraphModel.LEDGER_HASH, kept.stream().map(LedgerEntry::hash).toArray(String[]::new));
    }

    /**
     * A transfer whose mission delivered energy (SPEC §7.1 step 6): it adds 1 to the flow (decayed value {@code flowBefore}
     * read at the gates), counts as an export for the frontier and novelty (the last {@code keep} kept), and its score
     * joins the MAD history of its direction (the last {@code keepScores}).
     */
    public static void recordDelivered(Relationship m, Export e, double flowBefore, long now, int keep, int keepScores) {
        m.setProperty(GraphModel.FLOW, flowBefore + 1);
        m.setProperty(GraphModel.FLOW_AT, now);
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
        increment(m, GraphModel.TRANSFERS);
        addScore(m, e.direction(), e.score(), keepScores);
    }

    /** A transfer whose mission delivered nothing: counted, and nothing else (no flow, no export, no score). */
    public static void recordAbsorbed(Relationship m) {
        increment(m, GraphModel.ABSORBED);
    }

    private static double[] scores(Relationship m, Direction d) {
        return m.getProperty(d == Direction.DOWN ? GraphModel.SCORES_DOWN : GraphModel.SCORES_UP, null) instanceof double[] s
                ? s : new double[0];
    }

    private static void addScore(Relationship m, Direction d, double score, int keep) {
        double[] old = scores(m, d);
        int n = Math.min(old.length, keep - 1);
        double[] out = new double[n + 1];
        System.arraycopy(old, old.length - n, out, 0, n);
        out[n] = score;
        m.setProperty(d == Direction.DOWN ? GraphModel.SCORES_DOWN : GraphModel.SCORES_UP, out);
    }

    public static void countRejection(Relationship m, GateReason reason) {
        increment(m, GraphModel.REJECTED_PREFIX + reason.wire());
    }

    private static void increment(Relationship m, String key) {
        m.setProperty(key, PropertyValues.integer(m, key, 0) + 1);
    }
}
