package org.optbench.train.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.optbench.model.ModelPresets;
import org.optbench.optim.GroupRules;
import org.optbench.optim.LrSchedule;
import org.optbench.optim.RunHyperparameters;
import org.optbench.optim.hyperparameter.Hyperparameter;
import org.optbench.optim.hyperparameter.HyperparameterException;

/**
 * The one vocabulary of run settings: every key a run spec can be given, with its value label,
 * description and how it sets a {@link RunSpec.Builder}. The same names are {@code optbench
 * train}'s flags (with dashes), config-file keys and sweep-spec keys; the optimizer
 * hyperparameters among them come from the {@link RunHyperparameters} registry. Values arrive as
 * strings (flags) or YAML/JSON scalars and lists (files) and are typed here, where they enter: a
 * value of the wrong type is an error naming the key and the value.
 */
public final class RunKeys {

    /** Who may set a key: any run, or only a run on the local machine (files it writes or resumes from). */
    public enum Scope { RUN, LOCAL }

    /** How a key's value is written: one value, a switch that may stand alone, or a comma-separated list. */
    public enum Arity { VALUE, SWITCH, LIST }

    /** Sets a builder from a raw value; errors name the key. */
    @FunctionalInterface
    interface Setter {
        void set(RunSpec.Builder builder, String key, Object raw);
    }

    /**
     * One key.
     *
     * @param name        snake_case name ({@code d_model}); the flag is {@code --d-model}
     * @param label       how a value is written in help texts
     * @param description one line with the default
     * @param scope       who may set it
     * @param arity       how its value is written
     * @param setter      applies a value to a builder
     */
    public record Key(String name, String label, String description, Scope scope, Arity arity, Setter setter) {

        /** The command-line flag: {@code --} and the name with dashes. */
        public String flag() {
            return "--" + name.replace('_', '-');
        }

        /** Whether this key is an optimizer hyperparameter. */
        public boolean isHyperparameter() {
            return RunHyperparameters.contains(name);
        }
    }

    private static final List<Key> KEYS = new ArrayList<>();
    private static final Map<String, Key> BY_NAME;

    static {
        run("preset", "NAME", "model preset: " + String.join(", ", ModelPresets.names()) + " (default "
                + ModelSpec.DEFAULT_PRESET + ")", (b, k, v) -> b.preset(text(k, v)));
        run("vocab", "N", "vocabulary size (default: the data's tokenizer, else the preset's)",
                (b, k, v) -> b.vocab(integer(k, v)));
        run("d_model", "N", "residual width, overriding the preset's (the MLP becomes 4x)",
                (b, k, v) -> b.dModel(integer(k, v)));
        run("layers", "N", "transformer blocks, overriding the preset's", (b, k, v) -> b.layers(integer(k, v)));
        run("heads", "N", "attention heads, overriding the preset's", (b, k, v) -> b.heads(integer(k, v)));
        run("seq_len", "N", "tokens per sequence, overriding the preset's", (b, k, v) -> b.seqLen(integer(k, v)));
        run("qk_norm", "true|false", "LayerNorm on q and k before RoPE (default true, as in the paper)",
                (b, k, v) -> b.qkNorm(bool(k, v)));
        run("train_norms", "true|false", "train the LayerNorm gains (default true); false holds them at 1 with no "
                + "optimizer group or state, as the authors' no_norm_training", (b, k, v) -> b.trainNorms(bool(k, v)));
        run("init_weights", "FILE", "start from these safetensors weights (their metadata sets the model shape)",
                (b, k, v) -> b.initWeights(path(k, v)));
        run("data", "DIR", "prepared data (optbench data prepare), 'synthetic' (a seeded Markov chain), 'default' "
                + "(the State-of-the-Union corpus, fetched on first use; default) or 'sotu-512' (the same corpus in "
                + "512 pieces, the CPU study regime's)", RunKeys::data);
        run("tokens", "N|FILE", "a token budget (a number: steps = ceil(tokens / (batch x seq_len))), or a .npy token "
                + "file: a 1-D stream or 3-D (N, B, T+1) explicit batches", RunKeys::tokens);
        run("tokens_per_param", "R", "a token budget per non-embedding parameter (the model's parameters less the "
                + "token embedding and the LM head, Kaplan et al.'s N), e.g. 20", (b, k, v) -> b.tokensPerParam(real(k, v)));
        run("batch_order", "ORDER", "shuffled (seeded random windows; default) or sequential (llm.c's order)",
                (b, k, v) -> b.batchOrder(lowerCase(k, v, DataSpec.BatchOrder.class)));
        run("batch", "N", "sequences per optimizer step (default: the preset's)", (b, k, v) -> b.batch(integer(k, v)));
        run("micro_batch", "N", "sequences per forward pass; gradients accumulate over batch / micro_batch passes "
                + "(default: the whole batch)", (b, k, v) -> b.microBatch(integer(k, v)));
        run("steps", "N", "optimizer steps (default: the preset's)", (b, k, v) -> b.steps(integer(k, v)));
        run("optimizer", "NAME", "an optimizer or hybrid: " + String.join(", ", GroupRules.names()) + " (default "
                + org.optbench.optim.OptimizerSpec.DEFAULT + ")", (b, k, v) -> b.optimizer(text(k, v)));
        run("groups", "FILE", "parameter-group rules (YAML or JSON; in a spec also the list itself) instead of "
                + "optimizer", RunKeys::groups);
        for (String name : RunHyperparameters.names()) {
            Hyperparameter h = RunHyperparameters.get(name);
            KEYS.add(new Key(name, h.valueLabel(), RunHyperparameters.describe(name), Scope.RUN,
                    h.isFlag() ? Arity.SWITCH : Arity.VALUE, (b, k, v) -> b.hyperparameter(k, hyperparameter(k, v))));
        }
        run("schedule", "SHAPE", "LR schedule: paper (cosine), linear, wsd or constant (default paper)",
                (b, k, v) -> b.schedule(choice(k, v, LrSchedule.Kind::of)));
        run("warmup", "N|F", "warmup steps, or a fraction of the steps when below 1 (default: max(1, steps / 10))",
                (b, k, v) -> b.warmup(real(k, v)));
        run("clip", "NORM", "global gradient-norm clip; 0 turns it off (default " + TrainingSpec.DEFAULT_CLIP + ")",
                (b, k, v) -> b.clip(real(k, v)));
        run("z_loss", "COEF", "z-loss coefficient; 0 turns it off (default 1e-4)", (b, k, v) -> b.zLoss(single(k, v)));
        run("seed", "N", "initialisation and data-order seed (default 0)", (b, k, v) -> b.seed(whole(k, v)));
        run("eval_tokens", "N", "validation tokens per evaluation (default " + EvalSpec.DEFAULT_TOKENS + ")",
                (b, k, v) -> b.evalTokens(whole(k, v)));
        run("eval_points", "N", "log-spaced evaluations besides the last step (default " + EvalSpec.DEFAULT_POINTS + ")",
                (b, k, v) -> b.evalPoints(integer(k, v)));
        KEYS.add(new Key("eval_steps", "S,S,...", "extra steps to evaluate at, e.g. 30,90,270 (early-stopping rungs)",
                Scope.RUN, Arity.LIST, (b, k, v) -> b.evalSteps(integers(k, v))));
        run("divergence_threshold", "LOSS", "a training loss above this ends the run as diverged (default "
                + (long) TrainingSpec.DEFAULT_DIVERGENCE_THRESHOLD + ")", (b, k, v) -> b.divergenceThreshold(real(k, v)));
        run("device", "DEVICE", "where the kernels run: cpu (default), opencl (the first OpenCL GPU, else the first "
                + "OpenCL device) or opencl:P:D (see optbench devices)", (b, k, v) -> b.device(text(k, v)));
        run("threads", "N", "CPU threads for the cpu device's kernels (default: the available processors)",
                (b, k, v) -> b.threads(integer(k, v)));
        run("log_every", "N", "plain progress lines every N steps when not on a terminal (default "
                + OutputSpec.DEFAULT_LOG_EVERY + ")", (b, k, v) -> b.logEvery(integer(k, v)));
        local("metrics_out", "FILE", "one JSON object per step and per evaluation (appended to when resuming)",
                (b, k, v) -> b.metrics(path(k, v)));
        local("result_out", "FILE", "also write the result JSON to this file", (b, k, v) -> b.result(path(k, v)));
        local("save_weights", "FILE", "write the final weights to this safetensors file",
                (b, k, v) -> b.weights(path(k, v)));
        local("checkpoint_every", "N", "checkpoint every N steps (default: never)",
                (b, k, v) -> b.checkpointEvery(integer(k, v)));
        local("checkpoint_dir", "DIR", "where checkpoints go (default " + CheckpointSpec.DEFAULT_DIR + ")",
                (b, k, v) -> b.checkpointDir(path(k, v)));
        local("resume", "DIR", "continue the run saved in this checkpoint directory (same settings)",
                (b, k, v) -> b.resume(path(k, v)));
        Map<String, Key> byName = new LinkedHashMap<>();
        KEYS.forEach(k -> byName.put(k.name(), k));
        BY_NAME = Collections.unmodifiableMap(byName);
    }

    private RunKeys() {
    }

    private static void run(String name, String label, String description, Setter setter) {
        KEYS.add(new Key(name, label, description, Scope.RUN, Arity.VALUE, setter));
    }

    private static void local(String name, String label, String description, Setter setter) {
        KEYS.add(new Key(name, label, description, Scope.LOCAL, Arity.VALUE, setter));
    }

    /** Every key, in help order. */
    public static Collection<Key> all() {
        return BY_NAME.values();
    }

    public static boolean contains(String name) {
        return BY_NAME.containsKey(name);
    }

    /** The key {@code name} (dashes or underscores); the error lists the valid keys. */
    public static Key get(String name) {
        Key key = BY_NAME.get(name.replace('-', '_'));
        if (key == null) {
            throw new RunSpecException("unknown setting '" + name + "'; valid keys: " + List.copyOf(BY_NAME.keySet()));
        }
        return key;
    }

    /** Sets {@code key} on {@code builder} from a raw value (a flag's string, or a YAML/JSON scalar or list). */
    public static void apply(RunSpec.Builder builder, String key, Object raw) {
        Key k = get(key);
        if (raw == null || raw instanceof JsonNode n && n.isNull()) {
            throw new RunSpecException(k.name() + " has no value; give one or leave the key out");
        }
        k.setter().set(builder, k.name(), raw instanceof JsonNode node ? RunJson.plain(node) : raw);
    }

    /**
     * Applies every entry of {@code settings} (one source: a command line, a file, a sweep point)
     * in order; settings of one source that contradict each other are an error.
     */
    public static RunSpec.Builder applyAll(RunSpec.Builder builder, Map<String, ?> settings) {
        Map<String, Object> given = new LinkedHashMap<>();
        settings.forEach((k, v) -> given.put(get(k).name(), v));
        if (given.containsKey("optimizer") && given.containsKey("groups")) {
            throw new RunSpecException("give optimizer or groups, not both");
        }
        if (given.containsKey("data") && given.containsKey("tokens") && !isNumber(given.get("tokens"))) {
            throw new RunSpecException("give data or a tokens file, not both");
        }
        given.forEach((k, v) -> apply(builder, k, v));
        return builder;
    }

    private static void data(RunSpec.Builder b, String key, Object raw) {
        String v = text(key, raw);
        DataSpec.Tokenization corpus = DataSpec.Tokenization.of(v);
        if (corpus != null) {
            b.corpus(corpus);
            return;
        }
        switch (v) {
            case "default" -> b.data(DataSpec.Source.DEFAULT, null);
            case "synthetic" -> b.data(DataSpec.Source.SYNTHETIC, null);
            default -> b.data(DataSpec.Source.PREPARED, Path.of(v));
        }
    }

    private static void tokens(RunSpec.Builder b, String key, Object raw) {
        if (isNumber(raw)) {
            b.tokens(whole(key, raw));
        } else {
            b.data(DataSpec.Source.TOKEN_FILE, path(key, raw));
        }
    }

    private static void groups(RunSpec.Builder b, String key, Object raw) {
        if (raw instanceof List<?> || raw instanceof Map<?, ?>) {
            b.groups(GroupRules.parse(RunJson.tree(raw), key), key);
            return;
        }
        Path file = path(key, raw);
        try {
            b.groups(GroupRules.parse(Files.readString(file), file.toString()), file.toString());
        } catch (IOException e) {
            throw new RunSpecException("groups " + file + ": cannot read the rule file (" + e.getMessage()
                    + "); give a readable YAML or JSON file");
        }
    }

    private static Object hyperparameter(String key, Object raw) {
        try {
            return RunHyperparameters.convert(key, raw);
        } catch (HyperparameterException e) {
            throw new RunSpecException(e.getMessage());
        }
    }

    private static String text(String key, Object raw) {
        if (raw instanceof Map<?, ?> || raw instanceof List<?>) {
            throw new RunSpecException(key + " takes one value, got " + raw);
        }
        String s = String.valueOf(raw).trim();
        if (s.isEmpty()) {
            throw new RunSpecException(key + " is empty; give a value");
        }
        return s;
    }

    private static boolean bool(String key, Object raw) {
        if (raw instanceof Boolean b) {
            return b;
        }
        String s = text(key, raw).toLowerCase(java.util.Locale.ROOT);
        if (!s.equals("true") && !s.equals("false")) {
            throw new RunSpecException(key + " '" + raw + "' must be true or false");
        }
        return Boolean.parseBoolean(s);
    }

    private static Path path(String key, Object raw) {
        return Path.of(text(key, raw));
    }

    private static <T> T choice(String key, Object raw, java.util.function.Function<String, T> of) {
        try {
            return of.apply(text(key, raw));
        } catch (RuntimeException e) {
            throw new RunSpecException(key + " '" + raw + "': " + e.getMessage());
        }
    }

    /** The constant of {@code type} written as {@code raw} in lower case; the error lists them. */
    private static <E extends Enum<E>> E lowerCase(String key, Object raw, Class<E> type) {
        String v = text(key, raw);
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            String name = e.name().toLowerCase(java.util.Locale.ROOT);
            if (name.equals(v)) {
                return e;
            }
            names.add(name);
        }
        throw new RunSpecException(key + " '" + v + "' must be one of " + names);
    }

    /** Whether a raw value (a Number, a JSON node or text) is a number, as {@code tokens: N} is and {@code tokens: FILE} is not. */
    public static boolean isNumber(Object raw) {
        if (raw instanceof Number || raw instanceof JsonNode node && node.isNumber()) {
            return true;
        }
        String text = raw instanceof JsonNode node ? node.asText() : String.valueOf(raw);
        try {
            Double.parseDouble(text.trim());
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A whole number that fits in 64 bits, written as an integer or as a whole decimal such as 1e6 or 2.0e9. */
    public static long whole(String key, Object raw) {
        if (raw instanceof Integer || raw instanceof Long || raw instanceof Short) {
            return ((Number) raw).longValue();
        }
        String s = text(key, raw);
        try {
            return new BigDecimal(s).longValueExact();
        } catch (NumberFormatException e) {
            throw new RunSpecException(key + " '" + s + "' is not a number; give a whole number");
        } catch (ArithmeticException e) {
            throw new RunSpecException(key + " " + s + " is not a whole number in [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE
                    + "]; give a whole number");
        }
    }

    private static int integer(String key, Object raw) {
        long v = whole(key, raw);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new RunSpecException(key + " " + raw + " is out of range: it must lie in [" + Integer.MIN_VALUE + ", "
                    + Integer.MAX_VALUE + "]");
        }
        return (int) v;
    }

    private static List<Integer> integers(String key, Object raw) {
        List<Integer> out = new ArrayList<>();
        if (raw instanceof List<?> list) {
            list.forEach(x -> out.add(integer(key, x)));
        } else {
            for (String part : text(key, raw).split(",")) {
                if (!part.isBlank()) {
                    out.add(integer(key, part));
                }
            }
        }
        return out;
    }

    private static double real(String key, Object raw) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        String s = text(key, raw);
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new RunSpecException(key + " '" + s + "' is not a number; give a decimal number such as 0.5 or 1e-4");
        }
    }

    private static float single(String key, Object raw) {
        String s = text(key, raw);
        try {
            return Float.parseFloat(s);
        } catch (NumberFormatException e) {
            throw new RunSpecException(key + " '" + s + "' is not a number; give a decimal number such as 1e-4");
        }
    }
}
