package org.optbench.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.ParameterSpec;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.NpyWriter;

/**
 * The authors' frozen Adalayer, run as a user runs it: with explicit batches in order, every step
 * of the freeze has the loss that {@code optbench forward} gives the initial weights on that
 * batch (nothing moves at LR 0), the run is t_freeze + steps long, and after the freeze the LM
 * head's and the LayerNorms' second moments keep changing while every other block's stays as the
 * freeze left it.
 */
class AdalayerFreezeTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FREEZE = 3;

    @TempDir
    Path dir;

    @Test
    void theFreezeTrainsNothingAndThenOnlyTheLastLayerAndTheLayerNormsKeepUpdatingV() throws Exception {
        ModelConfig config = ModelConfig.of(64, 16, 2, 2, 8);
        int batch = 2;
        Path weights = dir.resolve("init.safetensors");
        Path tokens = dir.resolve("batches.npy");
        int batches = FREEZE + 2;
        int[] values = new int[batches * batch * (config.seqLen() + 1)];
        SplittableRandom rng = new SplittableRandom(11);
        for (int i = 0; i < values.length; i++) {
            values[i] = rng.nextInt(config.vocabSize());
        }
        NpyWriter.write(tokens, new long[] {batches, batch, config.seqLen() + 1}, values, NpyArray.Dtype.INT32);
        List<String> names = new ArrayList<>();
        try (CpuBackend backend = new CpuBackend(1)) {
            Transformer model = new Transformer(config, batch, backend);
            model.initialize(3);
            ModelWeights.save(weights, model);
            model.layout().specs().stream().map(ParameterSpec::name).forEach(names::add);
        }

        Path oneStep = train("one", 1);
        Path twoSteps = train("two", 2);

        List<JsonNode> steps = stepLines(dir.resolve("two/metrics.jsonl"));
        assertEquals(FREEZE + 2, steps.size(), "t_freeze + steps optimizer steps");
        for (int k = 1; k <= FREEZE; k++) {
            JsonNode step = steps.get(k - 1);
            assertEquals(0.0, step.get("lr").asDouble(), "step " + k + " is in the freeze");
            CliProcess f = CliProcess.run(dir, Map.of(), 120, "forward", "--weights", weights.toString(), "--tokens",
                    tokens.toString(), "--batch-index", Integer.toString(k - 1), "--threads", "1");
            assertEquals(0, f.code(), f.err());
            double initialLoss = JSON.readTree(f.out().lines().filter(l -> l.startsWith("{")).findFirst().orElseThrow())
                    .get("loss").asDouble();
            assertEquals(initialLoss, step.get("loss").asDouble(), 1e-6,
                    "step " + k + " of the freeze: the loss of the initial weights on batch " + (k - 1));
        }
        assertTrue(steps.get(FREEZE).get("lr").asDouble() > 0, "the schedule starts after the freeze");

        SafetensorsFile afterOne = SafetensorsFile.read(oneStep.resolve("optimizer.safetensors"));
        SafetensorsFile afterTwo = SafetensorsFile.read(twoSteps.resolve("optimizer.safetensors"));
        int kept = 0;
        int updated = 0;
        for (String name : names) {
            float[] v1 = afterOne.tensors().get(name + ".exp_avg_sq_block").data();
            float[] v2 = afterTwo.tensors().get(name + ".exp_avg_sq_block").data();
            boolean lastOrNorm = name.equals("lm_head.weight") || name.endsWith("norm.weight") || name.endsWith("ln1.weight")
                    || name.endsWith("ln2.weight") || name.equals("ln_f.weight");
            if (lastOrNorm) {
                assertFalse(Arrays.equals(v1, v2), name + ": v keeps its EMA after the freeze");
                updated++;
            } else {
                assertArrayEquals(v1, v2, name + ": v stays as the freeze left it");
                kept++;
            }
        }
        assertTrue(kept >= 8 && updated >= 7, "frozen " + kept + ", updating " + updated);
    }

    /** Trains {@code steps} steps after the freeze into {@code name}/; returns its checkpoint directory. */
    private Path train(String name, int steps) throws Exception {
        Path out = Files.createDirectories(dir.resolve(name));
        CliProcess r = CliProcess.run(dir, Map.of(), 300, "train", "--init-weights", dir.resolve("init.safetensors").toString(),
                "--tokens", dir.resolve("batches.npy").toString(), "--batch-order", "sequential", "--batch", "2",
                "--optimizer", "adalayer", "--t-freeze", Integer.toString(FREEZE), "--steps", Integer.toString(steps),
                "--threads", "1", "--checkpoint-every", "1", "--checkpoint-dir", out.resolve("checkpoint").toString(),
                "--metrics-out", out.resolve("metrics.jsonl").toString());
        assertEquals(0, r.code(), r.err());
        return out.resolve("checkpoint");
    }

    private static List<JsonNode> stepLines(Path metrics) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode node = JSON.readTree(line);
            if (node.has("loss")) {
                steps.add(node);
            }
        }
        return steps;
    }
}
