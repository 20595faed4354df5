package dev.membrane.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The Membrane version, one definition for the plugin, the bridge and the SDK (written into the protocol jar at build). */
public final class Version {
    private static final String CURRENT = read();

    private Version() {
    }

    /** e.g. {@code 0.1.0-SNAPSHOT}; {@code unknown} when the build resource is missing. */
    public static String current() {
        return CURRENT;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
