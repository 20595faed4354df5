package dev.membrane.bridge.cli;

import dev.membrane.protocol.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The distributable archive, unpacked as a user unpacks it: its start script runs, and lib/ holds one driver. */
class DistributionIT {

    @Test
    void theArchiveUnpacksAndItsStartScriptRuns(@TempDir Path dir) throws Exception {
        Path archive;
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            archive = files.filter(p -> p.getFileName().toString().endsWith("-dist.tar.gz")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("run after package: no *-dist.tar.gz in target/"));
        }
        Process tar = new ProcessBuilder("tar", "xzf", archive.toAbsolutePath().toString(), "-C", dir.toString()).inheritIO().start();
        assertEquals(0, tar.waitFor());
        Path home = dir.resolve("membrane-bus-bridge-" + Version.current());
        for (String f : List.of("bin/membrane-bridge", "bus-bridge.jar", "LICENSE", "README.md", "CHANGELOG.md")) {
            assertTrue(Files.exists(home.resolve(f)), f);
        }
        try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
            List<String> jars = lib.map(p -> p.getFileName().toString()).toList();
            assertEquals(1, jars.stream().filter(j -> j.startsWith("neo4j-java-driver")).count(), "one Neo4j driver: " + jars);
            assertTrue(jars.stream().noneMatch(j -> j.startsWith("hadoop-") || j.startsWith("parquet-")), "no unused import tooling");
            assertTrue(jars.stream().anyMatch(j -> j.startsWith("slf4j-simple")), "a logging backend");
        }
        ProcessBuilder b = new ProcessBuilder(home.resolve("bin/membrane-bridge").toString(), "--version").redirectErrorStream(true);
        b.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = b.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("membrane-bus-bridge " + Version.current(), out.strip());
    }
}
