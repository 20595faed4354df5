package dev.membrane.extension;

import dev.membrane.config.ConfigKey;
import dev.membrane.config.MembraneConfig;
import dev.membrane.events.AfterCommitPublisher;
import dev.membrane.events.EventRing;
import dev.membrane.events.TransactionBuffers;
import dev.membrane.graph.cache.EngineSnapshots;
import dev.membrane.graph.cache.HealthModels;
import dev.membrane.graph.cache.SnapshotInvalidator;
import dev.membrane.graph.cache.SourceYields;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.graphdb.GraphDatabaseService;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the plugin holds for the life of the DBMS: the configuration read at start, the clock, and per database
 * the {@link DatabaseState}. Procedures receive it through {@code @Context}.
 * <p>Concurrency: configuration and clock are immutable; database states are created once per database in a
 * {@link ConcurrentHashMap}, and each registers its after-commit publisher with Neo4j exactly once.
 */
public final class MembraneRuntime {
    /** Event sequences start at start-time × this, so they keep increasing across restarts. */
    private static final long SEQ_PER_START_MILLI = 1_000L;

    private final MembraneConfig baseConfig;
    private final Clock clock;
    private final Consumer<DatabaseState> register;
    private final Map<String, DatabaseState> databases = new ConcurrentHashMap<>();

    /**
     * @param register makes a new database state's publisher receive that database's commits
     */
    public MembraneRuntime(MembraneConfig baseConfig, Clock clock, Consumer<DatabaseState> register) {
        this.baseConfig = baseConfig;
        this.clock = clock;
        this.register = register;
    }

    /** A runtime whose publishers are registered with {@code dbms}. */
    public static MembraneRuntime forDbms(MembraneConfig config, Clock clock, DatabaseManagementService dbms) {
        return new MembraneRuntime(config, clock, state -> {
            dbms.registerTransactionEventListener(state.name(), new SnapshotInvalidator(state.snapshots()));
            dbms.registerTransactionEventListener(state.name(), new AfterCommitPublisher(state.buffers(), state.ring()));
        });
    }

    /** The effective configuration of one call: start-up settings overridden by the call's map. */
    public MembraneConfig config(Map<String, ?> callOverrides) {
        return baseConfig.withOverrides(callOverrides);
    }

    public Clock clock() {
        return clock;
    }

    /** The state of the database {@code db}, created (and its publisher registered) on first use. */
    public DatabaseState database(GraphDatabaseService db) {
        return databases.computeIfAbsent(db.databaseName(), name -> {
            DatabaseState state = new DatabaseState(name,
                    new EventRing(baseConfig.intValue(ConfigKey.EVENT_RING_SIZE), clock.millis() * SEQ_PER_START_MILLI),
                    new TransactionBuffers(), new SourceYields(), new EngineSnapshots(), new HealthModels());
            register.accept(state);
            return state;
        });
    }
}
