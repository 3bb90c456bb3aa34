package org.optbench.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.optbench.kernels.Backend;
import org.optbench.kernels.FloatTensor;
import org.optbench.kernels.OpProfile;
import org.optbench.kernels.cpu.CopyBandwidth;
import org.optbench.kernels.cpu.FmaPeak;
import org.optbench.model.ModelConfig;
import org.optbench.model.ModelPresets;
import org.optbench.model.ParameterLayout;
import org.optbench.model.Preset;
import org.optbench.model.Transformer;
import org.optbench.optim.GradientClipping;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.Optimizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench bench}: throughput of each device in {@code --device} (a comma-separated list,
 * e.g. {@code cpu,opencl}, so backends compare within one run) next to references measured in the
 * same run: the machine's FMA peak, each device's sgemm at 1024^3 (and with
 * {@code --shape-matmuls} each benchmark shape's matmuls), and training-step throughput
 * (forward+backward up to the step's read-back of loss and gradient norm, and the whole step with
 * clipping and AdamW) for the benchmark shapes P0, P1, P2 (or any preset with {@code --shape}, such
 * as the study shape S0, and another vocabulary with {@code --vocab}); with {@code --study}, a study
 * of short trials ({@link StudyBench}). Timings end with a device
 * synchronisation. Model FLOPs per token are {@link ModelConfig#trainingFlopsPerToken}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure FMA peak, sgemm and training-step throughput; JSON lines with --json.")
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--shape", defaultValue = "all", description = "a model preset to time (P0, P1, P2, the study shape "
            + "S0, nano, ...) or all for P0, P1 and P2 (default ${DEFAULT-VALUE})")
    String shape;

    @Option(names = "--vocab", description = "the shape's vocabulary instead of its preset's")
    Integer vocab;

    @Option(names = "--study", description = "time a study of short trials instead (12 AdamW trials of 300 steps at "
            + "S0, parallel 2): trials per hour and the share of time outside training steps")
    boolean study;

    @Option(names = "--trials", defaultValue = "12", description = "trials of the --study (default ${DEFAULT-VALUE})")
    int studyTrials;

    @Option(names = "--trial-steps", defaultValue = "300",
            description = "training steps of each --study trial (default ${DEFAULT-VALUE})")
    int studyTrialSteps;

    @Option(names = "--steps", defaultValue = "5",
            description = "timed training steps per shape, after the warm-up (default ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--warm-up", defaultValue = "10", paramLabel = "SECONDS",
            description = "untimed steps before each shape's timed ones: at least 2, and for at least this many "
                    + "seconds, so that the JIT has compiled the kernels (default ${DEFAULT-VALUE})")
    double warmUpSeconds;

    @Option(names = "--json", description = "one JSON object per line instead of a table")
    boolean json;

    @Option(names = "--profile", description = "also run each shape's training step with every backend call timed "
            + "(the device synchronised after each) and print where the step's time goes, per kind of operation")
    boolean profile;

    @Option(names = "--shape-matmuls", description = "also time each benchmark shape's matmuls, forward and backward")
    boolean shapeMatmuls;

    @Option(names = "--optim", description = "benchmark every optimizer's step on a 52M-parameter model instead, "
            + "as GB/s of parameter, gradient and state traffic next to the copy bandwidth")
    boolean optim;

    @Mixin
    DeviceOptions compute;

    @Spec
    CommandSpec spec;

    /** Warm-up steps before each shape's timed steps, at the least. */
    private static final int WARM_UP_STEPS = 2;

    private PrintWriter out;

    @Override
    public Integer call() {
        if (steps < 1) {
            throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        }
        if (!(warmUpSeconds >= 0 && warmUpSeconds <= 3600)) {
            throw new IllegalArgumentException("--warm-up must be 0 to 3600 seconds, got " + warmUpSeconds);
        }
        if (studyTrials < 1 || studyTrials > 100) {
            throw new IllegalArgumentException("--trials must be 1 to 100, got " + studyTrials);
        }
        if (studyTrialSteps < 2) {
            throw new IllegalArgumentException("--trial-steps must be at least 2, got " + studyTrialSteps);
        }
        if (vocab != null && vocab < 2) {
            throw new IllegalArgumentException("--vocab must be at least 2, got " + vocab);
        }
        List<Preset> shapes = new ArrayList<>();
        for (String name : shape.equals("all") ? List.of("P0", "P1", "P2") : List.of(shape)) {
            Preset p = ModelPresets.get(name);
            shapes.add(vocab == null ? p : new Preset(p.name() + " vocab " + vocab, p.config().withVocabSize(vocab),
                    p.batchSize(), p.steps(), p.warmupSteps(), p.description()));
        }
        out = spec.commandLine().getOut();
        if (study) {
            studyBench();
            return 0;
        }
        if (optim) {
            optimizerSteps();
            return 0;
        }
        double peak = FmaPeak.measure(compute.threads, 50_000_000L);
        emit(map("bench", "fma_peak", "threads", compute.threads, "gflops", Samples.round(peak)));
        for (String selector : compute.device.split(",")) {
            try (Backend backend = compute.backend(selector.trim())) {
                String device = backend.description();
                // The first shape's step warms up before any sgemm runs, as in a training run: the
                // first 1024^3 product of a fresh JVM runs long in the interpreter and profiled code,
                // and Vector API code compiled after that runs the exp users 2.5-6x slower.
                WarmStep first = warmStep(backend, shapes.get(0));
                MatmulCase square = new MatmulCase(backend, true, 1024, 1024, 1024);
                Samples squareRate = square.samples(10);
                emit(map("bench", "sgemm", "device", device, "layout", "nt", "m", 1024, "n", 1024, "k", 1024,
                        "gflops", squareRate.json(), "of_fma_peak", Samples.ratio(squareRate.median(), peak)));
                for (Preset p : shapes) {
                    if (shapeMatmuls) {
                        shapeMatmuls(backend, p);
                    }
                    WarmStep warm = p == shapes.get(0) ? first.steppedOn(WARM_UP_STEPS) : warmStep(backend, p);
                    first = null;
                    double fullStep = trainStep(warm, square, null);
                    if (profile) {
                        profileStep(backend, p, fullStep);
                    }
                }
            }
        }
        return 0;
    }

    /** GFLOP/s of the matmuls of one benchmark shape, forward (nt) and backward. */
    private void shapeMatmuls(Backend backend, Preset p) {
        ModelConfig c = p.config();
        int n = p.batchSize() * c.seqLen();
        int[][] mm = {{c.dModel(), c.dModel()}, {c.dModel(), c.mlpHidden()}, {c.mlpHidden(), c.dModel()},
                {c.dModel(), c.vocabSize()}};
        for (int[] io : mm) {
            for (String layout : new String[] {"nt", "backward"}) {
                Samples s = sgemm(backend, layout, n, io[0], io[1], 3);
                emit(map("bench", "sgemm", "device", backend.description(), "shape", p.name(), "layout", layout,
                        "m", n, "n", io[1], "k", io[0], "gflops", s.json()));
            }
        }
    }

    /** GFLOP/s of matmulForward (layout nt) or matmulBackward (both products) at (n, c, oc). */
    private Samples sgemm(Backend backend, String layout, int n, int c, int oc, int reps) {
        return new MatmulCase(backend, layout.equals("nt"), n, c, oc).samples(reps);
    }

    /** One matmul case on random tensors, run and timed (with a synchronisation) on demand. */
    private static final class MatmulCase {
        private final Backend backend;
        private final boolean forward;
        private final int n;
        private final int c;
        private final int oc;
        private final FloatTensor x;   // (n, c)
        private final FloatTensor w;   // (oc, c)
        private final FloatTensor y;   // (n, oc)
        private final FloatTensor dx;  // (n, c), backward only
        private final FloatTensor dw;  // (oc, c), backward only

        MatmulCase(Backend backend, boolean forward, int n, int c, int oc) {
            SplittableRandom rng = new SplittableRandom(1);
            this.backend = backend;
            this.forward = forward;
            this.n = n;
            this.c = c;
            this.oc = oc;
            x = random(backend, (long) n * c, rng);
            w = random(backend, (long) oc * c, rng);
            y = random(backend, (long) n * oc, rng);
            dx = forward ? null : backend.allocate((long) n * c);
            dw = forward ? null : backend.allocate((long) oc * c);
        }

        /** GFLOP/s of {@code reps} runs after two untimed ones. */
        Samples samples(int reps) {
            double[] gflops = new double[reps];
            for (int r = -2; r < reps; r++) {
                double g = gflops();
                if (r >= 0) {
                    gflops[r] = g;
                }
            }
            return Samples.of(gflops);
        }

        double gflops() {
            long t0 = System.nanoTime();
            if (forward) {
                backend.matmulForward(y, x, w, n, c, oc);
            } else {
                backend.matmulBackward(dx, dw, y, x, w, n, c, oc);
            }
            backend.synchronize();
            return (forward ? 2.0 : 4.0) * n * c * oc / ((System.nanoTime() - t0) / 1e9) / 1e9;
        }
    }

    private static FloatTensor random(Backend backend, long n, SplittableRandom rng) {
        float[] values = new float[Math.toIntExact(n)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (rng.nextDouble() - 0.5);
        }
        FloatTensor t = backend.allocate(n);
        backend.write(t, values, 0, values.length);
        return t;
    }

    /**
     * Times {@code steps} training steps (forward, backward, clipping, AdamW) of a warmed-up
     * shape and emits their throughput; returns the mean full step in seconds. After each timed step the
     * {@code reference} sgemm runs once, so the step's ratio to sgemm compares medians taken under
     * the same load; with {@code profile} (and no reference) the recorded operations are those of
     * the timed steps.
     */
    private double trainStep(WarmStep warm, MatmulCase reference, OpProfile profile) {
        Backend backend = warm.backend();
        Preset p = warm.preset();
        ModelConfig c = p.config();
        int n = warm.model().rows();
        int step = warm.nextStep();
        double[] fb = new double[steps];
        double[] full = new double[steps];
        double[] sgemm = new double[steps];
        if (profile != null) {
            profile.reset();
        }
        for (int s = 0; s < steps; s++) {
            long[] t = timeStep(backend, warm.model(), warm.adam(), warm.inputs(), warm.targets(), step++);
            fb[s] = t[0] / 1e9;
            full[s] = t[1] / 1e9;
            if (reference != null) {
                sgemm[s] = reference.gflops();
            }
        }
        double meanStep = java.util.Arrays.stream(full).average().orElseThrow();
        if (profile != null) {
            return meanStep;
        }
        double perToken = c.trainingFlopsPerToken();
        Samples between = Samples.of(sgemm);
        for (String phase : new String[] {"forward_backward", "full_step"}) {
            double[] seconds = phase.equals("full_step") ? full : fb;
            double[] tps = new double[steps];
            for (int i = 0; i < steps; i++) {
                tps[i] = n / seconds[i];
            }
            Samples tokens = Samples.of(tps);
            Samples gflops = tokens.scaled(perToken / 1e9);
            emit(map("bench", "train_step", "device", backend.description(), "shape", p.name(), "phase", phase,
                    "batch", p.batchSize(), "seq_len", c.seqLen(), "tokens_per_s", tokens.json(),
                    "gflops", gflops.json(), "sgemm_1024_between_steps", between.json(),
                    "of_sgemm_1024", Samples.ratio(gflops.median(), between.median())));
        }
        return meanStep;
    }

    /** A shape's model, optimizer and batch after its warm-up steps; {@code nextStep} is the step to run next. */
    private record WarmStep(Backend backend, Preset preset, Transformer model, Optimizer adam, int[] inputs,
                            int[] targets, int nextStep) {

        /** The same after {@code steps} more untimed steps (a shape whose warm-up other work followed). */
        WarmStep steppedOn(int steps) {
            for (int s = 0; s < steps; s++) {
                timeStep(backend, model, adam, inputs, targets, nextStep + s);
            }
            return new WarmStep(backend, preset, model, adam, inputs, targets, nextStep + steps);
        }
    }

    /**
     * Builds shape {@code p}'s model, AdamW and a random batch on {@code backend} and runs the
     * warm-up steps: at least two, and for at least {@code --warm-up} seconds, so that the JIT
     * has compiled the kernels for this shape before any timing starts.
     */
    private WarmStep warmStep(Backend backend, Preset p) {
        ModelConfig c = p.config();
        Transformer model = new Transformer(c, p.batchSize(), backend);
        model.initialize(0);
        Optimizer adam = new Optimizer(backend, GroupRules.named("adamw").resolve(model.layout().specs(),
                Map.of("lr", 1e-3)), model.parameters(), model.gradients(), LrSchedule.constant());
        SplittableRandom rng = new SplittableRandom(3);
        int n = model.rows();
        int[] inputs = new int[n];
        int[] targets = new int[n];
        for (int i = 0; i < n; i++) {
            inputs[i] = rng.nextInt(c.vocabSize());
            targets[i] = rng.nextInt(c.vocabSize());
        }
        long warmUpStart = System.nanoTime();
        int step = 1;
        while (step <= WARM_UP_STEPS || System.nanoTime() - warmUpStart < warmUpSeconds * 1e9) {
            timeStep(backend, model, adam, inputs, targets, step++);
        }
        return new WarmStep(backend, p, model, adam, inputs, targets, step);
    }

    /**
     * One training step as the training loop runs it; returns nanoseconds to the step's read-back
     * (forward, backward, gradient norm) and to the end of the AdamW update.
     */
    private static long[] timeStep(Backend backend, Transformer model, Optimizer adam, int[] inputs, int[] targets,
                                   int step) {
        long t0 = System.nanoTime();
        model.zeroGradients();
        model.forwardMicroBatch(inputs, targets, 0, 1);
        model.backward();
        double norm = model.readStep(1).gradientNorm();
        long t1 = System.nanoTime();
        adam.step(step, GradientClipping.coefficient(norm, 1.0));
        backend.synchronize();
        return new long[] {t1 - t0, System.nanoTime() - t0};
    }

    /**
     * The per-operation breakdown of shape {@code p}'s training step: the same steps run on a
     * backend whose every call is timed; each kind's mean milliseconds per step and share of the
     * mean profiled step, the time outside backend calls (Java-side work between kernels; with
     * the shares it adds up to 1), and the profiled step against the unprofiled one
     * ({@code fullStep} seconds, also a mean) measured just before.
     */
    private void profileStep(Backend backend, Preset p, double fullStep) {
        OpProfile ops = new OpProfile();
        long t0 = System.nanoTime();
        double perStep = trainStep(warmStep(ops.wrap(backend), p), null, ops);
        Map<String, Double> seconds = ops.seconds();
        double inKernels = seconds.values().stream().mapToDouble(Double::doubleValue).sum() / steps;
        seconds.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).forEach(e ->
                emit(map("bench", "profile", "device", backend.description(), "shape", p.name(), "op", e.getKey(),
                        "ms_per_step", Samples.round(e.getValue() / steps * 1e3),
                        "share", Samples.ratio(e.getValue() / steps, perStep),
                        "calls_per_step", ops.calls().get(e.getKey()) / steps)));
        emit(map("bench", "profile", "device", backend.description(), "shape", p.name(), "op", "outside backend calls",
                "ms_per_step", Samples.round(Math.max(0, perStep - inKernels) * 1e3),
                "share", Samples.ratio(Math.max(0, perStep - inKernels), perStep)));
        emit(map("bench", "profile_total", "device", backend.description(), "shape", p.name(),
                "profiled_step_ms", Samples.round(perStep * 1e3), "unprofiled_step_ms", Samples.round(fullStep * 1e3),
                "overhead", Samples.ratio(perStep - fullStep, fullStep), "wall_s", Samples.round((System.nanoTime() - t0) / 1e9)));
    }

    /** Runs {@link StudyBench} in a temporary directory and emits what it measured. */
    private void studyBench() {
        try {
            Path dir = Files.createTempDirectory("optbench-bench-study");
            try {
                StudyBench b = StudyBench.run(dir, studyTrials, studyTrialSteps);
                emit(map("bench", "study", "trials", b.trials(), "steps_per_trial", studyTrialSteps, "parallel",
                        b.parallel(), "wall_s", Samples.round(b.wallSeconds()), "trials_per_hour",
                        Samples.round(b.trialsPerHour()), "outside_steps", Samples.round(b.outsideSteps()),
                        "warm_up_s", Samples.round(b.warmUpSeconds()), "steady_step_ms", Samples.round(b.steadyStepMs())));
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the benchmark study could not write its files: " + e.getMessage(), e);
        }
    }

    /**
     * Every optimizer's step on the parameters of a 52M-parameter model (P2 with 6 layers). Traffic
     * per step is the minimum a fused update moves: parameters read and written, gradients read,
     * state read and written; GB/s is that traffic over the step time.
     */
    private void optimizerSteps() {
        double copy = CopyBandwidth.measure(compute.threads, 1 << 26, 5);
        emit(map("bench", "copy_bandwidth", "threads", compute.threads, "gb_per_s", Samples.round(copy)));
        ModelConfig config = ModelConfig.of(32128, 512, 6, 8, 512);
        ParameterLayout layout = new ParameterLayout(config);
        long n = layout.totalCount();
        try (Backend backend = compute.backend()) {
            FloatTensor params = random(backend, n, new SplittableRandom(4));
            FloatTensor grads = random(backend, n, new SplittableRandom(5));
            for (String name : GroupRules.names()) {
                Optimizer opt = new Optimizer(backend, GroupRules.named(name).resolve(layout.specs(), Map.of()), params,
                        grads, LrSchedule.constant());
                double[] ms = new double[steps];
                for (int s = -2; s < steps; s++) {
                    long t0 = System.nanoTime();
                    opt.step(s + 3, 1f);
                    backend.synchronize();
                    if (s >= 0) {
                        ms[s] = (System.nanoTime() - t0) / 1e6;
                    }
                }
                double traffic = 12.0 * n + 2.0 * opt.stateBytes();
                Samples time = Samples.of(ms);
                double gbps = traffic / (time.median() / 1e3) / 1e9;
                emit(map("bench", "optim_step", "device", backend.description(), "optimizer", name, "parameters", n,
                        "ms", time.json(), "gb_per_s", Samples.round(gbps), "of_copy", Samples.ratio(gbps, copy)));
            }
        }
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private void emit(Map<String, Object> record) {
        if (json) {
            out.println(Json.line(record));
            return;
        }
        StringBuilder line = new StringBuilder();
        record.forEach((k, v) -> {
            if (v instanceof Map<?, ?> stats) {
                line.append(String.format("%s %s [%s..%s]  ", k, stats.get("median"), stats.get("min"), stats.get("max")));
            } else {
                line.append(k).append(' ').append(v).append("  ");
            }
        });
        out.println(line.toString().trim());
    }
}
