package dev.membrane.sdk.errors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each secret shape of SPEC §12, with the secret text checked gone (not masked) and the context kept. */
class SecretRedactorTest {
    /** The shapes of sdk-cases.json (shared with the Python SDK): the secret gone, the context kept, the mark in. */
    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> shapes() {
        return dev.membrane.sdk.SharedCases.list("redaction").stream().map(c -> org.junit.jupiter.params.provider.Arguments.of(
                c.get("shape"), c.get("text"), c.get("secret"), c.get("kept")));
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("shapes")
    void removesTheSecretAndKeepsTheContext(String shape, String text, String secret, String kept) {
        String out = SecretRedactor.redact(text);
        assertFalse(out.contains(secret), shape + ": " + out);
        assertTrue(out.contains(kept), shape + ": " + out);
        assertTrue(out.contains(SecretRedactor.MARK), shape + ": " + out);
    }

    @Test
    void privateKeyBlocksAreRemovedWhole() {
        String text = "loaded key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7Zq\nxYz0123==\n-----END RSA PRIVATE KEY-----\nthen failed";
        String out = SecretRedactor.redact(text);
        assertFalse(out.contains("MIIEowIBAAKCAQEA7Zq") || out.contains("xYz0123"), out);
        assertTrue(out.startsWith("loaded key:\n") && out.endsWith("\nthen failed"), out);
        String truncated = SecretRedactor.redact("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA");
        assertFalse(truncated.contains("b3BlbnNzaC1rZXktdjEAAAAA"), "a block cut by truncation is removed too: " + truncated);
    }

    @Test
    void ordinaryTextIsUntouched() {
        for (String s : dev.membrane.sdk.SharedCases.strings("untouched")) {
            assertEquals(s, SecretRedactor.redact(s));
        }
    }

    @Test
    void mapsAreRedactedByKeyAndByValue() {
        Map<String, Object> out = SecretRedactor.redact(Map.of("apiKey", 12345, "note", "Bearer abcdefghijkl1234",
                "nested", Map.of("password", "x", "host", "db-1")));
        assertEquals(SecretRedactor.MARK, out.get("apiKey"));
        assertFalse(out.get("note").toString().contains("abcdefghijkl1234"));
        assertEquals(Map.of("password", SecretRedactor.MARK, "host", "db-1"), out.get("nested"));
    }
}
