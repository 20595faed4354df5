package dev.membrane.extension;

import dev.membrane.physics.support.VectorMath;
import dev.membrane.protocol.Version;
import org.neo4j.logging.internal.LogService;
import org.neo4j.logging.InternalLog;
import dev.membrane.config.MembraneConfig;
import dev.membrane.config.PluginSettings;
import org.neo4j.configuration.Config;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.kernel.lifecycle.LifecycleAdapter;

import java.time.Clock;

/**
 * Plugin start: reads the {@code membrane.*} settings once from {@code conf/membrane.conf} and system properties
 * (an invalid value stops the DBMS with a message naming the setting) and registers the {@link MembraneRuntime} so procedures can take it by {@code @Context}.
 * Loaded by Neo4j through {@code META-INF/services}.
 */
public final class MembraneExtensionFactory extends ExtensionFactory<MembraneExtensionFactory.Dependencies> {

    public interface Dependencies {
        Config config();

        GlobalProcedures globalProcedures();

        DatabaseManagementService databaseManagementService();

        LogService logService();
    }

    public MembraneExtensionFactory() {
        super(ExtensionType.GLOBAL, "membrane");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies dependencies) {
        Config neo4jConfig = dependencies.config();
        MembraneConfig config = PluginSettings.load(neo4jConfig.get(GraphDatabaseSettings.neo4j_home).resolve("conf"),
                System.getProperties(), System.getenv());
        MembraneRuntime runtime = MembraneRuntime.forDbms(config, Clock.systemUTC(), dependencies.databaseManagementService());
        dependencies.globalProcedures().registerComponent(MembraneRuntime.class, ctx -> runtime, true);
        InternalLog log = dependencies.logService().getUserLog(MembraneExtensionFactory.class);
        log.info("Membrane %s started: settings from %s; scan kernel %s%s", Version.current(), config.sources(),
                VectorMath.kernel(), VectorMath.SIMD ? "" : " (add server.jvm.additional=--add-modules=jdk.incubator.vector for SIMD)");
        return new LifecycleAdapter();
    }
}
