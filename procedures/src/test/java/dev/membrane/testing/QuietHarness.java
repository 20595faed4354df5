package dev.membrane.testing;

import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.graphdb.config.Setting;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;

import java.time.Duration;

/**
 * An in-process Neo4j builder (no HTTP server) whose Bolt shuts down in about a second instead of ten (shared/STACK.md).
 * Works on 5.26 (quiet period in seconds, an int) and 2025+ (a Duration): the value follows the setting's type.
 */
public final class QuietHarness {
    private QuietHarness() {
    }

    @SuppressWarnings("unchecked")
    public static Neo4jBuilder builder() {
        Setting<Object> quiet = (Setting<Object>) (Setting<?>) GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period;
        Object zero = quiet.defaultValue() instanceof Duration ? Duration.ZERO : (Object) 0;
        return Neo4jBuilders.newInProcessBuilder().withDisabledServer()
                .withConfig(quiet, zero)
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(1));
    }
}
