package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every optimizer of the suite, and runs that set every optimizer and training flag, reproduce
 * bit for bit the per-step losses, learning rates, gradient norms and validation losses recorded
 * in {@code reference-trajectories.json}: refactoring how a run is described or assembled must
 * not change a single number.
 */
class ReferenceTrajectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void everyRecordedRunIsReproducedBitForBit() throws Exception {
        JsonNode reference;
        try (InputStream in = getClass().getResourceAsStream("/reference-trajectories.json")) {
            reference = JSON.readTree(in);
        }
        List<String> common = strings(reference.get("common"));
        Iterator<Map.Entry<String, JsonNode>> runs = reference.get("runs").fields();
        int compared = 0;
        while (runs.hasNext()) {
            Map.Entry<String, JsonNode> run = runs.next();
            Path metrics = dir.resolve(run.getKey() + ".jsonl");
            List<String> args = new ArrayList<>(List.of("train"));
            args.addAll(common);
            args.addAll(strings(run.getValue().get("args")));
            args.addAll(List.of("--metrics-out", metrics.toString()));
            StringWriter err = new StringWriter();
            int code = Main.run(args.toArray(String[]::new), new PrintWriter(new StringWriter(), true),
                    new PrintWriter(err, true));
            assertEquals(0, code, run.getKey() + ": " + err);
            List<JsonNode> steps = new ArrayList<>();
            List<JsonNode> evals = new ArrayList<>();
            for (String line : Files.readAllLines(metrics)) {
                JsonNode n = JSON.readTree(line);
                (n.has("val_loss") ? evals : steps).add(n);
            }
            compared += compare(run.getKey(), run.getValue().get("steps"), steps, "loss", "lr", "grad_norm", "tokens");
            compared += compare(run.getKey(), run.getValue().get("evals"), evals, "val_loss");
        }
        System.out.println("reference trajectories: " + compared + " values identical");
    }

    private static int compare(String run, JsonNode expected, List<JsonNode> actual, String... fields) {
        assertEquals(expected.size(), actual.size(), run + ": number of records");
        int compared = 0;
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).get("step").asInt(), actual.get(i).get("step").asInt(), run + " record " + i);
            for (String f : fields) {
                double want = expected.get(i).get(f).asDouble();
                double got = actual.get(i).get(f).asDouble();
                assertEquals(Double.doubleToLongBits(want), Double.doubleToLongBits(got),
                        run + " step " + expected.get(i).get("step") + " " + f + ": expected " + want + ", got " + got);
                compared++;
            }
        }
        return compared;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(a -> out.add(a.asText()));
        return out;
    }
}
