package org.optbench.sweep;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every spec under examples/ parses, and its trials (with what refine and extend_edges may add) fit one sweep. */
class ExamplesTest {

    @Test
    void everyExampleSpecParsesAndFitsTheDefaultTrialLimit() throws Exception {
        List<Path> specs;
        try (Stream<Path> files = Files.walk(Path.of("..", "examples"))) {
            specs = files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertTrue(specs.size() >= 9, "examples found: " + specs);
        for (Path p : specs) {
            SweepSpec spec = SweepSpecParser.parse(Files.readString(p), p.toString());
            assertTrue(spec.maxTrialCount() <= 10_000, p + ": " + spec.maxTrialCount());
            System.out.printf("%-40s %4d trials (at most %d with refine and extend_edges), %d claims%n",
                    p.getFileName(), spec.trialCount(), spec.maxTrialCount(), spec.analysis().claims().size());
        }
    }
}
