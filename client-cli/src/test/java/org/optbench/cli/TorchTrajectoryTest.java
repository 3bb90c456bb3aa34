package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.NpyWriter;

/**
 * The update rules against an independent implementation: {@code optbench train} from the same
 * initial weights on the same batches in order, and {@code scripts/torch_reference.py trajectory}
 * (PyTorch autograd in float64, each rule written from SPEC.md and the study authors' code, Sophia
 * in their form with its Hessian as an EMA of g^2 and rho * bs in the step), give the same loss
 * at every step within float32's reach. Needs Debian's python3-torch; with
 * OPTBENCH_REQUIRE_TORCH=1 (as CI runs) a missing PyTorch fails the test instead of skipping it.
 */
class TorchTrajectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ModelConfig CONFIG = ModelConfig.of(64, 16, 2, 2, 8);
    private static final int BATCH = 2;
    private static final int BATCHES = 12;
    /** Largest relative difference of a step's loss: float32 against float64 over at most 12 steps (measured: below 1e-7). */
    private static final double TOLERANCE = 1e-6;

    @TempDir
    static Path dir;
    private static String python;

    @BeforeAll
    static void setUp() throws Exception {
        python = pythonWithTorch();
        if (python == null) {
            assertTrue(System.getenv("OPTBENCH_REQUIRE_TORCH") == null,
                    "OPTBENCH_REQUIRE_TORCH is set but no python3 with PyTorch was found (apt-get install python3-torch)");
            Assumptions.abort("python3 with PyTorch is not installed");
        }
        int[] values = new int[BATCHES * BATCH * (CONFIG.seqLen() + 1)];
        SplittableRandom rng = new SplittableRandom(5);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(CONFIG.vocabSize());
        }
        NpyWriter.write(dir.resolve("batches.npy"), new long[] {BATCHES, BATCH, CONFIG.seqLen() + 1}, values,
                NpyArray.Dtype.INT32);
        try (CpuBackend backend = new CpuBackend(1)) {
            Transformer model = new Transformer(CONFIG, BATCH, backend);
            model.initialize(9);
            ModelWeights.save(dir.resolve("init.safetensors"), model);
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "adamw     | lr=0.01 wd=0.1                                         | 8",
        "adamw     | lr=0.01 train_norms=false                              | 6",
        "adafactor | lr=0.01                                                | 8",
        "adafactor | lr=0.01 vector_mode=full beta1=0.8                     | 6",
        "adalayer  | lr=0.01 bias_correction=first                          | 6",
        "adalayer  | lr=0.01 bias_correction=none eps=1e-8                  | 6",
        "adalayer  | lr=0.03 t_freeze=3                                     | 8",
        "adalayer  | lr=0.003 t_freeze=2 lr_last=0.03                       | 8",
        "sophia    | lr=0.003 hessian_interval=2                            | 10",
        "sophia    | lr=0.003 hessian_interval=3 rho=0.5 wd=0.1 beta1=0.9 seed=4 | 10",
    })
    void everyStepHasTheReferenceLoss(String optimizer, String settings, int steps) throws Exception {
        List<String> args = new ArrayList<>(List.of("train", "--init-weights", dir.resolve("init.safetensors").toString(),
                "--tokens", dir.resolve("batches.npy").toString(), "--batch-order", "sequential", "--batch",
                Integer.toString(BATCH), "--schedule", "constant", "--warmup", "0", "--clip", "0", "--threads", "1",
                "--optimizer", optimizer, "--steps", Integer.toString(steps)));
        for (String setting : settings.split(" ")) {
            String[] kv = setting.split("=", 2);
            args.add("--" + kv[0].replace('_', '-') + "=" + kv[1]);
        }
        Path metrics = dir.resolve(optimizer + "-" + settings.hashCode() + ".jsonl");
        args.addAll(List.of("--metrics-out", metrics.toString()));
        CliProcess run = CliProcess.run(dir, Map.of(), 300, args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        List<Double> ours = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode node = JSON.readTree(line);
            if (node.has("loss")) {
                ours.add(node.get("loss").asDouble());
            }
        }
        List<Double> theirs = reference(optimizer, settings, steps);
        assertEquals(theirs.size(), ours.size(), "steps");
        double worst = 0;
        for (int i = 0; i < ours.size(); i++) {
            double relative = Math.abs(ours.get(i) - theirs.get(i)) / Math.abs(theirs.get(i));
            worst = Math.max(worst, relative);
            assertTrue(relative <= TOLERANCE, optimizer + " " + settings + " step " + (i + 1) + ": optbench "
                    + ours.get(i) + ", PyTorch " + theirs.get(i));
        }
        assertTrue(theirs.get(theirs.size() - 1) < theirs.get(0) - 0.01,
                "the reference run trains (first " + theirs.get(0) + ", last " + theirs.get(theirs.size() - 1) + ")");
        System.out.printf("%s %s: %d steps, largest relative difference %.2e%n", optimizer, settings, ours.size(), worst);
    }

    private static List<Double> reference(String optimizer, String settings, int steps) throws Exception {
        List<String> command = new ArrayList<>(List.of(python, Path.of("..", "scripts", "torch_reference.py")
                .toAbsolutePath().toString(), "trajectory", dir.resolve("init.safetensors").toString(),
                dir.resolve("batches.npy").toString(), Integer.toString(steps), optimizer));
        command.addAll(List.of(settings.split(" ")));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "the reference finishes");
        assertEquals(0, p.exitValue(), out);
        List<Double> losses = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("{")) {
                losses.add(JSON.readTree(line).get("loss").asDouble());
            }
        }
        return losses;
    }

    /** Debian's python3 first (a python3 earlier on the PATH may lack PyTorch), or null. */
    private static String pythonWithTorch() throws Exception {
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            if (candidate.startsWith("/") && !new File(candidate).canExecute()) {
                continue;
            }
            Process p = new ProcessBuilder(candidate, "-c", "import torch, numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            if (p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0) {
                return candidate;
            }
        }
        return null;
    }
}
