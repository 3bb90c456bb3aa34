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
import org.optbench.sweep.SweepExpander;
import org.optbench.sweep.SweepRunner;
import org.optbench.sweep.SweepSpec;
import org.optbench.sweep.SweepSpecParser;
import org.optbench.sweep.TrialFile;
import org.optbench.sweep.TrialPlacement;
import org.optbench.sweep.trial.Trial;
import org.optbench.train.data.LocalDataCatalog;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunSpec;

/**
 * Every optimizer of the suite, and runs that set every optimizer and training flag, reproduce
 * bit for bit the per-step losses, learning rates, gradient norms and validation losses recorded
 * in {@code reference-trajectories.json}: refactoring how a run is described or assembled must
 * not change a single number. The runs are made through {@code optbench train}'s flags and, for
 * several of them, as sweep points whose trial file the worker reads.
 */
class ReferenceTrajectoryTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode reference() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/reference-trajectories.json")) {
            return JSON.readTree(in);
        }
    }

    @Test
    void everyRecordedRunIsReproducedBitForBit() throws Exception {
        JsonNode reference = reference();
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
            compared += compareFile(run.getKey(), run.getValue(), metrics);
        }
        System.out.println("reference trajectories: " + compared + " values identical");
    }

    /** Compares a metrics file with a recorded run; returns the number of values compared. */
    private static int compareFile(String name, JsonNode recorded, Path metrics) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        List<JsonNode> evals = new ArrayList<>();
        for (String line : Files.readAllLines(metrics)) {
            JsonNode n = JSON.readTree(line);
            (n.has("val_loss") ? evals : steps).add(n);
        }
        return compare(name, recorded.get("steps"), steps, "loss", "lr", "grad_norm", "tokens")
                + compare(name, recorded.get("evals"), evals, "val_loss");
    }

    /** The same runs as sweep points: spec keys, expansion, the trial file's JSON and the worker's settings. */
    private static final Map<String, String> AS_SWEEPS = Map.of(
            "adamw-options", """
                    model: {preset: nano, d_model: 32, seq_len: 32}
                    data: synthetic
                    steps: 6
                    batch: 4
                    micro_batch: 2
                    seeds: [7]
                    train: {eval_points: 2, eval_tokens: 512, schedule: wsd, warmup: 2, clip: 0.5, z_loss: 0}
                    parameters:
                      optimizer:
                        adamw: {lr: {value: 1.0e-2}, beta1: {value: 0.8}, beta2: {value: 0.99}, eps: {value: 1.0e-8},
                                wd: {value: 0.1}, wd_mode: {value: paper}}
                    """,
            "sgd-nesterov", """
                    model: {preset: nano, d_model: 32, seq_len: 32}
                    data: synthetic
                    steps: 6
                    batch: 4
                    seeds: [7]
                    train: {eval_points: 2, eval_tokens: 512, schedule: linear}
                    parameters:
                      optimizer:
                        sgd: {lr: {values: [0.3]}, momentum: {value: 0.9}, nesterov: {value: true}}
                      warmup: {values: [0.5]}
                    """,
            "lion-budget", """
                    model: {preset: nano, d_model: 32, seq_len: 32}
                    data: synthetic
                    tokens: 640
                    batch: 4
                    seeds: [7]
                    train: {eval_points: 2, eval_tokens: 512, batch_order: sequential, schedule: constant, eval_steps: [3]}
                    parameters:
                      optimizer:
                        lion: {lr: {value: 1.0e-3}, beta2: {value: 0.99}}
                    """,
            "hybrid-lr-last", """
                    model: {preset: nano, d_model: 32, seq_len: 32}
                    data: synthetic
                    steps: 6
                    batch: 4
                    seeds: [7]
                    train: {eval_points: 2, eval_tokens: 512}
                    parameters:
                      optimizer:
                        adaptive-last-ln: {lr: {value: 3}, lr_last: {value: 1.0e-2}}
                    """);

    @Test
    void sweepTrialsTrainTheRecordedTrajectoriesToo() throws Exception {
        JsonNode reference = reference();
        int compared = 0;
        for (Map.Entry<String, String> sweep : AS_SWEEPS.entrySet()) {
            SweepSpec spec = SweepSpecParser.parse("name: ref\n" + sweep.getValue(), sweep.getKey());
            Trial trial = SweepExpander.expand(spec).get(0);
            Path trialDir = dir.resolve("trial-" + sweep.getKey());
            new TrialFile("ref-0000", 1, null, SweepRunner.forTrial(spec, spec.run(trial), TrialPlacement.local(2)), 0,
                    false).write(trialDir);
            RunSpec run = TrialFile.read(trialDir).run().toBuilder().metrics(trialDir.resolve("metrics.jsonl"))
                    .checkpointDir(trialDir.resolve("checkpoint")).build();
            TrainCommand.train(run, RunContext.inThisJvm(LocalDataCatalog.standard()), new PrintWriter(new StringWriter()), r -> { });
            compared += compareFile(sweep.getKey(), reference.get("runs").get(sweep.getKey()), trialDir.resolve("metrics.jsonl"));
        }
        System.out.println("reference trajectories through sweep points: " + compared + " values identical");
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
