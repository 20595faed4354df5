package dev.membrane.procedures;

import dev.membrane.physics.support.VectorMath;
import dev.membrane.protocol.Version;
import org.neo4j.procedure.Description;
import org.neo4j.procedure.Mode;
import org.neo4j.procedure.Procedure;

import java.util.stream.Stream;

/** {@code membrane.version}: which Membrane this server runs, and how it scans. */
public final class VersionProc {

    @Procedure(name = "membrane.version", mode = Mode.READ)
    @Description("The Membrane plugin's version and its scan kernel (simd-<lanes> when the JVM runs with "
            + "--add-modules jdk.incubator.vector, else scalar).")
    public Stream<VersionRow> version() {
        return Stream.of(new VersionRow(Version.current(), VectorMath.kernel()));
    }

    /** The answer. */
    public static final class VersionRow {
        @Description("The plugin's version, e.g. 0.1.0.")
        public final String version;
        @Description("The similarity scan kernel: simd-<lanes> or scalar.")
        public final String kernel;

        VersionRow(String version, String kernel) {
            this.version = version;
            this.kernel = kernel;
        }
    }
}
