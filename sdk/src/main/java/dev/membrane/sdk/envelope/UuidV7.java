package dev.membrane.sdk.envelope;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RFC 9562 UUID version 7: 48 bits of Unix milliseconds, then randomness, so ids sort by creation time (useful in
 * spools and logs) and stay unique across processes. Within one generator, ids are strictly increasing even inside
 * one millisecond or when the clock steps back: the 12-bit {@code rand_a} field is used as a counter (RFC 9562 §6.2,
 * method 1) and the timestamp is never allowed to go backwards.
 */
public final class UuidV7 {
    private final AtomicLong last = new AtomicLong();

    /** A new id, its timestamp taken from {@code epochMillis} (or later, to keep ids increasing). */
    public UUID next(long epochMillis) {
        long state;
        long next;
        do {
            state = last.get();
            long lastMillis = state >>> 12;
            if (epochMillis > lastMillis) {
                next = epochMillis << 12 | ThreadLocalRandom.current().nextInt(1 << 10); // leave room to count
            } else {
                next = state + 1; // same or earlier millisecond: count (overflow carries into the timestamp)
            }
        } while (!last.compareAndSet(state, next));
        long millis = next >>> 12;
        long counter = next & 0xFFF;
        long msb = (millis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | counter;
        long lsb = ThreadLocalRandom.current().nextLong() & 0x3FFF_FFFF_FFFF_FFFFL | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
