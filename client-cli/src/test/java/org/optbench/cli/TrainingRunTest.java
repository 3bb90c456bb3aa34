package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.train.data.DefaultCorpus;

/** Whole training runs through the command line, on the default corpus and on synthetic data. */
class TrainingRunTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Shared across test runs so the corpus is fetched once (the build's target directory). */
    private static final Path DATA_ROOT = Path.of("target", "test-data").toAbsolutePath();

    @TempDir
    Path dir;

    private static String[] args(String... a) {
        return a;
    }

    private static List<JsonNode> run(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err.toString() + out);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : out.toString().split("\n")) {
            if (line.startsWith("{")) {
                lines.add(JSON.readTree(line));
            }
        }
        return lines;
    }

    private static List<String> lines(Path file) throws Exception {
        return Files.readAllLines(file);
    }

    @Test
    void lossFallsOnTheDefaultCorpus() throws Exception {
        var data = DefaultCorpus.ensure(DATA_ROOT, new PrintWriter(new StringWriter()));
        Path metrics = dir.resolve("m.jsonl");
        JsonNode result = run("train", "--data", data.dir().toString(), "--preset", "nano", "--steps", "60",
                "--lr", "1e-2", "--eval-tokens", "8192", "--metrics-out", metrics.toString()).get(0);
        assertEquals("completed", result.get("status").asText());
        List<Double> val = new ArrayList<>();
        for (String line : lines(metrics)) {
            JsonNode n = JSON.readTree(line);
            if (n.has("val_loss")) {
                val.add(n.get("val_loss").asDouble());
            }
        }
        System.out.println("default corpus validation losses: " + val + ", final bpb " + result.get("final_val_bpb"));
        assertTrue(val.size() >= 5, "log-spaced evaluations: " + val);
        assertTrue(val.get(val.size() - 1) < val.get(0) - 1.0, "validation loss falls by over a nat: " + val);
        assertTrue(result.get("final_val_bpb").asDouble() > 0.5 && result.get("final_val_bpb").asDouble() < 3.5);
        assertEquals(8192, result.get("config").get("vocab").asInt(), "the vocabulary comes from the data");
    }

    @Test
    void anEvaluationSmallerThanOneBatchStillEvaluatesOneBatch() throws Exception {
        JsonNode result = run("train", "--data", "synthetic", "--preset", "nano", "--d-model", "32", "--steps", "2",
                "--eval-tokens", "500", "--eval-points", "1").get(0);
        assertEquals("completed", result.get("status").asText());
        assertTrue(result.get("final_val_loss").asDouble() > 0, result.toString());
    }

    @Test
    void sequentialModeIsDeterministic() throws Exception {
        Path a = dir.resolve("a.jsonl");
        Path b = dir.resolve("b.jsonl");
        String[] common = {"train", "--data", "synthetic", "--preset", "nano", "--d-model", "32", "--steps", "8",
            "--batch-order", "sequential", "--seed", "3"};
        run(concat(common, "--metrics-out", a.toString()));
        run(concat(common, "--metrics-out", b.toString()));
        assertEquals(strip(lines(a)), strip(lines(b)));
    }

    /** Metrics without the wall-time field. */
    private static List<String> strip(List<String> lines) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            var n = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(l);
            n.remove("ms");
            out.add(n.toString());
        }
        return out;
    }

    private static String[] concat(String[] a, String... b) {
        String[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Test
    void resumeEqualsAnUninterruptedRun() throws Exception {
        for (String[] chosen : new String[][] {{"adamw"}, {"adaptive-last-ln"}, {"sophia", "--hessian-interval", "3"}}) {
            String optimizer = chosen[0];
            Path ckpt = dir.resolve("ckpt-" + optimizer);
            Path straight = dir.resolve("straight-" + optimizer + ".safetensors");
            Path resumed = dir.resolve("resumed-" + optimizer + ".safetensors");
            String[] common = concat(new String[] {"train", "--data", "synthetic", "--preset", "nano", "--d-model", "32",
                "--steps", "10", "--seed", "5", "--eval-points", "2", "--optimizer"}, chosen);
            run(concat(common, "--save-weights", straight.toString()));
            run(concat(common, "--checkpoint-every", "4", "--checkpoint-dir", ckpt.toString()));
            assertEquals(8, JSON.readTree(ckpt.resolve("state.json").toFile()).get("step").asInt());
            JsonNode result = run(concat(common, "--resume", ckpt.toString(), "--save-weights", resumed.toString())).get(0);
            assertEquals("completed", result.get("status").asText());
            SafetensorsFile x = SafetensorsFile.read(straight);
            SafetensorsFile y = SafetensorsFile.read(resumed);
            for (String name : x.tensors().keySet()) {
                assertArrayEquals(x.tensors().get(name).data(), y.tensors().get(name).data(), 0f, optimizer + " " + name);
            }
        }
    }

    @Test
    void anAbsurdLearningRateDivergesAsAResult() throws Exception {
        JsonNode result = run("train", "--data", "synthetic", "--preset", "nano", "--steps", "30", "--optimizer", "sgd",
                "--lr", "1e4", "--clip", "0", "--divergence-threshold", "30").get(0);
        assertEquals("diverged", result.get("status").asText());
        assertTrue(result.get("diverged_at_step").asInt() > 1, result.toString());
        assertTrue(result.get("final_train_loss").isNumber(), "the last finite loss is kept");
    }

    @Test
    void gradientAccumulationMatchesTheFullBatch() throws Exception {
        Path a = dir.resolve("full.jsonl");
        Path b = dir.resolve("accum.jsonl");
        String[] common = {"train", "--data", "synthetic", "--preset", "nano", "--d-model", "32", "--steps", "4",
            "--batch", "8", "--batch-order", "sequential", "--eval-points", "0"};
        run(concat(common, "--metrics-out", a.toString()));
        run(concat(common, "--micro-batch", "2", "--metrics-out", b.toString()));
        List<String> x = lines(a);
        List<String> y = lines(b);
        for (int i = 0; i < 4; i++) {
            double lx = JSON.readTree(x.get(i)).get("loss").asDouble();
            double ly = JSON.readTree(y.get(i)).get("loss").asDouble();
            assertEquals(lx, ly, 1e-4 * Math.abs(lx), "step " + (i + 1));
        }
    }

    @Test
    void configFileValuesApplyAndFlagsWin() throws Exception {
        Path config = dir.resolve("run.yaml");
        Files.writeString(config, "data: synthetic\npreset: nano\nd_model: 32\nsteps: 9\noptimizer: lion\nlr: 1e-4\n");
        JsonNode result = run("train", "--config", config.toString(), "--steps", "3").get(0);
        assertEquals(3, result.get("steps").asInt());
        assertEquals("lion", result.get("config").get("optimizer").asText());
        assertEquals(32, result.get("config").get("d_model").asInt());
        StringWriter err = new StringWriter();
        Files.writeString(config, "stepz: 3\n");
        assertEquals(Main.EXIT_BAD_INPUT, Main.run(args("train", "--config", config.toString()),
                new PrintWriter(new StringWriter()), new PrintWriter(err, true)));
        assertTrue(err.toString().contains("unknown setting 'stepz'; valid keys: [preset"), err.toString());
    }
}
