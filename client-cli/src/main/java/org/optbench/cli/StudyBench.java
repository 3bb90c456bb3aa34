package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.optbench.train.RunFiles;
import org.optbench.train.StepRecord;

/**
 * The study of many short trials that {@code bench --study} times, as a new user would run it: 12
 * AdamW trials of 300 steps (or {@code --trials} of {@code --trial-steps}) at the study shape S0 (vocabulary 512, d_model 64, 2 layers, 2 heads,
 * sequences of 64, batch 16) on synthetic tokens, one final evaluation of 8,192 tokens,
 * {@code parallel: 2}, one kernel thread per trial, through {@code optbench study}. It reports the
 * trials per hour, the share of the slots' time spent outside training steps (start-up, data,
 * evaluation, files), the steady step (the median of each trial's second half) and how much the
 * steps above it (the JIT's warm-up) cost in all.
 *
 * @param trials          trials run
 * @param wallSeconds     the study's wall time
 * @param stepSeconds     the sum of every trial's training steps
 * @param warmUpSeconds   the sum over steps of the time above their trial's steady step
 * @param steadyStepMs    the median steady step over trials
 * @param parallel        trials run at once
 */
record StudyBench(int trials, double wallSeconds, double stepSeconds, double warmUpSeconds, double steadyStepMs,
                  int parallel) {

    static final int PARALLEL = 2;

    /**
     * Runs the study in {@code dir} with {@code trialCount} trials (learning rates a quarter decade
     * apart from 1e-4) of {@code steps} steps each, and reads its trials' step times.
     */
    static StudyBench run(Path dir, int trialCount, int steps) throws IOException {
        StringBuilder lrs = new StringBuilder();
        for (int i = 0; i < trialCount; i++) {
            lrs.append(i == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.3g", Math.pow(10, -4 + 0.25 * i)));
        }
        Path spec = Files.writeString(dir.resolve("bench-study.yaml"), """
                name: bench-study
                model: {preset: S0}
                data: synthetic
                steps: %d
                batch: 16
                seeds: [0]
                parallel: %d
                train: {eval_tokens: 8192, eval_points: 1}
                parameters:
                  optimizer:
                    adamw: {lr: {values: [%s]}}
                """.formatted(steps, PARALLEL, lrs));
        Path runs = dir.resolve("runs");
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(new String[] {"study", spec.toString(), "--runs-dir", runs.toString(), "--threads-per-trial", "1"},
                new PrintWriter(Writer.nullWriter()), new PrintWriter(err, true));
        double wall = (System.nanoTime() - start) / 1e9;
        if (code != 0) {
            throw new IllegalStateException("the benchmark study failed (exit " + code + "): " + err);
        }
        double stepSeconds = 0;
        double warmUp = 0;
        List<Double> steady = new ArrayList<>();
        int trials = 0;
        try (Stream<Path> dirs = Files.list(runs.resolve("bench-study"))) {
            for (Path trial : dirs.filter(p -> Files.isRegularFile(p.resolve("metrics.jsonl"))).sorted().toList()) {
                double[] ms = RunFiles.readMetrics(trial.resolve("metrics.jsonl")).steps().stream()
                        .mapToDouble(StepRecord::millis).toArray();
                double[] secondHalf = Arrays.copyOfRange(ms, ms.length / 2, ms.length);
                Arrays.sort(secondHalf);
                double median = secondHalf[secondHalf.length / 2];
                steady.add(median);
                for (double m : ms) {
                    stepSeconds += m / 1e3;
                    warmUp += Math.max(0, m - median) / 1e3;
                }
                trials++;
            }
        }
        steady.sort(Double::compare);
        return new StudyBench(trials, wall, stepSeconds, warmUp, steady.get(steady.size() / 2), PARALLEL);
    }

    double trialsPerHour() {
        return trials * 3600 / wallSeconds;
    }

    /** The share of the slots' time (parallel x wall) not spent in training steps. */
    double outsideSteps() {
        return 1 - stepSeconds / (parallel * wallSeconds);
    }
}
