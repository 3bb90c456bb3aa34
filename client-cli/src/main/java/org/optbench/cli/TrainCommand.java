package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.optbench.kernels.cpu.CpuBackend;
import org.optbench.model.ModelConfig;
import org.optbench.model.ModelPresets;
import org.optbench.model.Preset;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.optim.Optimizer;
import org.optbench.optim.ParamGroup;
import org.optbench.train.RunResult;
import org.optbench.train.StepRecord;
import org.optbench.train.TrainingLoop;
import org.optbench.train.data.BatchSource;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.SyntheticTokens;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench train}: one training run with any optimizer or hybrid of the suite and the
 * paper's schedule (or another) on a model preset, over a 1-D token file or the built-in synthetic Markov stream. Prints progress, writes
 * per-step metrics as JSON lines, and ends with one JSON line of the result; a diverged run is a
 * result with exit code 0.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model preset with any optimizer of the suite.")
final class TrainCommand implements Callable<Integer> {

    @Option(names = "--preset", defaultValue = "nano", description = "model preset (default ${DEFAULT-VALUE}); one of: nano, micro, mini, P0, P1, P2, 150m, 300m, 600m, 1.2b")
    String preset;

    @Option(names = "--steps", description = "optimizer steps (default: the preset's, 300 for nano)")
    Integer steps;

    @Option(names = "--batch", description = "sequences per step (default: the preset's)")
    Integer batchSize;

    @Option(names = "--warmup", description = "warmup steps (default: 10% of --steps)")
    Integer warmup;

    @Option(names = "--clip", defaultValue = "1.0", description = "global gradient-norm clip; 0 turns it off (default ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--z-loss", defaultValue = "1e-4", description = "z-loss coefficient; 0 turns it off (default ${DEFAULT-VALUE})")
    float zLoss;

    @Option(names = "--seed", defaultValue = "0", description = "initialisation and data seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--data", defaultValue = "synthetic",
            description = "'synthetic' (a seeded Markov chain of branching 4) or a 1-D .npy token file (default ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--divergence-threshold", defaultValue = "100", description = "a loss above this ends the run as diverged (default ${DEFAULT-VALUE})")
    double divergenceThreshold;

    @Option(names = "--log-every", defaultValue = "10", description = "print progress every N steps (default ${DEFAULT-VALUE})")
    int logEvery;

    @Option(names = "--metrics-out", description = "write one JSON line per step to this file")
    Path metrics;

    @Option(names = "--save-weights", description = "write the final weights to this safetensors file")
    Path save;

    @Mixin
    OptimizerOptions optim;

    @Mixin
    ThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Preset p = ModelPresets.get(preset);
        if (steps == null) {
            steps = p.steps();
        }
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps
                    + (p.steps() == 0 ? " (preset " + preset + " is a benchmark shape: pass --steps)" : ""));
        }
        int batch = batchSize != null ? batchSize : p.batchSize();
        int warm = warmup != null ? warmup : Math.max(1, steps / 10);
        ModelConfig config = p.config().withZLoss(zLoss);
        PrintWriter out = spec.commandLine().getOut();
        try (CpuBackend backend = threads.backend();
             Writer metricsOut = metrics != null ? Files.newBufferedWriter(metrics) : Writer.nullWriter()) {
            BatchSource batches = batches(config, batch);
            Transformer model = new Transformer(config, batch, backend);
            model.initialize(seed);
            Optimizer optimizer = optim.build(backend, model.layout(), model.parameters(), model.gradients(), warm,
                    steps);
            TrainingLoop loop = new TrainingLoop(model, optimizer, batches, clip, divergenceThreshold);
            out.printf("train %s (%,d parameters) on %s, batch %d x %d, %d steps, %s, %s%n", preset,
                    model.layout().totalCount(), data, batch, config.seqLen(), steps, optim.label(),
                    backend.description());
            for (ParamGroup g : optimizer.groups()) {
                out.printf("  group %-10s %-9s %3d tensors  %s%n", g.name(), g.kind(), g.parameters().size(),
                        g.hyperparameters());
            }
            RunResult result = loop.run(steps, r -> {
                writeMetrics(metricsOut, r);
                if (r.step() % logEvery == 0 || r.step() == 1 || r.step() == steps) {
                    out.printf("step %5d/%d  loss %.4f  lr %.3e  grad_norm %.3f  %.1f ms%n", r.step(), steps,
                            r.loss(), r.lr(), r.gradNorm(), r.millis());
                }
            });
            if (save != null) {
                ModelWeights.save(save, model);
            }
            Map<String, Object> summary = new LinkedHashMap<>();
            summary.put("status", result.status());
            summary.put("steps", result.steps());
            summary.put("diverged_at_step", result.divergedAtStep());
            summary.put("final_train_loss", result.lastFiniteLoss());
            summary.put("tokens", result.tokens());
            summary.put("tokens_per_s", Math.round(result.tokensPerSecond()));
            summary.put("optimizer_state_bytes", optimizer.stateBytes());
            summary.put("device", backend.description());
            out.println(Json.line(summary));
        }
        return 0;
    }

    private BatchSource batches(ModelConfig config, int batch) {
        if (data.equals("synthetic")) {
            long length = (long) (steps + 1) * batch * config.seqLen() + 1;
            return new SequentialBatches(new SyntheticTokens(config.vocabSize(), 4, length, seed + 1), batch,
                    config.seqLen());
        }
        return new SequentialBatches(SequentialBatches.of(NpyArray.open(Path.of(data))), batch, config.seqLen());
    }

    private static void writeMetrics(Writer w, StepRecord r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", r.step());
        line.put("tokens", r.tokens());
        line.put("loss", r.loss());
        line.put("lr", r.lr());
        line.put("grad_norm", r.gradNorm());
        line.put("ms", r.millis());
        try {
            w.write(Json.line(line));
            w.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }
}
