package dev.membrane.physics.injection;

import java.util.List;

/** SPEC §6.4: how a budget B is split across the matched items. Returns ΔE per item before refractory. */
public interface EnergyDistribution {

    double[] distribute(List<Candidate> items, double budget);
}
