package dev.membrane.bridge.sdk;

import dev.membrane.sdk.MembraneEmitter;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A host program for {@link SdkIT}, run as its own JVM. Arguments: {@code mode busUri spoolDir n}.
 * <ul>
 *   <li>{@code exit}: emits n stimuli with a one-hour flush interval and returns from main; only the emitter's
 *   shutdown hook ({@code close}) can deliver them.</li>
 *   <li>{@code crash}: emits n stimuli to an absent bus, waits until all are spooled, prints {@code SPOOLED} and
 *   sleeps until the test kills it with SIGKILL.</li>
 * </ul>
 * Ids are printed one per line so the test can look for them in the graph.
 */
public final class EmittingHost {
    private EmittingHost() {
    }

    /**
     * {@code i} in letters (0 → "a", 27 → "bb"): the SDK's dedupe key ignores digits, so contents that differ only
     * in a number are one stimulus by design; these must be distinct.
     */
    public static String word(int i) {
        StringBuilder b = new StringBuilder();
        do {
            b.append((char) ('a' + i % 26));
            i /= 26;
        } while (i > 0);
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int n = Integer.parseInt(args[3]);
        MembraneEmitter.Builder b = MembraneEmitter.builder("script:host-" + mode).busUri(args[1]).spoolDir(Path.of(args[2]))
                .shutdownTimeout(Duration.ofSeconds(20));
        if (mode.equals("exit")) {
            b.flushInterval(Duration.ofHours(1)).batchSize(1_000_000);
        } else {
            b.flushInterval(Duration.ofMillis(20)).batchSize(10).connectTimeout(Duration.ofMillis(200));
        }
        MembraneEmitter emitter = b.build();
        for (int i = 0; i < n; i++) {
            System.out.println(emitter.emit("personal", "host", "nightly database backup failed, attempt " + word(i) + " of " + mode));
        }
        if (mode.equals("crash")) {
            while (emitter.metrics().spooled() < n) {
                Thread.sleep(10);
            }
            System.out.println("SPOOLED");
            Thread.sleep(Long.MAX_VALUE);
        }
        System.out.println("RETURNING");
    }
}
