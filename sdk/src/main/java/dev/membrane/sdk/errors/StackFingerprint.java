package dev.membrane.sdk.errors;

import dev.membrane.sdk.envelope.Hashes;

/**
 * Identity of "the same error" across deploys (SPEC §12): a hash of the top {@value #FRAMES} frames of the innermost
 * cause, each as {@code class#method}. Line numbers, file names and messages are left out on purpose, so an edit that
 * moves code, a rebuild or a different message text keeps the fingerprint; a different call path changes it.
 */
public final class StackFingerprint {
    /** Frames that define the fingerprint. */
    public static final int FRAMES = 5;

    private StackFingerprint() {
    }

    /** 16 hex characters; for a throwable without frames, the hash of its class name. */
    public static String of(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        StackTraceElement[] frames = root.getStackTrace();
        StringBuilder key = new StringBuilder(root.getClass().getName());
        for (int i = 0; i < Math.min(FRAMES, frames.length); i++) {
            key.append('|').append(frames[i].getClassName()).append('#').append(frames[i].getMethodName());
        }
        return Hashes.sha256Hex(key.toString(), 16);
    }
}
