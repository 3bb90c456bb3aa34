package org.optbench.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.optbench.kernels.Backend;
import org.optbench.model.ModelConfig;
import org.optbench.model.ModelConfigException;
import org.optbench.model.ModelPresets;
import org.optbench.model.Preset;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.model.io.ShapeOverrides;
import org.optbench.optim.Optimizer;
import org.optbench.optim.ParamGroup;
import org.optbench.optim.StateAccounting;
import org.optbench.train.Checkpoint;
import org.optbench.train.EvalRecord;
import org.optbench.train.EvalSchedule;
import org.optbench.train.Evaluator;
import org.optbench.train.RunListener;
import org.optbench.train.RunResult;
import org.optbench.train.StepRecord;
import org.optbench.train.TrainingLoop;
import org.optbench.train.data.BatchSource;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.data.ExplicitBatches;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.PreparedData;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.ShuffledWindows;
import org.optbench.train.data.SyntheticTokens;
import org.optbench.train.data.TokenFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code optbench train}: one training run, any optimizer or hybrid of the suite, on prepared
 * data (the default corpus, fetched and prepared on first use, when no data is named), a token
 * file, or the synthetic stream. Evaluates at ~10 log-spaced steps and the last, writes per-step
 * metrics as JSON lines, checkpoints and resumes bit-identically, and ends with one JSON line of
 * the result; a diverged run is a result with exit code 0. Every option can also come from
 * {@code --config FILE} (YAML or JSON, keys are the option names without dashes); flags win.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model with any optimizer of the suite; evaluates, checkpoints, resumes.")
final class TrainCommand implements Callable<Integer> {

    /** Also told every step and evaluation (a sweep worker's reporter); does nothing by default. */
    private final RunListener observer;

    TrainCommand() {
        this(r -> { });
    }

    TrainCommand(RunListener observer) {
        this.observer = observer;
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--config", description = "YAML/JSON file of option values (keys without dashes); flags override it")
    Path config;

    @Option(names = "--preset", defaultValue = "nano", description = "model preset (default ${DEFAULT-VALUE}): "
            + "nano, micro, mini, P0, P1, P2, 150m, 300m, 600m, 1.2b")
    String preset;

    @Option(names = "--vocab", description = "vocabulary size (default: the data's tokenizer, else the preset's)")
    Integer vocab;

    @Option(names = "--d-model", description = "override the preset's width")
    Integer dModel;

    @Option(names = "--layers", description = "override the preset's depth")
    Integer layers;

    @Option(names = "--heads", description = "override the preset's heads")
    Integer heads;

    @Option(names = "--seq-len", description = "override the preset's sequence length")
    Integer seqLen;

    @Option(names = "--init-weights", description = "start from these weights (their shape metadata sets the model)")
    Path initWeights;

    @Option(names = "--batch", description = "sequences per optimizer step (default: the preset's)")
    Integer batch;

    @Option(names = "--micro-batch", description = "sequences per forward pass; gradients accumulate over batch/micro-batch passes")
    Integer microBatch;

    @Option(names = "--steps", description = "optimizer steps (default: the preset's; 300 for nano)")
    Integer steps;

    @Option(names = "--tokens", description = "a token budget (a number: steps = tokens / (batch*seq_len)), "
            + "or a .npy token file: 1-D stream or 3-D (N, B, T+1) explicit batches")
    String tokens;

    @Option(names = "--data", description = "prepared data directory (optbench data prepare), or 'synthetic' "
            + "(default: the State-of-the-Union corpus, fetched on first use)")
    String data;

    @Option(names = "--batch-order", defaultValue = "shuffled", description = "shuffled (seeded random windows) or sequential (llm.c order) (default ${DEFAULT-VALUE})")
    String batchOrder;

    @Mixin
    OptimizerOptions optim;

    @Option(names = "--warmup", description = "warmup steps, or a fraction of the steps when below 1 (default 0.1)")
    String warmup;

    @Option(names = "--clip", defaultValue = "1.0", description = "global gradient-norm clip; 0 turns it off (default ${DEFAULT-VALUE})")
    double clip;

    @Option(names = "--z-loss", defaultValue = "1e-4", description = "z-loss coefficient; 0 turns it off (default ${DEFAULT-VALUE})")
    float zLoss;

    @Option(names = "--seed", defaultValue = "0", description = "initialisation and data-order seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--eval-tokens", defaultValue = "32768", description = "validation tokens per evaluation (default ${DEFAULT-VALUE})")
    long evalTokens;

    @Option(names = "--eval-points", defaultValue = "10", description = "log-spaced evaluations besides the last step (default ${DEFAULT-VALUE})")
    int evalPoints;

    @Option(names = "--eval-steps", split = ",", description = "extra steps to evaluate at, e.g. 30,90,270 (early-stopping rungs)")
    java.util.List<Integer> evalSteps = new java.util.ArrayList<>();

    @Option(names = "--divergence-threshold", defaultValue = "100", description = "a loss above this ends the run as diverged (default ${DEFAULT-VALUE})")
    double divergenceThreshold;

    @Option(names = "--log-every", defaultValue = "10", description = "plain progress lines every N steps when not on a terminal (default ${DEFAULT-VALUE})")
    int logEvery;

    @Option(names = "--metrics-out", description = "one JSON object per step and per evaluation (appended to when resuming)")
    Path metrics;

    @Option(names = "--result-out", description = "also write the final result JSON to this file")
    Path resultOut;

    @Option(names = "--save-weights", description = "write the final weights to this safetensors file")
    Path save;

    @Option(names = "--checkpoint-every", defaultValue = "0", description = "checkpoint every N steps (default: never)")
    int checkpointEvery;

    @Option(names = "--checkpoint-dir", defaultValue = "runs/checkpoint", description = "where checkpoints go (default ${DEFAULT-VALUE})")
    Path checkpointDir;

    @Option(names = "--resume", description = "continue the run saved in this checkpoint directory (same options)")
    Path resume;

    @Mixin
    DeviceOptions compute;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Preset p = ModelPresets.get(preset);
        Source source = source(out);
        ModelConfig modelConfig = modelConfig(p, source.vocab);
        int globalBatch = batch != null ? batch : p.batchSize();
        int micro = microBatch != null ? microBatch : globalBatch;
        if (globalBatch < 1 || micro < 1 || globalBatch % micro != 0) {
            throw new IllegalArgumentException("--batch " + globalBatch + " must be a positive multiple of --micro-batch " + micro);
        }
        int totalSteps = steps(p, globalBatch, modelConfig.seqLen());
        int warm = warmupSteps(totalSteps);
        checkMemory(modelConfig, micro);
        ObjectNode echo = echo(modelConfig, globalBatch, micro, totalSteps, warm);
        try (Backend backend = compute.backend();
             Writer metricsOut = metrics == null ? Writer.nullWriter() : resume != null
                     ? Files.newBufferedWriter(metrics, java.nio.file.StandardOpenOption.CREATE,
                             java.nio.file.StandardOpenOption.APPEND)
                     : Files.newBufferedWriter(metrics)) {
            Transformer model = new Transformer(modelConfig, micro, backend);
            model.initialize(seed);
            if (initWeights != null) {
                ModelWeights.load(SafetensorsFile.read(initWeights), model);
            }
            Optimizer optimizer = optim.build(backend, model.layout(), model.parameters(), model.gradients(), warm,
                    totalSteps);
            int first = 1;
            if (resume != null) {
                checkResumable(Checkpoint.state(resume), echo);
                first = Checkpoint.restore(resume, model, optimizer) + 1;
            }
            BatchSource batches = source.batches(micro, modelConfig.seqLen());
            TrainingLoop loop = new TrainingLoop(model, optimizer, batches, globalBatch / micro, clip, divergenceThreshold);
            if (source.val != null) {
                loop.evaluating(new Evaluator(model, source.val, evalTokens, source.tokensPerByte),
                        new EvalSchedule(totalSteps, evalPoints, evalSteps));
            }
            loop.checkpointing(checkpointEvery, s -> Checkpoint.save(checkpointDir, model, optimizer, s, seed, echo));
            out.printf("train %s (%,d parameters) on %s, batch %d x %d%s, %d steps, %s, %s%n", preset,
                    model.layout().totalCount(), source.label, globalBatch, modelConfig.seqLen(),
                    micro < globalBatch ? " (micro-batch " + micro + ")" : "", totalSteps, optim.label(),
                    backend.description());
            for (ParamGroup g : optimizer.groups()) {
                out.printf("  group %-10s %-9s %3d tensors  %s%n", g.name(), g.kind(), g.parameters().size(),
                        g.hyperparameters());
            }
            if (first > 1) {
                out.printf("resuming after step %d from %s%n", first - 1, resume);
            }
            Progress progress = new Progress(out, totalSteps, logEvery, System.console() != null);
            RunResult result = loop.run(first, totalSteps, new RunListener() {
                @Override
                public void onStep(StepRecord r) {
                    write(metricsOut, stepLine(r));
                    progress.step(r);
                    observer.onStep(r);
                }

                @Override
                public void onEval(EvalRecord e) {
                    write(metricsOut, evalLine(e));
                    progress.eval(e);
                    observer.onEval(e);
                }
            });
            progress.finish();
            if (save != null) {
                ModelWeights.save(save, model);
            }
            Map<String, Object> summary = summary(result, optimizer, backend, echo);
            String line = Json.line(summary);
            out.println(line);
            if (resultOut != null) {
                Files.writeString(resultOut, line + "\n");
            }
        }
        return 0;
    }

    /** Where the tokens come from, the validation stream (if any) and the vocabulary it implies. */
    private record Source(String label, Integer vocab, SequentialBatches.TokenStream train, NpyArray explicit,
                          SequentialBatches.TokenStream val, double tokensPerByte, boolean sequential, long seed) {

        BatchSource batches(int micro, int t) {
            if (explicit != null) {
                ExplicitBatches eb = new ExplicitBatches(explicit);
                if (eb.batchSize() != micro || eb.seqLen() != t) {
                    throw new TokenFileException(explicit.path() + " holds batches of " + eb.batchSize() + " x "
                            + eb.seqLen() + ": pass --batch " + eb.batchSize() + " --seq-len " + eb.seqLen());
                }
                return eb;
            }
            return sequential ? new SequentialBatches(train, micro, t) : new ShuffledWindows(train, micro, t, seed);
        }
    }

    private Source source(PrintWriter out) {
        boolean sequential = switch (batchOrder) {
            case "sequential" -> true;
            case "shuffled" -> false;
            default -> throw new IllegalArgumentException("--batch-order must be sequential or shuffled, got '" + batchOrder + "'");
        };
        if (tokens != null && !isNumber(tokens)) {
            if (data != null) {
                throw new IllegalArgumentException("give --data or a --tokens file, not both");
            }
            NpyArray array = NpyArray.open(Path.of(tokens));
            if (array.shape().length == 3) {
                return new Source(tokens, null, null, array, null, Double.NaN, true, seed);
            }
            return new Source(tokens, null, SequentialBatches.of(array), null, null, Double.NaN, sequential, seed);
        }
        if ("synthetic".equals(data)) {
            int v = vocab != null ? vocab : ModelPresets.get(preset).config().vocabSize();
            SyntheticTokens stream = new SyntheticTokens(v, 4, 1L << 40, seed + 1);
            return new Source("synthetic (Markov chain, branching 4)", v, stream, null,
                    SyntheticTokens.window(stream, 1L << 39, Math.max(evalTokens, 1) * 2), Double.NaN, sequential, seed);
        }
        PreparedData prepared = data != null ? PreparedData.open(Path.of(data)) : DefaultCorpus.ensure(DefaultCorpus.root(), out);
        return new Source(prepared.dir().toString(), prepared.vocabSize(), SequentialBatches.of(prepared.train()), null,
                SequentialBatches.of(prepared.val()), prepared.valTokensPerByte(), sequential, seed);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private ModelConfig modelConfig(Preset p, Integer dataVocab) {
        ModelConfig base = p.config();
        if (initWeights != null) {
            base = ModelWeights.config(SafetensorsFile.read(initWeights), ShapeOverrides.none(), zLoss);
        }
        int v = vocab != null ? vocab : dataVocab != null ? dataVocab : base.vocabSize();
        if (dataVocab != null && v < dataVocab) {
            throw new ModelConfigException("--vocab " + v + " is smaller than the data's tokenizer vocabulary "
                    + dataVocab + ": token ids would fall outside the embedding");
        }
        int d = dModel != null ? dModel : base.dModel();
        return new ModelConfig(v, d, layers != null ? layers : base.nLayers(), heads != null ? heads : base.nHeads(),
                seqLen != null ? seqLen : base.seqLen(), dModel != null ? 4 * d : base.mlpHidden(), zLoss, base.qkNorm(),
                base.ropeTheta());
    }

    private int steps(Preset p, int globalBatch, int t) {
        if (steps != null && tokens != null && isNumber(tokens)) {
            throw new IllegalArgumentException("give --steps or a --tokens budget, not both");
        }
        int n;
        if (tokens != null && isNumber(tokens)) {
            n = (int) Math.ceil(Double.parseDouble(tokens) / ((double) globalBatch * t));
        } else {
            n = steps != null ? steps : p.steps();
        }
        if (n < 1) {
            throw new IllegalArgumentException("the run needs at least 1 step, got " + n
                    + (p.steps() == 0 ? " (preset " + p.name() + " is a benchmark shape: pass --steps)" : ""));
        }
        return n;
    }

    private int warmupSteps(int total) {
        if (warmup == null) {
            return Math.max(1, total / 10);
        }
        double w = Double.parseDouble(warmup);
        int steps = w < 1 ? (int) Math.round(w * total) : (int) w;
        if (steps < 0 || steps > total) {
            throw new IllegalArgumentException("--warmup " + warmup + " must lie between 0 and the " + total + " steps");
        }
        return steps;
    }

    private void checkMemory(ModelConfig c, int micro) throws IOException {
        long model = Transformer.estimateBytes(c, micro);
        long state = StateAccounting.plan(optim.resolve(new org.optbench.model.ParameterLayout(c)),
                new org.optbench.model.ParameterLayout(c)).stateBytes();
        long need = model + state;
        long have = Runtime.getRuntime().maxMemory();
        if (need > 0.9 * have) {
            throw new ModelConfigException(String.format("this run needs about %.1f GiB (parameters, gradients, "
                    + "activations at micro-batch %d, optimizer state) but the JVM may use %.1f GiB: lower --micro-batch "
                    + "or --seq-len, or raise the heap with OPTBENCH_JAVA_OPTS=-Xmx...", need / 1073741824.0, micro,
                    have / 1073741824.0));
        }
    }

    private ObjectNode echo(ModelConfig c, int globalBatch, int micro, int totalSteps, int warm) {
        ObjectNode e = JSON.createObjectNode();
        e.put("preset", preset);
        e.put("vocab", c.vocabSize());
        e.put("d_model", c.dModel());
        e.put("layers", c.nLayers());
        e.put("heads", c.nHeads());
        e.put("seq_len", c.seqLen());
        e.put("z_loss", c.zLoss());
        e.put("batch", globalBatch);
        e.put("micro_batch", micro);
        e.put("steps", totalSteps);
        e.put("warmup", warm);
        e.put("optimizer", optim.label());
        optim.runValues().forEach((k, v) -> e.put(k, String.valueOf(v)));
        e.put("schedule", optim.schedule);
        e.put("clip", clip);
        e.put("seed", seed);
        e.put("data", data != null ? data : tokens != null && !isNumber(tokens) ? tokens : "default");
        e.put("batch_order", batchOrder);
        return e;
    }

    private static void checkResumable(JsonNode state, ObjectNode echo) {
        JsonNode saved = state.path("config");
        for (String key : new String[] {"vocab", "d_model", "layers", "heads", "seq_len", "batch", "micro_batch",
            "optimizer", "seed", "data", "batch_order", "schedule", "steps"}) {
            if (!saved.path(key).asText().equals(echo.path(key).asText())) {
                throw new IllegalArgumentException("cannot resume: the checkpoint was made with " + key + " = "
                        + saved.path(key) + " but this run has " + echo.path(key) + "; pass the same options");
            }
        }
    }

    private static Map<String, Object> stepLine(StepRecord r) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", r.step());
        line.put("tokens", r.tokens());
        line.put("loss", r.loss());
        line.put("lr", r.lr());
        line.put("grad_norm", r.gradNorm());
        line.put("ms", r.millis());
        return line;
    }

    private static Map<String, Object> evalLine(EvalRecord e) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("step", e.step());
        line.put("val_loss", e.valLoss());
        line.put("val_bpb", Double.isNaN(e.valBitsPerByte()) ? null : e.valBitsPerByte());
        line.put("val_tokens", e.tokens());
        return line;
    }

    private static Map<String, Object> summary(RunResult r, Optimizer optimizer, Backend backend, ObjectNode echo) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("status", r.status());
        s.put("steps", r.steps());
        s.put("diverged_at_step", r.divergedAtStep());
        s.put("final_train_loss", nullIfNaN(r.lastFiniteLoss()));
        s.put("final_val_loss", nullIfNaN(r.finalValLoss()));
        s.put("best_val_loss", nullIfNaN(r.bestValLoss()));
        s.put("final_val_bpb", nullIfNaN(r.finalValBitsPerByte()));
        s.put("tokens", r.tokens());
        s.put("tokens_per_s", Math.round(r.tokensPerSecond()));
        s.put("optimizer_state_bytes", optimizer.stateBytes());
        s.put("device", backend.description());
        s.put("config", echo);
        return s;
    }

    private static Double nullIfNaN(double x) {
        return Double.isNaN(x) ? null : x;
    }

    private static void write(Writer w, Map<String, Object> line) {
        try {
            w.write(Json.line(line));
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }
}
