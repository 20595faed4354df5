package dev.membrane.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The envelope's JSON Schema (draft 2020-12), shipped as a resource of this module, for clients that validate
 * before sending and for documentation. {@link EnvelopeParser} is the validator the plugin runs; a contract test
 * keeps the two in agreement.
 */
public final class EnvelopeSchema {
    public static final String RESOURCE = "/dev/membrane/protocol/envelope.schema.json";

    private EnvelopeSchema() {
    }

    public static String json() {
        try (InputStream in = EnvelopeSchema.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
