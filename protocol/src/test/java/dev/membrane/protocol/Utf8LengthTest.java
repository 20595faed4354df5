package dev.membrane.protocol;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Utf8LengthTest {
    @Test
    void countsWhatTheEncoderWrites() {
        for (String s : List.of("", "ascii only", "é and ü", "€ sign", "emoji 😀 and 𝄞", "mixed ä€😀x".repeat(100))) {
            assertEquals(s.getBytes(StandardCharsets.UTF_8).length, EnvelopeParser.utf8Length(s), s);
        }
    }
}
