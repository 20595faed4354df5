package dev.membrane.procedures;

import dev.membrane.physics.channels.ChannelOutcome;
import dev.membrane.physics.injection.InjectionOutcome;
import dev.membrane.physics.injection.ItemOutcome;
import dev.membrane.physics.injection.LinkOutcome;
import dev.membrane.pipeline.InjectPipeline;
import org.neo4j.procedure.Description;

import java.util.List;
import java.util.Map;

/** The per-engine result of SPEC §6.8. */
public final class InjectionRow {
    @Description("Id of the stimulus (its :Stimulus audit node).")
    public final String stimulusId;
    @Description("Id of the engine that integrated it.")
    public final String engine;
    @Description("Distribution policy used.")
    public final String policy;
    @Description("Number of matches kept by entropy-coverage selection.")
    public final long matches;
    @Description("Entropy H of the similarity distribution of the candidates.")
    public final double entropy;
    @Description("Share of the candidates' similarity mass the kept matches hold.")
    public final double coverage;
    @Description("Budget attribution: gapMass, base, health, source, peripheral, gain, final.")
    public final Map<String, Object> budget;
    @Description("Energy delivered in total.")
    public final double delivered;
    @Description("Energy blocked by refractory charge of recently flipped nodes.")
    public final double refractoryLoss;
    @Description("Nodes that became active (E crossed Θ).")
    public final long flips;
    @Description("Per node: nodeId, similarity, gapBefore, deltaE, gapAfter, flipped.")
    public final List<Map<String, Object>> items;
    @Description("Per matched link: linkId, from, to, similarity, fromShare, deltaE, toFrom, toTo, lost.")
    public final List<Map<String, Object>> links;
    @Description("Per subentity channel (SPEC §6.7): subentity (null = unaffiliated), weight, budget, delivered, flips.")
    public final List<Map<String, Object>> channels;
    @Description("Energy that no receiving node had room for (link ends that were full).")
    public final double linkLoss;

    public InjectionRow(InjectPipeline.Result r) {
        InjectionOutcome o = r.outcome();
        this.stimulusId = r.stimulusId();
        this.engine = r.engine();
        this.policy = o.policy().wire();
        this.matches = o.selection().selected().size();
        this.entropy = o.selection().entropy();
        this.coverage = o.selection().coverage();
        this.budget = o.budget().toMap();
        this.delivered = o.delivered();
        this.refractoryLoss = o.refractoryLoss();
        this.flips = o.flips();
        this.items = o.items().stream().map(ItemOutcome::toMap).toList();
        this.links = o.links().stream().map(LinkOutcome::toMap).toList();
        this.linkLoss = o.linkLoss();
        this.channels = o.channels().stream().map(ChannelOutcome::toMap).toList();
    }
}
