package dev.membrane.bridge.embedded;

import dev.membrane.procedures.MembraneProcedures;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.exceptions.KernelException;
import org.neo4j.graphdb.GraphDatabaseService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

import java.nio.file.Path;

/**
 * Neo4j 5.26 in this process with the Membrane plugin and APOC core loaded: the zero-setup default. The plugin's
 * extension comes from the classpath (ServiceLoader) and its procedures are registered from {@link MembraneProcedures},
 * the same list the plugin jar exposes; APOC's are found by scanning its jars ({@link ApocProcedures}). Bolt, when
 * asked for, binds loopback only.
 */
public final class EmbeddedNeo4j implements AutoCloseable {
    private final DatabaseManagementService dbms;
    private final GraphDatabaseService db;

    private EmbeddedNeo4j(DatabaseManagementService dbms) {
        this.dbms = dbms;
        this.db = dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
    }

    /**
     * @param home     the database directory (created when missing; reused on the next start)
     * @param boltPort a loopback port for Bolt, or 0 for no Bolt
     */
    public static EmbeddedNeo4j start(Path home, int boltPort) {
        DatabaseManagementServiceBuilder b = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(BoltConnector.enabled, boltPort > 0);
        if (boltPort > 0) {
            b.setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", boltPort));
        }
        DatabaseManagementService dbms = b.build();
        Runtime.getRuntime().addShutdownHook(new Thread(dbms::shutdown, "membrane-embedded-shutdown"));
        EmbeddedNeo4j neo4j = new EmbeddedNeo4j(dbms);
        neo4j.registerProcedures();
        return neo4j;
    }

    private int apoc;

    private void registerProcedures() {
        GlobalProcedures procedures = ((GraphDatabaseAPI) db).getDependencyResolver().resolveDependency(GlobalProcedures.class);
        for (Class<?> c : MembraneProcedures.CLASSES) {
            try {
                procedures.registerProcedure(c);
            } catch (KernelException e) {
                throw new IllegalStateException("Cannot register " + c.getName() + ": " + e.getMessage(), e);
            }
        }
        apoc = ApocProcedures.register(procedures);
    }

    /** Whether APOC core's procedures (apoc.periodic.* among them) were registered. */
    public boolean hasApoc() {
        return apoc > 0;
    }

    public GraphDatabaseService db() {
        return db;
    }

    @Override
    public void close() {
        dbms.shutdown();
    }
}
