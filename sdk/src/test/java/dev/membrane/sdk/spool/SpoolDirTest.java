package dev.membrane.sdk.spool;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpoolDirTest {
    @TempDir
    Path dir;

    @Test
    void batchesComeBackOldestFirstAcrossReopens() throws Exception {
        try (SpoolDir s = new SpoolDir(dir, 1 << 20)) {
            s.append(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}"));
            s.append(List.of("{\"id\":\"c\"}"));
        }
        try (SpoolDir s = new SpoolDir(dir, 1 << 20)) {
            s.append(List.of("{\"id\":\"d\"}"));
            List<SpoolDir.Batch> batches = s.batches();
            assertEquals(3, batches.size());
            assertEquals(List.of("{\"id\":\"a\"}", "{\"id\":\"b\"}"), s.read(batches.get(0)));
            assertEquals(2, batches.get(0).count());
            assertEquals(List.of("{\"id\":\"d\"}"), s.read(batches.get(2)), "sequence continues after a reopen");
        }
    }

    /** An emitter's metrics() after close() asks the spool for its problem: that must not take the directory again. */
    @Test
    void aClosedSpoolIsNotReopenedByAskingItsProblem() throws Exception {
        SpoolDir first = new SpoolDir(dir, 1 << 20);
        first.close();
        assertEquals(null, first.problem());
        try (SpoolDir second = new SpoolDir(dir, 1 << 20)) {
            assertEquals(null, second.problem(), "the next owner gets the directory");
        }
        assertThrows(java.io.IOException.class, () -> first.append(List.of("{\"id\":\"late\"}")));
    }

    @Test
    void aPartlyDeliveredBatchKeepsOnlyItsRestInPlace() throws Exception {
        try (SpoolDir s = new SpoolDir(dir, 1 << 20)) {
            s.append(List.of("1", "2", "3"));
            s.append(List.of("4"));
            s.replace(s.batches().get(0), List.of("3"));
            assertEquals(List.of("3"), s.read(s.batches().get(0)));
            assertEquals(1, s.batches().get(0).count());
            assertEquals(2, s.envelopes(), "the count follows a replace");
            assertEquals(s.batches(), s.oldest(2), "the oldest files holding at most 2 envelopes: both");
            assertEquals(s.batches().subList(0, 1), s.oldest(1));
            s.append(List.of("5", "6", "7"));
            assertEquals(s.batches().subList(0, 1), s.oldest(0), "the first file always, whatever its size");
            assertEquals(s.batches().subList(0, 2), s.oldest(4), "never part of a file");
            s.delete(s.batches().get(0));
            assertEquals(4, s.envelopes(), "and a delete");
            assertEquals(List.of("4"), s.read(s.batches().get(0)));
        }
    }

    @Test
    void theBoundDropsTheOldestBatchesAndCountsTheirEnvelopes() throws Exception {
        String line = "x".repeat(100);
        try (SpoolDir s = new SpoolDir(dir, 350)) { // room for three one-line batches (101 bytes each)
            for (int i = 0; i < 5; i++) {
                s.append(List.of(line + i));
            }
            assertEquals(3, s.batches().size());
            assertEquals(2, s.droppedEnvelopes());
            assertEquals(3, s.envelopes(), "dropped batches leave the count");
            assertEquals(List.of(line + 2), s.read(s.batches().get(0)), "the two oldest went");
            assertTrue(s.bytes() <= 350);
        }
    }

    @Test
    void oneEmitterPerDirectory() throws Exception {
        try (SpoolDir s = new SpoolDir(dir, 1 << 20)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new SpoolDir(dir, 1 << 20));
            assertTrue(e.getMessage().contains("in use"), e.getMessage());
        }
        new SpoolDir(dir, 1 << 20).close(); // free again after close
    }

    @Test
    void aTornWriteFromACrashIsIgnored() throws Exception {
        Files.writeString(dir.resolve("incoming.tmp"), "{\"id\":\"half");
        try (SpoolDir s = new SpoolDir(dir, 1 << 20)) {
            assertTrue(s.isEmpty());
            assertTrue(Files.notExists(dir.resolve("incoming.tmp")));
        }
    }

    @Test
    void anUnopenableDirectoryIsReportedAndOpenedOnceItCanBe() throws Exception {
        Files.createDirectories(dir);
        Path spool = dir.resolve("spool");
        Files.writeString(spool, "a file where the directory should be"); // root ignores permissions: this fails for all
        try (SpoolDir s = new SpoolDir(spool, 1 << 20)) {
            assertTrue(s.problem() != null && s.problem().contains(spool.toString()), String.valueOf(s.problem()));
            java.io.IOException refused = assertThrows(java.io.IOException.class, () -> s.append(List.of("{\"id\":\"a\"}")));
            assertTrue(refused.getMessage().contains("not writable"), refused.getMessage());
            assertTrue(s.isEmpty());

            Files.delete(spool);
            assertTrue(s.append(List.of("{\"id\":\"b\"}")) != null, "opened on the next append");
            assertEquals(null, s.problem());
            assertEquals(1, s.envelopes());
        }
    }

    @Test
    void aRefusingSpoolKeepsWhatItHasAndRefusesTheNewBatch() throws Exception {
        try (SpoolDir s = new SpoolDir(dir, 250, SpoolDir.Overflow.REFUSE)) { // two 101-byte batches fit, a third does not
            s.append(List.of("x".repeat(100)));
            s.append(List.of("y".repeat(100)));
            java.io.IOException full = assertThrows(java.io.IOException.class, () -> s.append(List.of("z".repeat(100))));
            assertTrue(full.getMessage().contains("full"), full.getMessage());
            assertEquals(2, s.envelopes());
            assertEquals(0, s.droppedEnvelopes());
        }
    }
}
