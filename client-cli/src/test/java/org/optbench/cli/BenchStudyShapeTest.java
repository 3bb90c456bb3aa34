package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study shape as a benchmark, run as processes: {@code bench --shape S0} (and another
 * vocabulary with {@code --vocab}) times the training step at S0, and {@code bench --study} runs a
 * real study of short trials through {@code optbench study} and reports its trials per hour and the
 * share of its time outside training steps.
 */
class BenchStudyShapeTest {

    @TempDir
    Path dir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void theStudyShapeIsABenchmarkShape() throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of(), 300, "bench", "--shape", "S0", "--vocab", "1024", "--steps", "2", "--warm-up",
                "0", "--threads", "1", "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> steps = lines(r.out(), "train_step");
        assertEquals(2, steps.size(), r.out());
        for (JsonNode s : steps) {
            assertEquals("S0 vocab 1024", s.get("shape").asText(), s.toString());
            assertEquals(16, s.get("batch").asInt(), s.toString());
            assertEquals(64, s.get("seq_len").asInt(), s.toString());
            assertTrue(s.get("tokens_per_s").get("median").asDouble() > 0, s.toString());
        }
    }

    @Test
    void anUnknownShapeNamesThePresets() throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of(), 120, "bench", "--shape", "S9");
        assertEquals(2, r.code(), r.out());
        assertTrue(r.err().contains("'S9'") && r.err().contains("S0"), r.err());
    }

    @Test
    void theStudyBenchmarkRunsAStudyOfShortTrials() throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of(), 600, "bench", "--study", "--trials", "4", "--trial-steps", "30", "--json");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> study = lines(r.out(), "study");
        assertEquals(1, study.size(), r.out());
        JsonNode s = study.get(0);
        assertEquals(4, s.get("trials").asInt(), s.toString());
        assertEquals(30, s.get("steps_per_trial").asInt(), s.toString());
        assertEquals(2, s.get("parallel").asInt(), s.toString());
        double wall = s.get("wall_s").asDouble();
        assertEquals(4 * 3600 / wall, s.get("trials_per_hour").asDouble(), 4 * 3600 / wall * 0.02, s.toString());
        double outside = s.get("outside_steps").asDouble();
        assertTrue(outside > 0 && outside < 1, s.toString());
        assertTrue(s.get("steady_step_ms").asDouble() > 0 && s.get("warm_up_s").asDouble() >= 0, s.toString());
    }

    private List<JsonNode> lines(String out, String bench) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode node = json.readTree(line);
            if (node.get("bench").asText().equals(bench)) {
                found.add(node);
            }
        }
        return found;
    }
}
