package dev.membrane.sdk.errors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each secret shape of SPEC §12, with the secret text checked gone (not masked) and the context kept. */
class SecretRedactorTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "JSON token           | `{\"token\": \"tkn-83hf7s\", \"user\": \"ada\"}`          | tkn-83hf7s       | `\"user\": \"ada\"`",
            "JSON api_key         | `{\"api_key\":\"k_live_9f8e7d\"}`                       | k_live_9f8e7d    | `\"api_key\":\"[REDACTED]\"`",
            "JSON password        | `{\"password\" : \"hunter2\", \"retries\": 3}`          | hunter2          | `\"retries\": 3`",
            "JSON secret          | `{\"client_secret\": \"s3cr3t-value\"}`                 | s3cr3t-value     | client_secret",
            "JSON escaped quote   | `{\"password\": \"a\\\"b-c\"}`                          | b-c              | password",
            "JSON number secret   | `{\"pin_password\": 123456}`                            | 123456           | pin_password",
            "Authorization header | `Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc`    | eyJhbGciOiJIUzI1 | Authorization: Bearer",
            "bare bearer          | `sent header bearer abcdefghijklmnop to the api`        | abcdefghijklmnop | to the api",
            "basic auth header    | `authorization: Basic dXNlcjpwYXNz`                     | dXNlcjpwYXNz     | authorization: Basic",
            "URL credentials      | `connect postgres://admin:pa55w0rd@db.local:5432/app`  | pa55w0rd         | @db.local:5432/app",
            "URL user also gone   | `GET https://deploy:tok3n@git.example.com/repo.git`     | deploy           | git.example.com/repo.git",
            "query string         | `GET /login?user=ada&password=letmein&next=/`           | letmein          | next=/",
            "env dump             | `DB_PASSWORD=correcthorse API_TOKEN: xyz987`            | correcthorse     | DB_PASSWORD=",
            "env dump second      | `DB_PASSWORD=correcthorse API_TOKEN: xyz987`            | xyz987           | API_TOKEN",
            "AWS access key       | `using key AKIAIOSFODNN7EXAMPLE for s3`                 | AKIAIOSFODNN7EXAMPLE | for s3",
            "AWS session key      | `ASIAY34FZKBOKMUTVV7A expired`                          | ASIAY34FZKBOKMUTVV7A | expired",
    })
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
        for (String s : List.of("the token bucket refilled", "password reset email sent to ada", "GET https://example.com/a?b=c",
                "retry 3 of 5 after 250 ms", "AKIA is a prefix")) {
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
