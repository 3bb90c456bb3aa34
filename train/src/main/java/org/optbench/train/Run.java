package org.optbench.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.optbench.kernels.Backend;
import org.optbench.kernels.devices.Backends;
import org.optbench.model.ModelConfig;
import org.optbench.model.Transformer;
import org.optbench.model.io.ModelWeights;
import org.optbench.model.io.SafetensorsFile;
import org.optbench.optim.Optimizer;
import org.optbench.optim.ParamGroup;
import org.optbench.train.data.BatchSource;
import org.optbench.train.data.DefaultCorpus;
import org.optbench.train.data.ExplicitBatches;
import org.optbench.train.data.NpyArray;
import org.optbench.train.data.PreparedData;
import org.optbench.train.data.SequentialBatches;
import org.optbench.train.data.ShuffledWindows;
import org.optbench.train.data.SyntheticTokens;
import org.optbench.train.run.DataFacts;
import org.optbench.train.run.DataSpec;
import org.optbench.train.run.RunContext;
import org.optbench.train.run.RunJson;
import org.optbench.train.run.RunPlan;
import org.optbench.train.run.RunSpec;
import org.optbench.train.run.RunSpecException;

/**
 * One training run assembled from a {@link RunSpec}: the spec is validated, then the data is
 * opened (the default corpus fetched and prepared on first use), the backend, model and optimizer
 * built, the checkpoint to resume from restored, and {@link #execute} runs the loop with its
 * evaluations and checkpoints, writes the metrics, weights and result files the spec names, and
 * returns the result. The same class serves {@code optbench train} and a sweep's workers.
 */
public final class Run implements AutoCloseable {

    /** Markov-chain branching of the synthetic stream. */
    private static final int SYNTHETIC_BRANCHING = 4;
    private static final long SYNTHETIC_LENGTH = 1L << 40;
    /** The synthetic validation split starts here, far from any training window. */
    private static final long SYNTHETIC_VAL_START = 1L << 39;

    /** Where the tokens come from, the validation stream (if any) and bits-per-byte scale. */
    private record Source(String label, BatchSource batches, SequentialBatches.TokenStream val, double tokensPerByte) {
    }

    private final RunPlan plan;
    private final Source source;
    private final Backend backend;
    private final Transformer model;
    private final Optimizer optimizer;
    private final RunConfig config;
    private final int firstStep;

    private Run(RunPlan plan, Source source, Backend backend, Transformer model, Optimizer optimizer, RunConfig config,
                int firstStep) {
        this.plan = plan;
        this.source = source;
        this.backend = backend;
        this.model = model;
        this.optimizer = optimizer;
        this.config = config;
        this.firstStep = firstStep;
    }

    /** Validates {@code spec} against {@code context} and builds everything the run needs; {@code log} hears of data preparation. */
    public static Run open(RunSpec spec, RunContext context, PrintWriter log) {
        RunPlan plan = spec.validate(context);
        ModelConfig c = plan.model();
        Source source = source(plan, log);
        Backend backend = Backends.open(spec.device().name(), spec.device().threadCount());
        try {
            Transformer model = new Transformer(c, plan.microBatch(), backend);
            model.initialize(spec.seed());
            if (!spec.model().trainsNorms()) {
                model.holdLayerNorms();
            }
            if (spec.model().initWeights() != null) {
                ModelWeights.load(SafetensorsFile.read(spec.model().initWeights()), model);
            }
            Optimizer optimizer = new Optimizer(backend, plan.groups(), model.parameters(), model.gradients(),
                    spec.optimizer().schedule(plan.warmup(), plan.steps() - plan.freezeSteps(), plan.freezeSteps()));
            RunConfig config = config(plan, model.layout().totalCount());
            int first = 1;
            if (spec.checkpoint().resume() != null) {
                checkResumable(Checkpoint.state(spec.checkpoint().resume()), RunJson.tree(config));
                first = Checkpoint.restore(spec.checkpoint().resume(), model, optimizer) + 1;
            }
            return new Run(plan, source, backend, model, optimizer, config, first);
        } catch (RuntimeException e) {
            backend.close();
            throw e;
        }
    }

    private static Source source(RunPlan plan, PrintWriter log) {
        RunSpec spec = plan.spec();
        DataSpec data = spec.data();
        int micro = plan.microBatch();
        int t = plan.model().seqLen();
        boolean sequential = data.batchOrder() == DataSpec.BatchOrder.SEQUENTIAL;
        return switch (data.source()) {
            case TOKEN_FILE -> {
                NpyArray array = NpyArray.open(data.path());
                BatchSource batches = array.shape().length == 3 ? new ExplicitBatches(array)
                        : order(SequentialBatches.of(array), sequential, micro, t, spec.seed());
                yield new Source(data.path().toString(), batches, null, Double.NaN);
            }
            case SYNTHETIC -> {
                SyntheticTokens stream = new SyntheticTokens(plan.model().vocabSize(), SYNTHETIC_BRANCHING,
                        SYNTHETIC_LENGTH, spec.seed() + 1);
                yield new Source("synthetic (Markov chain, branching " + SYNTHETIC_BRANCHING + ")",
                        order(stream, sequential, micro, t, spec.seed()),
                        SyntheticTokens.window(stream, SYNTHETIC_VAL_START, DataFacts.SYNTHETIC_VAL_TOKENS), Double.NaN);
            }
            case PREPARED, DEFAULT -> {
                PreparedData prepared = data.source() == DataSpec.Source.PREPARED ? PreparedData.open(data.path())
                        : DefaultCorpus.ensure(DefaultCorpus.root(), data.corpusTokenization(), log);
                yield new Source(prepared.dir().toString(), order(SequentialBatches.of(prepared.train()), sequential, micro,
                        t, spec.seed()), SequentialBatches.of(prepared.val()), prepared.valTokensPerByte());
            }
        };
    }

    private static BatchSource order(SequentialBatches.TokenStream train, boolean sequential, int micro, int t, long seed) {
        return sequential ? new SequentialBatches(train, micro, t) : new ShuffledWindows(train, micro, t, seed);
    }

    private static RunConfig config(RunPlan plan, long parameters) {
        RunSpec s = plan.spec();
        ModelConfig c = plan.model();
        return new RunConfig(s.model().preset(), c.vocabSize(), c.dModel(), c.nLayers(), c.nHeads(), c.seqLen(), c.zLoss(),
                plan.batch(), plan.microBatch(), plan.steps(), plan.warmup(), s.optimizer().name(),
                s.optimizer().hyperparameters(), s.optimizer().schedule().label(), s.training().clip(), s.seed(),
                s.data().label(), s.data().batchOrder().label(), parameters, s.model().trainsNorms() ? null : false);
    }

    /** The settings a checkpoint must share with the run that resumes it. */
    private static final String[] RESUME_KEYS = {"vocab", "d_model", "layers", "heads", "seq_len", "batch", "micro_batch",
        "optimizer", "seed", "data", "batch_order", "schedule", "steps", "train_norms"};

    private static void checkResumable(JsonNode state, JsonNode config) {
        JsonNode saved = state.path("config");
        for (String key : RESUME_KEYS) {
            if (!saved.path(key).asText().equals(config.path(key).asText())) {
                throw new RunSpecException("resume: the checkpoint was made with " + key + " = " + saved.path(key)
                        + " but this run has " + config.path(key) + "; resume with the same settings");
            }
        }
    }

    public RunPlan plan() {
        return plan;
    }

    /** The device's description, e.g. {@code cpu (Java Vector API, 512-bit, 2 threads)}. */
    public String device() {
        return backend.description();
    }

    /** Where the tokens come from, for the run's header. */
    public String dataLabel() {
        return source.label();
    }

    public List<ParamGroup> groups() {
        return optimizer.groups();
    }

    public long parameterCount() {
        return model.layout().totalCount();
    }

    /** The first step this process runs (after the checkpoint it resumed from). */
    public int firstStep() {
        return firstStep;
    }

    /**
     * Runs the remaining steps, telling {@code listener} of every step and evaluation after writing
     * it to the metrics file; saves the final weights and the result file when the spec names them.
     */
    public RunSummary execute(RunListener listener) {
        RunSpec spec = plan.spec();
        TrainingLoop loop = new TrainingLoop(model, optimizer, source.batches(), plan.batch() / plan.microBatch(),
                spec.training().clip(), spec.training().divergenceThreshold()).samplingSeed(spec.seed());
        if (source.val() != null) {
            loop.evaluating(new Evaluator(model, source.val(), spec.eval().tokens(), source.tokensPerByte()),
                    new EvalSchedule(plan.steps(), spec.eval().points(), spec.eval().steps()));
        }
        JsonNode echo = RunJson.tree(config);
        loop.checkpointing(plan.checkpointInterval(),
                s -> Checkpoint.save(spec.checkpoint().dir(), model, optimizer, s, spec.seed(), echo));
        RunResult result;
        try (Writer metrics = metricsWriter()) {
            result = loop.run(firstStep, plan.steps(), new RunListener() {
                @Override
                public void onStep(StepRecord r) {
                    write(metrics, RunFiles.stepLine(r));
                    listener.onStep(r);
                }

                @Override
                public void onEval(EvalRecord e) {
                    write(metrics, RunFiles.evalLine(e));
                    listener.onEval(e);
                }

                @Override
                public void onCheckpoint(int step) {
                    listener.onCheckpoint(step);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the metrics " + spec.output().metrics() + ": " + e.getMessage(), e);
        }
        if (spec.output().weights() != null) {
            ModelWeights.save(spec.output().weights(), model);
        }
        RunSummary summary = new RunSummary(result.status(), result.steps(), result.divergedAtStep(),
                finite(result.lastFiniteLoss()), finite(result.finalValLoss()), finite(result.bestValLoss()),
                finite(result.finalValBitsPerByte()), result.tokens(), Math.round(result.tokensPerSecond()),
                optimizer.stateBytes(), backend.description(), config);
        if (spec.output().result() != null) {
            RunFiles.writeResult(spec.output().result(), summary);
        }
        return summary;
    }

    private Writer metricsWriter() throws IOException {
        var file = plan.spec().output().metrics();
        if (file == null) {
            return Writer.nullWriter();
        }
        return firstStep > 1 || plan.spec().checkpoint().resume() != null
                ? Files.newBufferedWriter(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                : Files.newBufferedWriter(file);
    }

    private static void write(Writer w, String line) {
        try {
            w.write(line);
            w.write('\n');
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write metrics: " + e.getMessage(), e);
        }
    }

    private static Double finite(double x) {
        return Double.isNaN(x) ? null : x;
    }

    @Override
    public void close() {
        backend.close();
    }
}
