package org.optbench.train.run;

import java.nio.file.Files;
import java.util.List;
import java.util.Locale;
import org.optbench.model.ModelConfig;
import org.optbench.model.ModelConfigException;
import org.optbench.model.ModelPresets;
import org.optbench.model.ParameterLayout;
import org.optbench.model.Preset;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsException;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.ShapeOverrides;
import org.optbench.optim.ParamGroup;
import org.optbench.optim.StateAccounting;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * A validated run: what its spec resolves to on the machine that checked it (the model shape with
 * the data's vocabulary, the batch and micro-batch, the number of steps and warmup steps, the
 * parameter groups with their checked hyperparameters, the memory it needs). {@link #resolve}
 * checks every setting first, reporting all out-of-range values at once, then the settings
 * against each other, the data and the heap.
 *
 * @param spec        the spec checked
 * @param preset      the preset named (its batch and steps are the defaults)
 * @param model       the model shape, vocabulary and z-loss included
 * @param data        the data's facts
 * @param batch       sequences per optimizer step
 * @param microBatch  sequences per forward pass
 * @param steps       optimizer steps, the freeze included
 * @param freezeSteps the first steps, at LR 0 (Adalayer's {@code t_freeze}): the run trains
 *                    {@code steps - freezeSteps} steps after them, and its schedule starts then
 * @param warmup      warmup steps
 * @param groups      the parameter groups
 * @param memoryBytes parameters, gradients, activations at the micro-batch and optimizer state
 */
public record RunPlan(RunSpec spec, Preset preset, ModelConfig model, DataFacts data, int batch, int microBatch,
                      int steps, int freezeSteps, int warmup, List<ParamGroup> groups, long memoryBytes) {

    /** The most tokens a run may train on: about 40x the largest run of the paper (1.2b, 2.6e10 tokens). */
    public static final long MAX_TOKENS = 1_000_000_000_000L;
    public static final long MAX_STEPS = 1_000_000_000L;
    public static final int MAX_BATCH = 1 << 20;
    public static final int MAX_VOCAB = 1 << 24;
    public static final int MAX_WIDTH = 1 << 16;
    public static final int MAX_LAYERS = 1024;
    public static final int MAX_SEQ_LEN = 1 << 17;
    public static final int MAX_THREADS = 4096;
    public static final int MAX_EVAL_POINTS = 1000;
    /** The largest Java array, which bounds every CPU tensor (the flat parameter buffer, the logits). */
    public static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    /** The share of the heap a run may plan to use; the rest is the JVM's and the data's. */
    public static final double HEAP_SHARE = 0.9;
    private static final String DEVICE_PATTERN = "cpu|opencl(:\\d+:\\d+)?";

    public RunPlan {
        groups = List.copyOf(groups);
    }

    /** Total parameters of the model. */
    public long parameters() {
        return new ParameterLayout(model).totalCount();
    }

    /** Steps between checkpoints (0: none). */
    public int checkpointInterval() {
        return spec.checkpoint().interval(steps);
    }

    static RunPlan resolve(RunSpec spec, RunContext context) {
        Problems p = new Problems();
        checkSettings(spec, p);
        p.throwIfAny();
        Preset preset = ModelPresets.get(spec.model().preset());
        DataFacts facts = context.data().describe(spec.data());
        ModelConfig model = modelConfig(spec, preset, facts, p);
        p.throwIfAny();
        TrainingSpec t = spec.training();
        int batch = t.batch() != null ? t.batch() : preset.batchSize();
        int micro = t.microBatch() != null ? t.microBatch() : batch;
        if (batch % micro != 0 || micro > batch) {
            p.add("micro_batch " + micro + ": must divide batch " + batch + " (gradients accumulate over batch / "
                    + "micro_batch passes); set micro_batch to a divisor of " + batch + ", e.g. " + divisorBelow(batch, micro));
        }
        ParameterLayout layout = new ParameterLayout(model);
        List<ParamGroup> groups = null;
        long stateBytes = 0;
        int freeze = 0;
        try {
            groups = spec.optimizer().resolve(spec.model().trainsNorms() ? layout.specs()
                    : layout.specs().stream().filter(s -> !ParameterLayout.isLayerNormGain(s.name())).toList());
            stateBytes = StateAccounting.plan(groups, layout).stateBytes();
            freeze = ParamGroup.freezeSteps(groups);
        } catch (HyperparameterException e) {
            p.add("optimizer " + spec.optimizer().name() + ": " + e.getMessage());
        }
        int trained = steps(spec, preset, batch, model.seqLen(), layout.nonEmbeddingCount(), p);
        int warmup = warmup(t.warmup(), trained, p);
        long total = (long) trained + freeze;
        if (total > MAX_STEPS) {
            p.add("steps " + trained + " and t_freeze " + freeze + ": the run would be " + total + " steps, more than "
                    + MAX_STEPS + "; shorten one of them");
        }
        int steps = (int) Math.min(total, MAX_STEPS);
        checkEvaluation(spec, facts, micro, model.seqLen(), steps, p);
        checkTokenFile(spec, facts, batch, micro, model.seqLen(), steps, p);
        checkBudget(steps, batch, model.seqLen(), p);
        long memory = 0;
        checkArrays(model, layout, micro, p);
        if (estimable(model, micro)) {
            memory = Transformer.estimateBytes(model, micro) + stateBytes;
            if (spec.device().isCpu() && context.heapBytes() > 0) {
                checkMemory(spec, model, layout, micro, memory, context, p);
            }
        }
        p.throwIfAny();
        return new RunPlan(spec, preset, model, facts, batch, micro, steps, freeze, warmup, groups, memory);
    }

    /** Every setting on its own: names, ranges, finite numbers. */
    private static void checkSettings(RunSpec spec, Problems p) {
        ModelSpec m = spec.model();
        if (!ModelPresets.names().contains(m.preset())) {
            p.add("preset '" + m.preset() + "': unknown; choose one of " + ModelPresets.names());
        }
        p.range("vocab", m.vocab(), 2, MAX_VOCAB, "vocabulary size");
        p.range("d_model", m.dModel(), 2, MAX_WIDTH, "residual width");
        p.range("layers", m.layers(), 1, MAX_LAYERS, "transformer blocks");
        p.range("heads", m.heads(), 1, MAX_WIDTH, "attention heads");
        p.range("seq_len", m.seqLen(), 1, MAX_SEQ_LEN, "tokens per sequence");
        if (m.initWeights() != null && !Files.isRegularFile(m.initWeights())) {
            p.add("init_weights " + m.initWeights() + ": no such file; give a safetensors file written by optbench");
        }
        TrainingSpec t = spec.training();
        p.range("batch", t.batch(), 1, MAX_BATCH, "sequences per optimizer step");
        p.range("micro_batch", t.microBatch(), 1, MAX_BATCH, "sequences per forward pass");
        p.range("steps", t.steps(), 1, MAX_STEPS, "optimizer steps");
        p.range("tokens", t.tokens(), 1, MAX_TOKENS, "the token budget");
        long lengths = java.util.stream.Stream.of(t.steps(), t.tokens(), t.tokensPerParam()).filter(x -> x != null).count();
        if (lengths > 1) {
            p.add("steps " + t.steps() + ", tokens " + t.tokens() + ", tokens_per_param " + t.tokensPerParam()
                    + ": give one length, not several; keep one of them");
        }
        if (t.tokensPerParam() != null && !(t.tokensPerParam() > 0 && t.tokensPerParam() <= MAX_TOKENS)) {
            p.add("tokens_per_param " + t.tokensPerParam() + ": must be a positive number of tokens per parameter, e.g. 20");
        }
        if (t.warmup() != null && !(t.warmup() >= 0 && Double.isFinite(t.warmup()))) {
            p.add("warmup " + t.warmup() + ": must be a fraction in [0, 1) or a whole number of steps >= 1; set warmup "
                    + "to e.g. 0.1 or 100");
        }
        p.atLeast("clip", t.clip(), 0, "the global gradient-norm clip; 0 turns it off");
        p.atLeast("z_loss", t.zLoss(), 0, "the z-loss coefficient; 0 turns it off");
        if (!(t.divergenceThreshold() > 0)) {
            p.add("divergence_threshold " + t.divergenceThreshold() + ": must be > 0 (a training loss above it ends the "
                    + "run as diverged); set it above the initial loss, e.g. 12 for an 8192-token vocabulary");
        }
        EvalSpec e = spec.eval();
        p.range("eval_tokens", e.tokens(), 1, Long.MAX_VALUE, "validation tokens per evaluation");
        p.range("eval_points", e.points(), 0, MAX_EVAL_POINTS, "log-spaced evaluations");
        DeviceSpec d = spec.device();
        if (!d.name().matches(DEVICE_PATTERN)) {
            p.add("device '" + d.name() + "' is unknown: use cpu, opencl or opencl:P:D (platform and device numbers, see "
                    + "optbench devices)");
        }
        p.range("threads", d.threads(), 1, MAX_THREADS, "CPU threads");
        p.range("checkpoint_every", spec.checkpoint().every(), 0, MAX_STEPS, "steps between checkpoints; 0: never");
        p.range("checkpoints per run", spec.checkpoint().perRun(), 0, MAX_STEPS, "checkpoints over the run");
        if (spec.checkpoint().resume() != null && !Files.isRegularFile(spec.checkpoint().resume().resolve("state.json"))) {
            p.add("resume " + spec.checkpoint().resume() + ": not a checkpoint (no state.json); give a directory written "
                    + "by --checkpoint-every");
        }
        p.range("log_every", spec.output().logEvery(), 1, MAX_STEPS, "steps between progress lines");
    }

    private static ModelConfig modelConfig(RunSpec spec, Preset preset, DataFacts facts, Problems p) {
        ModelSpec m = spec.model();
        ModelConfig base = preset.config();
        if (m.initWeights() != null) {
            try {
                base = ModelWeights.config(SafetensorsFile.read(m.initWeights()), ShapeOverrides.none(), spec.training().zLoss());
            } catch (SafetensorsException | ModelConfigException e) {
                p.add("init_weights " + m.initWeights() + ": " + e.getMessage());
                return null;
            }
        }
        int v = m.vocab() != null ? m.vocab() : facts.vocab() != null ? facts.vocab() : base.vocabSize();
        if (facts.vocab() != null && v < facts.vocab()) {
            p.add("vocab " + v + ": smaller than the data's tokenizer vocabulary " + facts.vocab() + ", so token ids would "
                    + "fall outside the embedding; leave vocab out or set it to " + facts.vocab() + " or more");
        }
        int d = m.dModel() != null ? m.dModel() : base.dModel();
        try {
            return new ModelConfig(v, d, m.layers() != null ? m.layers() : base.nLayers(),
                    m.heads() != null ? m.heads() : base.nHeads(), m.seqLen() != null ? m.seqLen() : base.seqLen(),
                    m.dModel() != null ? 4 * d : base.mlpHidden(), spec.training().zLoss(),
                    m.qkNorm() != null ? m.qkNorm() : base.qkNorm(), base.ropeTheta());
        } catch (ModelConfigException e) {
            p.add("model: " + e.getMessage() + "; change heads or d_model");
            return null;
        }
    }

    private static int divisorBelow(int batch, int micro) {
        for (int d = Math.min(micro, batch); d > 1; d--) {
            if (batch % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private static int steps(RunSpec spec, Preset preset, int batch, int seqLen, long nonEmbedding, Problems p) {
        TrainingSpec t = spec.training();
        if (t.steps() != null) {
            return t.steps();
        }
        Double budget = t.tokens() != null ? Double.valueOf(t.tokens())
                : t.tokensPerParam() != null ? t.tokensPerParam() * nonEmbedding : null;
        if (budget != null) {
            String name = t.tokens() != null ? "tokens " + t.tokens() : String.format(Locale.ROOT,
                    "tokens_per_param %s (%.3g tokens for %,d non-embedding parameters)", t.tokensPerParam(), budget,
                    nonEmbedding);
            double n = Math.ceil(budget / ((double) batch * seqLen));
            if (n > MAX_STEPS) {
                p.add(name + ": " + String.format(Locale.ROOT, "%.0f", n) + " steps of batch " + batch
                        + " x seq_len " + seqLen + ", more than " + Problems.format(MAX_STEPS) + "; give a smaller budget");
                return 1;
            }
            return (int) Math.max(1, n);
        }
        if (preset.steps() == 0) {
            p.add("steps: preset " + preset.name() + " is a benchmark shape with no step count; give steps or tokens");
            return 1;
        }
        return preset.steps();
    }

    private static int warmup(Double warmup, int steps, Problems p) {
        if (warmup == null) {
            return Math.max(1, steps / 10);
        }
        if (warmup < 1) {
            return (int) Math.round(warmup * steps);
        }
        if (warmup != Math.rint(warmup) || warmup > steps) {
            p.add("warmup " + warmup + ": a count of warmup steps must be a whole number in [1, " + steps + "] (the run's "
                    + "steps), or a fraction below 1; set warmup to e.g. " + Math.max(1, steps / 10));
            return 0;
        }
        return (int) (double) warmup;
    }

    private static void checkEvaluation(RunSpec spec, DataFacts facts, int micro, int seqLen, int steps, Problems p) {
        for (int s : spec.eval().steps()) {
            if (s < 1 || s > steps) {
                p.add("eval_steps " + s + ": must lie in [1, " + steps + "] (the run's steps); remove it or change it");
            }
        }
        if (facts.valTokens() <= 0) {
            return;
        }
        long oneBatch = (long) micro * seqLen + 1;
        if (facts.valTokens() < oneBatch) {
            p.add("data " + spec.data().label() + ": its validation split holds " + Problems.format(facts.valTokens())
                    + " tokens, fewer than one evaluation batch (micro_batch x seq_len + 1 = " + Problems.format(oneBatch)
                    + "); lower micro_batch or seq_len, or prepare a larger validation split");
        }
        if (spec.eval().tokens() > facts.valTokens()) {
            p.add("eval_tokens " + Problems.format(spec.eval().tokens()) + ": more than the "
                    + Problems.format(facts.valTokens()) + " tokens of the validation split of data " + spec.data().label()
                    + "; set eval_tokens to at most " + Problems.format(facts.valTokens()));
        }
    }

    private static void checkTokenFile(RunSpec spec, DataFacts facts, int batch, int micro, int seqLen, int steps,
                                       Problems p) {
        if (!facts.explicitBatches()) {
            return;
        }
        long[] shape = facts.shape();
        if (shape[1] != micro || shape[2] - 1 != seqLen) {
            p.add("tokens " + spec.data().path() + ": holds batches of " + shape[1] + " x " + (shape[2] - 1) + " but each pass "
                    + "reads micro_batch x seq_len = " + micro + " x " + seqLen + "; set " + (spec.training().microBatch() != null
                    ? "micro_batch" : "batch") + " " + shape[1] + " and seq_len " + (shape[2] - 1));
        }
        long needed = (long) steps * (batch / Math.max(1, micro));
        if (needed > shape[0]) {
            p.add("tokens " + spec.data().path() + ": holds " + shape[0] + " batches but " + steps + " steps need " + needed
                    + "; set steps to at most " + shape[0] / Math.max(1, batch / Math.max(1, micro)));
        }
    }

    private static void checkBudget(int steps, int batch, int seqLen, Problems p) {
        double tokens = (double) steps * batch * seqLen;
        if (tokens > MAX_TOKENS) {
            p.add(String.format(Locale.ROOT, "steps %d x batch %d x seq_len %d = %.3g tokens: more than the limit of %.0e "
                    + "tokens a run may train on; lower steps (or tokens) or batch", steps, batch, seqLen, tokens,
                    (double) MAX_TOKENS));
        }
    }

    /** Whether the memory estimate's products stay far inside a long (its row count inside an int). */
    private static boolean estimable(ModelConfig model, int micro) {
        double t = model.seqLen();
        double largest = micro * t * Math.max(Math.max(model.vocabSize(), model.mlpHidden()), model.nHeads() * t);
        return micro * t <= Integer.MAX_VALUE && largest * model.nLayers() < 1e18;
    }

    /**
     * Whether every tensor fits one buffer: tensors are indexed by int on every backend, so the
     * flat parameter buffer, the logits and the attention probabilities must each hold at most
     * {@link #MAX_ARRAY} elements. Counted in doubles, so no product can overflow.
     */
    private static void checkArrays(ModelConfig model, ParameterLayout layout, int micro, Problems p) {
        double t = model.seqLen();
        double logits = micro * t * model.vocabSize();
        double attention = micro * (double) model.nHeads() * t * t;
        double widest = micro * t * Math.max(model.mlpHidden(), 3.0 * model.dModel());
        if (layout.totalCount() > MAX_ARRAY) {
            p.add(String.format(Locale.ROOT, "model: %,d parameters do not fit one buffer (at most %,d); choose a smaller "
                    + "preset, d_model or layers", layout.totalCount(), MAX_ARRAY));
        }
        if (Math.max(logits, Math.max(attention, widest)) > MAX_ARRAY) {
            p.add(String.format(Locale.ROOT, "micro_batch %d x seq_len %d: the logits (%.3g floats) or attention (%.3g floats) "
                    + "of one pass do not fit a buffer (at most %,d); lower micro_batch or seq_len", micro, model.seqLen(),
                    logits, attention, MAX_ARRAY));
        }
    }

    private static void checkMemory(RunSpec spec, ModelConfig model, ParameterLayout layout, int micro, long need,
                                    RunContext context, Problems p) {
        if (need > HEAP_SHARE * context.heapBytes()) {
            p.add(String.format(Locale.ROOT, "memory: preset %s (%,d parameters, d_model %d, layers %d, seq_len %d) at "
                    + "micro_batch %d with %s needs about %.1f GiB (parameters, gradients, activations, optimizer state) "
                    + "but the heap of the JVM that trains it is %.1f GiB; lower micro_batch or seq_len, choose a smaller "
                    + "model, or %s", spec.model().preset(), layout.totalCount(), model.dModel(), model.nLayers(),
                    model.seqLen(), micro, spec.optimizer().name(), need / 1073741824.0, context.heapBytes() / 1073741824.0,
                    context.heapFix()));
        }
    }
}
