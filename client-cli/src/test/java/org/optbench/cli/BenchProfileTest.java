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
 * {@code optbench bench --profile} run as a process: besides the throughput lines, one line per
 * kind of operation of the training step (the matmuls, attention, cross-entropy, the optimizer
 * among them) with its milliseconds and share of the step, shares that add up to at most the
 * whole step, and the profiled step against the unprofiled one.
 */
class BenchProfileTest {

    @TempDir
    Path dir;

    @Test
    void theProfileSaysWhereTheStepsTimeGoes() throws Exception {
        CliProcess r = CliProcess.run(dir, Map.of(), 300, "bench", "--shape", "P0", "--steps", "1", "--warm-up", "0", "--json", "--threads",
                "2", "--profile");
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        List<String> ops = new ArrayList<>();
        double shares = 0;
        JsonNode total = null;
        for (String line : r.out().lines().toList()) {
            JsonNode node = json.readTree(line);
            if (node.get("bench").asText().equals("profile")) {
                ops.add(node.get("op").asText());
                shares += node.get("share").asDouble();
                assertTrue(node.get("ms_per_step").asDouble() >= 0, line);
            } else if (node.get("bench").asText().equals("profile_total")) {
                total = node;
            }
        }
        assertTrue(ops.containsAll(List.of("matmul forward", "matmul backward", "attention forward", "attention backward",
                "layernorm", "gelu forward", "gelu backward", "cross-entropy", "embedding", "optimizer", "gradient norm",
                "outside backend calls")),
                ops.toString());
        assertTrue(shares > 0.5 && shares < 1.05, "the shares cover the step: " + shares);
        assertTrue(total != null && total.get("profiled_step_ms").asDouble() > 0 && total.get("unprofiled_step_ms").asDouble() > 0,
                r.out());
    }
}
