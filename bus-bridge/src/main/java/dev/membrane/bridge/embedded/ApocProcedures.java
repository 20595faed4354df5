package dev.membrane.bridge.embedded;

import org.neo4j.exceptions.KernelException;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.procedure.Procedure;
import org.neo4j.procedure.UserAggregationFunction;
import org.neo4j.procedure.UserFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * APOC core in the embedded Neo4j, as a server has it in {@code plugins/}: its extensions come from the classpath
 * (ServiceLoader), and its procedures and functions are registered here by scanning its jars, as Neo4j's plugin loader
 * does. Classes that need libraries APOC core does not bring (Arrow, CSV export) are skipped, as the server skips them.
 */
final class ApocProcedures {
    private static final Logger LOG = LoggerFactory.getLogger(ApocProcedures.class);
    /** One class of each APOC jar: apoc-core (procedures such as apoc.periodic.*) and apoc-common (apoc.version). */
    private static final String[] ANCHORS = {"apoc.periodic.Periodic", "apoc.ApocConfig"};

    private ApocProcedures() {
    }

    /** @return how many procedures and functions were registered (0 when APOC is not on the classpath) */
    static int register(GlobalProcedures procedures) {
        int registered = 0;
        java.util.Set<Path> jars = new java.util.LinkedHashSet<>();
        for (String anchor : ANCHORS) {
            try {
                jars.add(Path.of(Class.forName(anchor).getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (ClassNotFoundException | URISyntaxException | RuntimeException | LinkageError e) {
                LOG.debug("APOC class {} not available: {}", anchor, e.toString());
            }
        }
        for (Path jar : jars) {
            registered += registerAll(procedures, jar);
        }
        return registered;
    }

    private static int registerAll(GlobalProcedures procedures, Path jar) {
        int registered = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            Enumeration<JarEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                String name = entries.nextElement().getName();
                if (!name.endsWith(".class") || name.contains("-")) {
                    continue;
                }
                Class<?> c;
                boolean proc = false;
                boolean func = false;
                boolean aggr = false;
                try {
                    c = Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false, ApocProcedures.class.getClassLoader());
                    for (Method m : c.getDeclaredMethods()) {
                        proc |= m.isAnnotationPresent(Procedure.class);
                        func |= m.isAnnotationPresent(UserFunction.class);
                        aggr |= m.isAnnotationPresent(UserAggregationFunction.class);
                    }
                } catch (ClassNotFoundException | LinkageError missingLibrary) {
                    continue;
                }
                try {
                    if (proc) {
                        procedures.registerProcedure(c);
                    }
                    if (func) {
                        procedures.registerFunction(c);
                    }
                    if (aggr) {
                        procedures.registerAggregationFunction(c);
                    }
                    registered += (proc || func || aggr) ? 1 : 0;
                } catch (KernelException | RuntimeException e) {
                    LOG.debug("APOC class {} not registered: {}", c.getName(), e.getMessage());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read APOC jar {}: {}", jar, e.toString());
        }
        return registered;
    }
}
