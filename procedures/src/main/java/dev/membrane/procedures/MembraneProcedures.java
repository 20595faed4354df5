package dev.membrane.procedures;

import java.util.List;

/**
 * The plugin's procedure classes. Neo4j finds them by scanning the jar in {@code plugins/}; embedded mode and the
 * test harness register exactly this list, so all three serve the same procedures.
 */
public final class MembraneProcedures {
    public static final List<Class<?>> CLASSES = List.of(SetupProc.class, InjectProc.class, ConfigProc.class, EventsProc.class,
            HealthProc.class, IntegrateProc.class,
            OutcomeProc.class, TickProc.class, SourcesProc.class, MembranesProc.class, VersionProc.class);

    private MembraneProcedures() {
    }
}
