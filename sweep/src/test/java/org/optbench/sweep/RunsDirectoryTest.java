package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.optbench.sweep.store.RunsDirectory;
import org.optbench.sweep.store.StoreException;

/** Paths built from user-given names stay under the runs directory. */
class RunsDirectoryTest {

    @Test
    void namesArePlainAndPathsStayUnderTheRoot() {
        RunsDirectory runs = new RunsDirectory(Path.of("/srv/optbench/runs"));
        assertEquals(Path.of("/srv/optbench/runs/quick/quick-0001"), runs.resolve("quick", "quick-0001"));
        for (String bad : List.of("..", ".", "", "a/b", "..\\\\x", "a\0b")) {
            assertThrows(StoreException.class, () -> runs.resolve(bad, "t"), bad);
            assertThrows(StoreException.class, () -> runs.resolve("s", bad), bad);
        }
    }
}
