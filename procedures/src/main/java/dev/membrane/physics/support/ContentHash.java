package dev.membrane.physics.support;

import java.nio.charset.StandardCharsets;

/** A stable 64-bit FNV-1a hash as hex, for the membrane ledger's content hashes (SPEC §7.1). */
public final class ContentHash {
    private ContentHash() {
    }

    public static String of(String... parts) {
        long h = 0xcbf29ce484222325L;
        for (String part : parts) {
            for (byte b : (part == null ? "" : part).getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            h ^= 0x1f; // part separator
            h *= 0x100000001b3L;
        }
        return Long.toHexString(h);
    }
}
