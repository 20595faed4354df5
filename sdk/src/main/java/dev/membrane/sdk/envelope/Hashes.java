package dev.membrane.sdk.envelope;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 as short hex strings: stable across JVMs and releases, unlike {@code hashCode}. */
public final class Hashes {
    /** One digest per thread: {@code MessageDigest.getInstance} costs more than hashing a short text. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private Hashes() {
    }

    public static String sha256Hex(String text, int hexChars) {
        MessageDigest d = SHA256.get();
        d.reset();
        byte[] h = d.digest(text.getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(h, 0, (hexChars + 1) / 2).substring(0, hexChars);
    }
}
