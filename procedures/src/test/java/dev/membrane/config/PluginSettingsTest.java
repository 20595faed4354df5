package dev.membrane.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PluginSettingsTest {

    @Test
    void readsMembraneConfThenSystemPropertiesWin(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "# tuned for a small graph\nmembrane.kMax=32\nmembrane.policy = uniform_topk\n");
        Properties jvm = new Properties();
        jvm.setProperty("membrane.kMax", "16");
        jvm.setProperty("java.version", "17");
        MembraneConfig c = PluginSettings.load(conf, jvm);
        assertEquals(16, c.intValue(ConfigKey.K_MAX));
        assertEquals(MembraneConfig.Origin.SYSTEM_PROPERTY, c.origin(ConfigKey.K_MAX));
        assertEquals("uniform_topk", c.stringValue(ConfigKey.POLICY));
        assertEquals(MembraneConfig.Origin.MEMBRANE_CONF, c.origin(ConfigKey.POLICY));
    }

    @Test
    void noFileMeansDefaults(@TempDir Path conf) {
        MembraneConfig c = PluginSettings.load(conf, new Properties());
        assertEquals(64, c.intValue(ConfigKey.K_MAX));
    }

    @Test
    void aTypoInTheFileStopsStartWithTheClosestKey(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "membrane.budgetgain=2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, new Properties()));
        assertTrue(e.getMessage().contains("Unknown setting 'membrane.budgetgain'"), e.getMessage());
        assertTrue(e.getMessage().contains("did you mean 'membrane.budgetGain'"), e.getMessage());
    }

    @Test
    void perCallKeysCannotBeSetAtStart(@TempDir Path conf) throws IOException {
        Files.writeString(conf.resolve("membrane.conf"), "membrane.clockMs=5\n");
        assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, new Properties()));
    }

    @Test
    void anExplicitFileThatDoesNotExistIsAnError(@TempDir Path conf) {
        Properties jvm = new Properties();
        jvm.setProperty("membrane.conf", conf.resolve("missing.conf").toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PluginSettings.load(conf, jvm));
        assertTrue(e.getMessage().contains("missing.conf"), e.getMessage());
    }
}
