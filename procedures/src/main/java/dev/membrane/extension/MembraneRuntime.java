package dev.membrane.extension;

import dev.membrane.config.MembraneConfig;

import java.time.Clock;
import java.util.Map;

/**
 * What the plugin holds for the life of the DBMS: the configuration read from neo4j.conf at start and the clock.
 * Procedures receive it through {@code @Context}. Immutable, so it needs no guarding.
 */
public final class MembraneRuntime {
    private final MembraneConfig baseConfig;
    private final Clock clock;

    public MembraneRuntime(MembraneConfig baseConfig, Clock clock) {
        this.baseConfig = baseConfig;
        this.clock = clock;
    }

    /** The effective configuration of one call: neo4j.conf values overridden by the call's map. */
    public MembraneConfig config(Map<String, ?> callOverrides) {
        return baseConfig.withOverrides(callOverrides);
    }

    public Clock clock() {
        return clock;
    }
}
