package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.LossValue;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterSpec;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.TensorEntry;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.NpyWriter;

class CommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
        List<JsonNode> jsonLines() throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        }
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void forwardReportsTheLossAndWritesGradientsByName() throws Exception {
        ModelConfig config = ModelConfig.of(50, 16, 2, 2, 6);
        int b = 3;
        Path weights = dir.resolve("w.safetensors");
        Path tokens = dir.resolve("batches.npy");
        Path grads = dir.resolve("g.safetensors");
        int[] values = new int[2 * b * (config.seqLen() + 1)];
        SplittableRandom rng = new SplittableRandom(4);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(config.vocabSize());
        }
        NpyWriter.write(tokens, new long[] {2, b, config.seqLen() + 1}, values, NpyArray.Dtype.UINT16);
        try (CpuBackend backend = new CpuBackend(2)) {
            Transformer model = new Transformer(config, b, backend);
            model.initialize(8);
            ModelWeights.save(weights, model);
            int n = b * config.seqLen();
            int[] in = new int[n];
            int[] tg = new int[n];
            int w = config.seqLen() + 1;
            for (int s = 0; s < b; s++) {
                for (int t = 0; t < config.seqLen(); t++) {
                    in[s * config.seqLen() + t] = values[b * w + s * w + t];
                    tg[s * config.seqLen() + t] = values[b * w + s * w + t + 1];
                }
            }
            model.zeroGradients();
            LossValue want = model.forward(in, tg);
            model.backward();

            Result r = run("forward", "--weights", weights.toString(), "--tokens", tokens.toString(),
                    "--batch-index", "1", "--grads-out", grads.toString(), "--threads", "1");
            assertEquals(0, r.code(), r.err());
            JsonNode line = r.jsonLines().get(0);
            assertEquals(want.loss(), line.get("loss").asDouble(), 1e-6);
            assertEquals(want.ce(), line.get("ce").asDouble(), 1e-6);
            assertEquals(want.zLoss(), line.get("z_loss").asDouble(), 1e-9);
            assertEquals(model.gradientNorm(), line.get("grad_norm").asDouble(), 1e-5);
            SafetensorsFile g = SafetensorsFile.read(grads);
            for (ParameterSpec spec : model.layout().specs()) {
                assertArrayEquals(model.readGradient(spec.name()), g.tensors().get(spec.name()).data(), 1e-6f,
                        spec.name());
            }
            Result noZ = run("forward", "--weights", weights.toString(), "--tokens", tokens.toString(),
                    "--batch-index", "1", "--z-loss", "0");
            assertEquals(0.0, noZ.jsonLines().get(0).get("z_loss").asDouble());
            assertEquals(want.ce(), noZ.jsonLines().get(0).get("loss").asDouble(), 1e-6);
        }
    }

    @Test
    void forwardMatchesTheIndependentNumpyReference() throws Exception {
        Path script = Path.of("..", "scripts", "reference_forward.py").toAbsolutePath();
        boolean numpy = script.toFile().exists() && new ProcessBuilder("python3", "-c", "import numpy")
                .redirectErrorStream(true).start().waitFor() == 0;
        org.junit.jupiter.api.Assumptions.assumeTrue(numpy, "python3 with NumPy is not installed");
        ModelConfig config = ModelConfig.of(64, 32, 2, 4, 9);
        Path weights = dir.resolve("ref.safetensors");
        Path tokens = dir.resolve("ref.npy");
        try (CpuBackend backend = new CpuBackend(2)) {
            Transformer model = new Transformer(config, 2, backend);
            model.initialize(21);
            ModelWeights.save(weights, model);
        }
        int[] values = new int[3 * 2 * 10];
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(64);
        }
        NpyWriter.write(tokens, new long[] {3, 2, 10}, values, NpyArray.Dtype.INT32);
        Result ours = run("forward", "--weights", weights.toString(), "--tokens", tokens.toString(), "--batch-index", "2");
        Process p = new ProcessBuilder("python3", script.toString(), weights.toString(), tokens.toString(), "2")
                .redirectErrorStream(true).start();
        String reference = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), reference);
        JsonNode ref = JSON.readTree(reference);
        JsonNode got = ours.jsonLines().get(0);
        System.out.printf("forward vs NumPy reference: loss %.9f vs %.9f%n", got.get("loss").asDouble(),
                ref.get("loss").asDouble());
        assertEquals(ref.get("loss").asDouble(), got.get("loss").asDouble(), 1e-5);
        assertEquals(ref.get("z_loss").asDouble(), got.get("z_loss").asDouble(), 1e-8);
    }

    @Test
    void forwardNamesTheMissingShapeFlagAndBadBatchIndex() throws Exception {
        Path weights = dir.resolve("nometa.safetensors");
        SafetensorsFile.write(weights, Map.of("vocab_size", "10"), List.of(new TensorEntry("x", new int[] {1}, new float[1])));
        Path tokens = dir.resolve("t.npy");
        NpyWriter.write(tokens, new long[] {1, 1, 3}, new int[] {1, 2, 3}, NpyArray.Dtype.INT32);
        Result r = run("forward", "--weights", weights.toString(), "--tokens", tokens.toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.code());
        assertTrue(r.err().contains("--d-model"), r.err());
        Result bad = run("forward", "--weights", weights.toString(), "--tokens", tokens.toString(), "--batch-index", "5");
        assertEquals(Main.EXIT_BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("batch index 5"), bad.err());
    }

    @Test
    void trainRunsAShortRunAndPrintsAResultLine() throws Exception {
        Path metrics = dir.resolve("m.jsonl");
        Result r = run("train", "--preset", "nano", "--steps", "4", "--threads", "2", "--metrics-out", metrics.toString(),
                "--data", "synthetic", "--eval-points", "0");
        assertEquals(0, r.code(), r.err());
        JsonNode result = r.jsonLines().get(r.jsonLines().size() - 1);
        assertEquals("completed", result.get("status").asText());
        assertEquals(4, result.get("steps").asInt());
        assertEquals(5, java.nio.file.Files.readAllLines(metrics).size(), "4 steps and the final evaluation");
        Result bad = run("train", "--preset", "nano", "--steps", "2", "--lr", "-1", "--data", "synthetic");
        assertEquals(Main.EXIT_BAD_INPUT, bad.code());
        assertTrue(bad.err().contains("invalid lr -1: must lie in (0, inf)"), bad.err());
        Result preset = run("train", "--preset", "huge");
        assertEquals(Main.EXIT_BAD_INPUT, preset.code());
        assertTrue(preset.err().contains("nano"), preset.err());
    }

    @Test
    void trainAcceptsEveryOptimizerAndGroupFiles() throws Exception {
        for (String optimizer : new String[] {"adaptive-last-ln", "muon", "adafactor"}) {
            Result r = run("train", "--preset", "nano", "--steps", "3", "--optimizer", optimizer, "--lr", "0.01",
                    "--data", "synthetic");
            assertEquals(0, r.code(), optimizer + ": " + r.err());
            assertTrue(r.out().contains("group "), r.out());
        }
        Path rules = dir.resolve("rules.yaml");
        java.nio.file.Files.writeString(rules, """
                groups:
                  - {name: head, params: [lm_head.weight], optimizer: adamw, lr: lr_last}
                  - {name: rest, rest: true, optimizer: lion}
                """);
        Result g = run("train", "--preset", "nano", "--steps", "2", "--groups", rules.toString(), "--lr", "1e-4",
                "--lr-last", "2e-3", "--schedule", "wsd", "--data", "synthetic");
        assertEquals(0, g.code(), g.err());
        assertTrue(g.out().contains("group head") && g.out().contains("lr=0.002"), g.out());
        Result unused = run("train", "--preset", "nano", "--steps", "2", "--optimizer", "adamw", "--momentum", "0.9",
                "--data", "synthetic");
        assertEquals(Main.EXIT_BAD_INPUT, unused.code());
        assertTrue(unused.err().contains("'momentum' is not used by any group"), unused.err());
    }

    @Test
    void optimExplainAndMemoryDescribeTheGroups() throws Exception {
        Result explain = run("optim", "explain", "--preset", "nano", "--optimizer", "muon");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("group matrices: muon"), explain.out());
        assertTrue(explain.out().contains("blocks.0.attn.qkv.weight") && explain.out().contains("3 x [64, 64]"),
                explain.out());
        Result memory = run("optim", "memory", "--preset", "150m", "--json");
        assertEquals(0, memory.code(), memory.err());
        Map<String, Double> perParam = new java.util.HashMap<>();
        Map<String, Long> stateBytes = new java.util.HashMap<>();
        for (JsonNode line : memory.jsonLines()) {
            perParam.put(line.get("optimizer").asText(), line.get("bytes_per_parameter").asDouble());
            stateBytes.put(line.get("optimizer").asText(), line.get("state_bytes").asLong());
        }
        assertEquals(8.0, perParam.get("adamw"));
        assertEquals(4.0, perParam.get("sgd"));
        assertTrue(perParam.get("adafactor") < 4.01 && perParam.get("adafactor") > 4.0, perParam.toString());
        assertTrue(stateBytes.get("adaptive-last-only") > stateBytes.get("sgd")
                && stateBytes.get("adaptive-ln-only") > stateBytes.get("sgd"), stateBytes.toString());
        assertEquals(org.optbench.optim.GroupRules.names().size(), perParam.size(), "every optimizer and preset");
    }

    @Test
    void devicesListsTheCpuAndEveryOpenClDevice() {
        Result r = run("devices");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("cpu ")), r.out());
        for (var d : org.optbench.kernels.opencl.OpenClDevices.list()) {
            assertTrue(r.out().contains(d.selector()) && r.out().contains(d.deviceName()), r.out());
        }
    }

    @Test
    void trainOnOpenClRecordsTheDeviceAndMatchesTheCpu() throws Exception {
        String selector = org.optbench.kernels.opencl.OpenClTestDevice.selector();
        String[] args = {"train", "--preset", "nano", "--steps", "3", "--data", "synthetic", "--eval-points", "0"};
        Result cpu = run(args);
        Result cl = run(java.util.stream.Stream.concat(java.util.Arrays.stream(args),
                java.util.stream.Stream.of("--device", selector)).toArray(String[]::new));
        assertEquals(0, cl.code(), cl.err());
        JsonNode want = cpu.jsonLines().get(cpu.jsonLines().size() - 1);
        JsonNode got = cl.jsonLines().get(cl.jsonLines().size() - 1);
        assertTrue(got.get("device").asText().startsWith("opencl opencl:"), got.toString());
        assertTrue(want.get("device").asText().startsWith("cpu "), want.toString());
        assertEquals(want.get("final_train_loss").asDouble(), got.get("final_train_loss").asDouble(),
                1e-4 * want.get("final_train_loss").asDouble());
    }

    @Test
    void anAbsentDeviceIsAnErrorNotAFallback() {
        Result missing = run("train", "--preset", "nano", "--steps", "1", "--data", "synthetic", "--device", "opencl:9:9");
        assertEquals(Main.EXIT_BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("device 'opencl:9:9'"), missing.err());
        Result unknown = run("train", "--preset", "nano", "--steps", "1", "--data", "synthetic", "--device", "cuda");
        assertEquals(Main.EXIT_BAD_INPUT, unknown.code());
        assertTrue(unknown.err().contains("device 'cuda' is unknown: use cpu, opencl or opencl:P:D"), unknown.err());
    }

    @Test
    void benchPrintsJsonLinesWithReferences() throws Exception {
        Result bad = run("bench", "--shape", "P0", "--warm-up", "-1");
        assertEquals(Main.EXIT_BAD_INPUT, bad.code(), bad.err());
        assertTrue(bad.err().contains("--warm-up must be 0 to 3600 seconds, got -1.0"), bad.err());
        Result r = run("bench", "--shape", "P0", "--steps", "1", "--warm-up", "0", "--json", "--threads", "2");
        assertEquals(0, r.code(), r.err());
        List<String> kinds = new ArrayList<>();
        for (JsonNode line : r.jsonLines()) {
            kinds.add(line.get("bench").asText() + (line.has("phase") ? ":" + line.get("phase").asText() : ""));
        }
        assertTrue(kinds.contains("fma_peak") && kinds.contains("sgemm") && kinds.contains("train_step:forward_backward")
                && kinds.contains("train_step:full_step"), kinds.toString());
        JsonNode step = r.jsonLines().stream().filter(l -> l.has("phase")).findFirst().orElseThrow();
        assertTrue(step.get("tokens_per_s").get("median").asDouble() > 0);
        assertEquals("P0", step.get("shape").asText());
        // the step's ratio is to the sgemm timed between its own steps, under the same load
        double between = step.get("sgemm_1024_between_steps").get("median").asDouble();
        assertTrue(between > 0, step.toString());
        assertEquals(step.get("gflops").get("median").asDouble() / between, step.get("of_sgemm_1024").asDouble(), 0.002,
                step.toString());
    }
}
