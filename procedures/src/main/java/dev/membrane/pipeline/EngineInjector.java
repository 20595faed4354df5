package dev.membrane.pipeline;

import dev.membrane.config.MembraneConfig;
import dev.membrane.graph.read.Match;
import dev.membrane.graph.read.NodeStates;
import dev.membrane.graph.write.InjectionWriter;
import dev.membrane.physics.injection.BudgetFactors;
import dev.membrane.physics.injection.Candidate;
import dev.membrane.physics.injection.EntropyCoverageSelection;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.Selection;
import org.neo4j.graphdb.Node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * SPEC §6 in one engine: read the matches' states, select by entropy coverage, run the physics, write energies.
 * Shared by {@code membrane.inject} and (per selected engine) {@code membrane.integrate}.
 */
public final class EngineInjector {
    private final MembraneConfig config;
    private final NodeStates states;
    private final InjectionWriter writer;

    public EngineInjector(MembraneConfig config, NodeStates states, InjectionWriter writer) {
        this.config = config;
        this.states = states;
        this.writer = writer;
    }

    /**
     * @param matches retrieved matches of this engine; all {@code targeted} or none
     * @param nodes   filled with the matched nodes by id, for the audit
     */
    public InjectionOutcome inject(Node engine, List<Match> matches, BudgetFactors factors, Map<String, Node> nodes) {
        List<Candidate> candidates = new ArrayList<>(matches.size());
        boolean targeted = false;
        for (Match m : matches) {
            candidates.add(new Candidate(m.nodeId(), m.similarity(), states.read(m.node())));
            nodes.put(m.nodeId(), m.node());
            targeted |= m.targeted();
        }
        Selection selection = targeted
                ? EntropyCoverageSelection.targets(candidates)
                : config.selection().select(candidates);
        InjectionOutcome outcome = config.injection().inject(selection, factors);
        writer.writeNodes(engine, outcome, nodes, states.now());
        return outcome;
    }
}
