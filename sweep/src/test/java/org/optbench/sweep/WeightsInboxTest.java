package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.sweep.error.SweepSpecException;

/**
 * The uploads' inbox: part files a killed upload left behind are removed when a server starts
 * (once they are old enough that no upload of another server is still writing them), and a
 * refused upload's message names the upload, never its file under the runs directory.
 */
class WeightsInboxTest {

    @TempDir
    Path dir;

    @Test
    void staleUploadPartsGoAndFreshOnesStay() throws Exception {
        Datasets datasets = new Datasets(Map.of(), Map.of(), dir.resolve(Datasets.UPLOADS_DIR));
        WeightsInbox inbox = new WeightsInbox(datasets);
        Path old = inbox.open("alice", "w");
        Path fresh = inbox.open("bob", "w");
        Path kept = datasets.uploadsOf("alice").resolve("mine" + Datasets.UPLOAD_SUFFIX);
        Files.writeString(kept, "weights");
        Instant longAgo = Instant.now().minus(WeightsInbox.STALE_PART).minusSeconds(60);
        Files.setLastModifiedTime(old, FileTime.from(longAgo));
        Files.setLastModifiedTime(kept, FileTime.from(longAgo));
        assertEquals(1, inbox.removeStaleParts());
        assertFalse(Files.exists(old), "a part file of a killed upload");
        assertTrue(Files.exists(fresh), "an upload in progress keeps its part file");
        assertTrue(Files.exists(kept), "accepted weights stay");
    }

    @Test
    void aRefusedUploadNamesNoPathOfTheServer() throws Exception {
        Datasets datasets = new Datasets(Map.of(), Map.of(), dir.resolve(Datasets.UPLOADS_DIR));
        WeightsInbox inbox = new WeightsInbox(datasets);
        Path part = inbox.open("alice", "w");
        Files.writeString(part, "not weights at all");
        String message = assertThrows(SweepSpecException.class, () -> inbox.accept("alice", "w", part)).getMessage();
        assertTrue(message.contains("the upload") && !message.contains(dir.toString()) && !message.contains(".part")
                && !message.contains(datasets.uploadsOf("alice").getFileName().toString()), message);
    }
}
