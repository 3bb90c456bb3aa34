package org.optbench.train.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.OptimizerSpec;

/**
 * Everything one training run is, as one immutable, typed value: the model, the data, the
 * optimizer with its hyperparameters and groups, the schedule and length, evaluation, seed,
 * device, checkpoint policy and outputs. It is built from CLI flags, from a config file or from a
 * sweep point (all through {@link RunKeys}), travels as JSON ({@link #toJson}, the trial file a
 * worker reads), and is checked whole by {@link #validate} before anything is allocated.
 *
 * @param model      the model shape
 * @param data       where the tokens come from
 * @param optimizer  optimizer or group rules, run-level hyperparameters, schedule shape
 * @param training   batch, length, warmup, clipping, z-loss, divergence threshold
 * @param eval       validation tokens and evaluation steps
 * @param seed       initialisation and data-order seed
 * @param device     device and CPU threads
 * @param checkpoint checkpoint cadence and directory, and what to resume from
 * @param output     metrics, result and weights files, progress cadence
 */
public record RunSpec(ModelSpec model, DataSpec data, OptimizerSpec optimizer, TrainingSpec training, EvalSpec eval,
                      long seed, DeviceSpec device, CheckpointSpec checkpoint, OutputSpec output) {

    public RunSpec {
        model = model == null ? new ModelSpec(null, null, null, null, null, null, null, null, null) : model;
        data = data == null ? DataSpec.defaults() : data;
        optimizer = optimizer == null ? OptimizerSpec.named(OptimizerSpec.DEFAULT) : optimizer;
        training = training == null ? TrainingSpec.defaults() : training;
        eval = eval == null ? EvalSpec.defaults() : eval;
        device = device == null ? DeviceSpec.defaults() : device;
        checkpoint = checkpoint == null ? CheckpointSpec.never() : checkpoint;
        output = output == null ? OutputSpec.defaults() : output;
    }

    /** A builder with every default: nano, the default corpus, AdamW, no files written. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this spec's values. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Checks every setting against {@code context}; the plan holds what the run resolves to. */
    public RunPlan validate(RunContext context) {
        return RunPlan.resolve(this, context);
    }

    /** This spec as one line of JSON. */
    public String toJson() {
        return RunJson.write(this);
    }

    /** The spec written by {@link #toJson}. */
    public static RunSpec fromJson(String json, String source) {
        return RunJson.read(json, RunSpec.class, source);
    }

    /**
     * Collects a run's settings one at a time (what CLI flags, config keys and sweep points set,
     * through {@link RunKeys}) and builds the immutable spec.
     */
    public static final class Builder {
        private String preset;
        private Integer vocab;
        private Integer dModel;
        private Integer layers;
        private Integer heads;
        private Integer seqLen;
        private Path initWeights;
        private Boolean qkNorm;
        private Boolean trainNorms;
        private DataSpec.Source source = DataSpec.Source.DEFAULT;
        private Path dataPath;
        private DataSpec.Tokenization tokenization;
        private DataSpec.BatchOrder batchOrder = DataSpec.BatchOrder.SHUFFLED;
        private String optimizer = OptimizerSpec.DEFAULT;
        private GroupRules groups;
        private final Map<String, Object> hyperparameters = new LinkedHashMap<>();
        private LrSchedule.Kind schedule = LrSchedule.Kind.PAPER;
        private Integer batch;
        private Integer microBatch;
        private Integer steps;
        private Long tokens;
        private Double tokensPerParam;
        private Double warmup;
        private double clip = TrainingSpec.DEFAULT_CLIP;
        private float zLoss = TrainingSpec.DEFAULT_Z_LOSS;
        private double divergenceThreshold = TrainingSpec.DEFAULT_DIVERGENCE_THRESHOLD;
        private long evalTokens = EvalSpec.DEFAULT_TOKENS;
        private int evalPoints = EvalSpec.DEFAULT_POINTS;
        private List<Integer> evalSteps = new ArrayList<>();
        private long seed;
        private String device = DeviceSpec.CPU;
        private Integer threads;
        private int checkpointEvery;
        private int checkpointsPerRun;
        private Path checkpointDir = CheckpointSpec.DEFAULT_DIR;
        private Path resume;
        private Path metrics;
        private Path result;
        private Path weights;
        private int logEvery = OutputSpec.DEFAULT_LOG_EVERY;

        private Builder() {
        }

        private Builder(RunSpec s) {
            ModelSpec m = s.model();
            preset = m.preset();
            vocab = m.vocab();
            dModel = m.dModel();
            layers = m.layers();
            heads = m.heads();
            seqLen = m.seqLen();
            initWeights = m.initWeights();
            qkNorm = m.qkNorm();
            trainNorms = m.trainNorms();
            source = s.data().source();
            dataPath = s.data().path();
            tokenization = s.data().tokenization();
            batchOrder = s.data().batchOrder();
            optimizer = s.optimizer().name();
            groups = s.optimizer().groups();
            hyperparameters.putAll(s.optimizer().hyperparameters());
            schedule = s.optimizer().schedule();
            TrainingSpec t = s.training();
            batch = t.batch();
            microBatch = t.microBatch();
            steps = t.steps();
            tokens = t.tokens();
            tokensPerParam = t.tokensPerParam();
            warmup = t.warmup();
            clip = t.clip();
            zLoss = t.zLoss();
            divergenceThreshold = t.divergenceThreshold();
            evalTokens = s.eval().tokens();
            evalPoints = s.eval().points();
            evalSteps = new ArrayList<>(s.eval().steps());
            seed = s.seed();
            device = s.device().name();
            threads = s.device().threads();
            checkpointEvery = s.checkpoint().every();
            checkpointsPerRun = s.checkpoint().perRun();
            checkpointDir = s.checkpoint().dir();
            resume = s.checkpoint().resume();
            metrics = s.output().metrics();
            result = s.output().result();
            weights = s.output().weights();
            logEvery = s.output().logEvery();
        }

        public Builder preset(String v) {
            preset = v;
            return this;
        }

        public Builder vocab(Integer v) {
            vocab = v;
            return this;
        }

        public Builder dModel(Integer v) {
            dModel = v;
            return this;
        }

        public Builder layers(Integer v) {
            layers = v;
            return this;
        }

        public Builder heads(Integer v) {
            heads = v;
            return this;
        }

        public Builder seqLen(Integer v) {
            seqLen = v;
            return this;
        }

        public Builder initWeights(Path v) {
            initWeights = v;
            return this;
        }

        public Builder qkNorm(Boolean v) {
            qkNorm = v;
            return this;
        }

        public Builder trainNorms(Boolean v) {
            trainNorms = v;
            return this;
        }

        /** The data: its kind and, for a prepared directory or a token file, its path. */
        public Builder data(DataSpec.Source kind, Path path) {
            source = kind;
            dataPath = path;
            tokenization = null;
            return this;
        }

        /** The default corpus in the tokenization {@code t}. */
        public Builder corpus(DataSpec.Tokenization t) {
            source = DataSpec.Source.DEFAULT;
            dataPath = null;
            tokenization = t;
            return this;
        }

        public Builder batchOrder(DataSpec.BatchOrder v) {
            batchOrder = v;
            return this;
        }

        /** An optimizer or hybrid by name (clears group rules). */
        public Builder optimizer(String name) {
            optimizer = name;
            groups = null;
            return this;
        }

        /** The user's own group rules, labelled {@code label} in results. */
        public Builder groups(GroupRules rules, String label) {
            groups = rules;
            optimizer = label;
            return this;
        }

        /** A run-level hyperparameter (its type is checked when the spec is built). */
        public Builder hyperparameter(String name, Object value) {
            hyperparameters.put(name, value);
            return this;
        }

        public Builder schedule(LrSchedule.Kind v) {
            schedule = v;
            return this;
        }

        public Builder batch(Integer v) {
            batch = v;
            return this;
        }

        public Builder microBatch(Integer v) {
            microBatch = v;
            return this;
        }

        public Builder steps(Integer v) {
            steps = v;
            return this;
        }

        public Builder tokens(Long v) {
            tokens = v;
            return this;
        }

        public Builder tokensPerParam(Double v) {
            tokensPerParam = v;
            return this;
        }

        public Builder warmup(Double v) {
            warmup = v;
            return this;
        }

        public Builder clip(double v) {
            clip = v;
            return this;
        }

        public Builder zLoss(float v) {
            zLoss = v;
            return this;
        }

        public Builder divergenceThreshold(double v) {
            divergenceThreshold = v;
            return this;
        }

        public Builder evalTokens(long v) {
            evalTokens = v;
            return this;
        }

        public Builder evalPoints(int v) {
            evalPoints = v;
            return this;
        }

        public Builder evalSteps(List<Integer> v) {
            evalSteps = new ArrayList<>(v);
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder device(String v) {
            device = v;
            return this;
        }

        public Builder threads(Integer v) {
            threads = v;
            return this;
        }

        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** Checkpoints over the whole run, when no fixed interval is given (a sweep's trials: 4). */
        public Builder checkpointsPerRun(int v) {
            checkpointsPerRun = v;
            return this;
        }

        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        public Builder resume(Path v) {
            resume = v;
            return this;
        }

        public Builder metrics(Path v) {
            metrics = v;
            return this;
        }

        public Builder result(Path v) {
            result = v;
            return this;
        }

        public Builder weights(Path v) {
            weights = v;
            return this;
        }

        public Builder logEvery(int v) {
            logEvery = v;
            return this;
        }

        /** The spec; a hyperparameter of the wrong type or an unknown optimizer is an error naming it. */
        public RunSpec build() {
            return new RunSpec(new ModelSpec(preset, vocab, dModel, layers, heads, seqLen, initWeights, qkNorm, trainNorms),
                    new DataSpec(source, dataPath, batchOrder, tokenization),
                    new OptimizerSpec(optimizer, groups, hyperparameters, schedule),
                    new TrainingSpec(batch, microBatch, steps, tokens, tokensPerParam, warmup, clip, zLoss,
                            divergenceThreshold),
                    new EvalSpec(evalTokens, evalPoints, evalSteps), seed, new DeviceSpec(device, threads),
                    new CheckpointSpec(checkpointEvery, checkpointsPerRun, checkpointDir, resume),
                    new OutputSpec(metrics, result, weights, logEvery));
        }
    }
}
