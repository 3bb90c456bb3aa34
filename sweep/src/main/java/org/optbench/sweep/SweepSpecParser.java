package org.optbench.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optbench.optim.GroupRules;
import org.optbench.optim.hyperparameter.HyperparameterException;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.exec.ExecutorRequest;
import org.optbench.sweep.trial.SweptValue;
import org.optbench.train.run.RunKeys;
import org.optbench.train.run.RunSpec;
import org.optbench.train.run.RunSpecException;

/**
 * Reads a sweep spec (YAML or JSON): syntax errors carry line and column; unknown keys and
 * optimizers name the valid ones; every fixed and swept value is typed by the run-key registry
 * ({@link RunKeys}), so a sweep's keys are exactly {@code optbench train}'s settings. Nothing is
 * expanded here: {@link SweepValidator} checks the trial count and every point before a sweep is
 * stored.
 *
 * <pre>
 * name: quick
 * method: grid                      # or random (with run_cap), or one_at_a_time
 * metric: {name: val_loss, goal: minimize}
 * model: {preset: nano}             # or d_model, layers, heads, seq_len, vocab
 * data: default                     # default corpus, synthetic, or a prepared directory
 * steps: 150                        # or tokens
 * batch: 16
 * seeds: [0]
 * parallel: 2
 * divergence_threshold: 12
 * save_weights: false               # true: each trial keeps weights.safetensors (results --download)
 * train: {eval_tokens: 16384}       # any other run setting of optbench train
 * parameters:
 *   optimizer:                      # each optimizer with its own grid ...
 *     adamw: {lr: {values: [1e-3, 3.16e-3, 1e-2]}}
 *     lion:  {lr: {values: [1e-4, 3.16e-4]}}
 *   warmup: {value: 0.1}            # ... and settings shared by all
 * </pre>
 */
public final class SweepSpecParser {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Set<String> TOP = Set.of("name", "description", "method", "metric", "model", "data", "steps",
            "tokens", "tokens_per_param", "batch", "micro_batch", "seeds", "parallel", "run_cap", "random_seed",
            "divergence_threshold", "train", "parameters", "executor", "early_terminate", "save_weights", "devices",
            "analysis", "claims", "refine", "extend_edges");
    /** Whether {@code key} is a top-level key of a sweep spec (e.g. {@code parallel}). */
    public static boolean isSpecKey(String key) {
        return TOP.contains(key);
    }

    /** The top-level keys a sweep spec may have, in alphabetical order. */
    public static List<String> specKeys() {
        return TOP.stream().sorted().toList();
    }

    /** Top-level keys that are run settings of every trial. */
    private static final List<String> TOP_RUN_KEYS = List.of("data", "steps", "tokens", "tokens_per_param", "batch",
            "micro_batch", "divergence_threshold");
    private static final Set<String> MODEL_KEYS = Set.of("preset", "vocab", "d_model", "layers", "heads", "seq_len",
            "qk_norm", "train_norms");
    private static final Set<String> PARAM_KEYS = Set.of("value", "values", "default", "min", "max", "distribution",
            "q");
    /** Run keys a sweep sets itself: the optimizer comes from parameters.optimizer, seeds from seeds. */
    private static final Set<String> SWEEP_OWNED = Set.of("optimizer", "groups", "seed");
    public static final int MAX_PARALLEL = 64;
    /** What a sweep's name may be: it names a directory and appears in trial ids. */

    private SweepSpecParser() {
    }

    public static SweepSpec parse(String text, String source) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SweepSpecException(source + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SweepSpecException(source + ": a sweep spec is a mapping of keys " + sorted(TOP));
        }
        checkKeys(root, TOP, source, "");
        String name = root.hasNonNull("name") ? root.get("name").asText() : null;
        if (name == null || !SweepSpec.NAME.matcher(name).matches()) {
            throw new SweepSpecException(source + ": name '" + SweepSpecException.shorten(name) + "' must be a letter or "
                    + "digit followed by at most 63 letters, digits, '.', '_' or '-'");
        }
        SweepSpec.Method method = switch (root.path("method").asText("grid")) {
            case "grid" -> SweepSpec.Method.GRID;
            case "random" -> SweepSpec.Method.RANDOM;
            case "one_at_a_time" -> SweepSpec.Method.ONE_AT_A_TIME;
            default -> throw new SweepSpecException(source + ": method '" + root.get("method").asText()
                    + "' must be grid, random or one_at_a_time");
        };
        JsonNode metric = root.path("metric");
        String metricName = metric.path("name").asText("val_loss");
        if (!metricName.equals("val_loss") || !metric.path("goal").asText("minimize").equals("minimize")) {
            throw new SweepSpecException(source + ": metric must be {name: val_loss, goal: minimize}, the study's metric");
        }
        ExecutorRequest executor = null;
        if (root.has("executor")) {
            executor = ExecutorRequest.parse(mapping(root, "executor", "{type: slurm, profile: gpu}", source), source);
        }
        EarlyStopRule earlyStop = null;
        if (root.has("early_terminate")) {
            earlyStop = EarlyStopRule.parse(mapping(root, "early_terminate", "{type: hyperband, min_iter: 50, eta: 3}", source),
                    source);
        }
        Map<String, Object> fixed = fixedSettings(root, source);
        List<Long> seeds = seeds(root, source);
        int parallel = (int) number(root, "parallel", 1, 1, MAX_PARALLEL, source);
        int runCap = (int) number(root, "run_cap", 0, method == SweepSpec.Method.RANDOM ? 1 : 0, Integer.MAX_VALUE, source);
        if (method == SweepSpec.Method.RANDOM && !root.has("run_cap")) {
            throw new SweepSpecException(source + ": random search needs run_cap, the trials per optimizer");
        }
        long randomSeed = number(root, "random_seed", 0, Long.MIN_VALUE, Long.MAX_VALUE, source);
        Map<String, Map<String, SweepParameter>> optimizers = new LinkedHashMap<>();
        Map<String, SweepParameter> shared = new LinkedHashMap<>();
        JsonNode params = root.path("parameters");
        if (!params.isObject()) {
            throw new SweepSpecException(source + ": parameters must be a mapping with at least 'optimizer'");
        }
        Iterator<Map.Entry<String, JsonNode>> fields = params.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (e.getKey().equals("optimizer")) {
                parseOptimizers(e.getValue(), optimizers, method, source);
            } else {
                shared.put(sweptKey(e.getKey(), source), parameter(e.getKey(), e.getValue(), method, source,
                        "parameters." + e.getKey()));
            }
        }
        if (optimizers.isEmpty()) {
            throw new SweepSpecException(source + ": parameters.optimizer names no optimizer; choose from " + GroupRules.names());
        }
        devices(root, shared, method, source);
        if (!lengthGiven(fixed, optimizers, shared)) {
            throw new SweepSpecException(source + ": give steps, tokens or tokens_per_param, the length of every trial");
        }
        if (earlyStop != null && !fixed.containsKey("steps")) {
            throw new SweepSpecException(source + ": early_terminate needs a fixed 'steps' (its rungs are training steps)");
        }
        RunSpec base;
        try {
            base = RunKeys.applyAll(RunSpec.builder(), fixed).build();
        } catch (RunSpecException | HyperparameterException e) {
            throw new SweepSpecException(source + ": " + e.getMessage());
        }
        JsonNode save = root.path("save_weights");
        if (!save.isMissingNode() && !save.isBoolean()) {
            throw new SweepSpecException(source + ": save_weights must be true or false (each trial keeps its final weights "
                    + "in its directory, for results --download)");
        }
        AnalysisSpecParser analysis = new AnalysisSpecParser(source, optimizers, shared);
        AdaptiveSpec adaptive = analysis.adaptive(root, method);
        if (adaptive != null && adaptive.refines() && adaptive.refineSeeds() <= seeds.size()) {
            throw new SweepSpecException(source + ": refine.seeds " + adaptive.refineSeeds() + " adds nothing to the "
                    + seeds.size() + " seed(s) every point already runs; set it above " + seeds.size());
        }
        AnalysisSpec judged = analysis.analysis(root);
        for (long s : judged.selectOn()) {
            if (!seeds.contains(s)) {
                throw new SweepSpecException(source + ": analysis.select_on seed " + s + " is not one of the seeds " + seeds
                        + " that every point runs; choose each arm's best setting on those");
            }
        }
        int allSeeds = Math.max(seeds.size(), adaptive != null && adaptive.refines() ? adaptive.refineSeeds() : 0);
        if (!judged.selectOn().isEmpty() && allSeeds <= judged.selectOn().size()) {
            throw new SweepSpecException(source + ": analysis.select_on " + new java.util.TreeSet<>(judged.selectOn())
                    + " leaves no seed to judge the claims on; add seeds or refine: {seeds: N}");
        }
        return new SweepSpec(name, text, method, metricName, optimizers, shared, base, seeds, parallel, runCap, randomSeed,
                earlyStop, executor, save.asBoolean(false), judged
                .withExtendEdgesMax(adaptive == null || !adaptive.extendEdges() ? 0 : adaptive.maxExtend()), adaptive);
    }

    /**
     * {@code devices: [cpu, opencl]}: every point runs on each device, as a shared {@code device}
     * setting the analysis compares.
     */
    private static void devices(JsonNode root, Map<String, SweepParameter> shared, SweepSpec.Method method,
                                String source) {
        JsonNode devices = root.path("devices");
        if (devices.isMissingNode()) {
            return;
        }
        if (!devices.isArray() || devices.isEmpty()) {
            throw new SweepSpecException(source + ": devices must be a non-empty list such as [cpu, opencl]");
        }
        if (shared.containsKey("device")) {
            throw new SweepSpecException(source + ": devices and parameters.device both set the device; keep one");
        }
        if (method != SweepSpec.Method.GRID) {
            throw new SweepSpecException(source + ": devices runs every point on each device, a grid; use method: grid");
        }
        shared.put("device", parameter("device", YAML.createObjectNode().set("values", devices), method, source,
                "devices"));
    }

    /** The run settings every trial shares, as written: model.*, the top-level run keys and train.*. */
    private static Map<String, Object> fixedSettings(JsonNode root, String source) {
        Map<String, Object> fixed = new LinkedHashMap<>();
        JsonNode model = root.path("model");
        if (!model.isMissingNode()) {
            if (!model.isObject()) {
                throw new SweepSpecException(source + ": model must be a mapping such as {preset: nano}");
            }
            checkKeys(model, MODEL_KEYS, source, "model.");
            model.fields().forEachRemaining(e -> fixed.put(e.getKey(), plain(e.getValue())));
        }
        for (String key : TOP_RUN_KEYS) {
            if (root.has(key)) {
                fixed.put(key, plain(root.get(key)));
            }
        }
        JsonNode train = root.path("train");
        if (!train.isMissingNode()) {
            if (!train.isObject()) {
                throw new SweepSpecException(source + ": train must be a mapping of run settings, e.g. {eval_tokens: 16384}");
            }
            train.fields().forEachRemaining(e -> {
                RunKeys.Key key = runKey(e.getKey(), source, "train.");
                if (key.isHyperparameter()) {
                    throw new SweepSpecException(source + ": train." + key.name() + " is a hyperparameter: put it under "
                            + "parameters (as {value: ...}) so every trial records it");
                }
                if (fixed.containsKey(key.name())) {
                    throw new SweepSpecException(source + ": train." + key.name() + " repeats a setting given above; keep one");
                }
                fixed.put(key.name(), plain(e.getValue()));
            });
        }
        return fixed;
    }

    private static RunKeys.Key runKey(String name, String source, String prefix) {
        RunKeys.Key key;
        try {
            key = RunKeys.get(name);
        } catch (RunSpecException e) {
            throw new SweepSpecException(source + ": " + prefix + e.getMessage());
        }
        if (key.scope() == RunKeys.Scope.LOCAL) {
            throw new SweepSpecException(source + ": " + prefix + name + " is set by the sweep for each trial (its files "
                    + "live in the trial's directory); remove it");
        }
        if (SWEEP_OWNED.contains(key.name())) {
            throw new SweepSpecException(source + ": " + prefix + name + " comes from "
                    + (key.name().equals("seed") ? "the spec's seeds list" : "parameters.optimizer") + "; remove it");
        }
        return key;
    }

    /** A key that may be swept: any run setting but the optimizer and the seed. */
    private static String sweptKey(String name, String source) {
        return runKey(name, source, "parameters.").name();
    }

    private static boolean lengthGiven(Map<String, Object> fixed, Map<String, Map<String, SweepParameter>> optimizers,
                                       Map<String, SweepParameter> shared) {
        if (fixed.containsKey("steps") || fixed.containsKey("tokens_per_param")
                || fixed.containsKey("tokens") && RunKeys.isNumber(fixed.get("tokens"))) {
            return true;
        }
        if (shared.containsKey("steps") || shared.containsKey("tokens") || shared.containsKey("tokens_per_param")) {
            return true;
        }
        return !optimizers.isEmpty() && optimizers.values().stream().allMatch(p -> p.containsKey("steps")
                || p.containsKey("tokens") || p.containsKey("tokens_per_param"));
    }

    private static List<Long> seeds(JsonNode root, String source) {
        List<Long> seeds = new ArrayList<>();
        JsonNode node = root.path("seeds");
        if (node.isMissingNode()) {
            seeds.add(0L);
            return seeds;
        }
        if (!node.isArray() || node.isEmpty()) {
            throw new SweepSpecException(source + ": seeds must be a non-empty list of whole numbers, e.g. [0, 1, 2]");
        }
        Set<Long> seen = new java.util.HashSet<>();
        for (JsonNode s : node) {
            try {
                long seed = RunKeys.whole("seeds", plain(s));
                if (!seen.add(seed)) {
                    throw new SweepSpecException(source + ": seeds lists " + seed + " twice; list each seed once");
                }
                seeds.add(seed);
            } catch (RunSpecException e) {
                throw new SweepSpecException(source + ": " + e.getMessage());
            }
        }
        return seeds;
    }

    private static long number(JsonNode root, String key, long fallback, long min, long max, String source) {
        if (!root.has(key)) {
            return fallback;
        }
        long v;
        try {
            v = RunKeys.whole(key, plain(root.get(key)));
        } catch (RunSpecException e) {
            throw new SweepSpecException(source + ": " + e.getMessage());
        }
        if (v < min || v > max) {
            throw new SweepSpecException(source + ": " + key + " " + v + " must lie in [" + min + ", " + max + "]");
        }
        return v;
    }

    private static Map<String, Object> mapping(JsonNode root, String key, String example, String source) {
        if (!root.get(key).isObject()) {
            throw new SweepSpecException(source + ": " + key + " must be a mapping such as " + example);
        }
        return YAML.convertValue(root.get(key), new TypeReference<Map<String, Object>>() { });
    }

    private static void parseOptimizers(JsonNode node, Map<String, Map<String, SweepParameter>> out,
                                        SweepSpec.Method method, String source) {
        if (node.isObject() && (node.has("values") || node.has("value"))) {
            List<String> names = new ArrayList<>();
            if (node.has("value")) {
                names.add(node.get("value").asText());
            } else {
                node.get("values").forEach(v -> names.add(v.asText()));
            }
            names.forEach(n -> out.put(checkOptimizer(n, source), new LinkedHashMap<>()));
            return;
        }
        if (!node.isObject()) {
            throw new SweepSpecException(source + ": parameters.optimizer must be {values: [...]} or a mapping of "
                    + "optimizer to its own parameters");
        }
        node.fields().forEachRemaining(e -> {
            Map<String, SweepParameter> own = new LinkedHashMap<>();
            String opt = checkOptimizer(e.getKey(), source);
            if (e.getValue() != null && e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(p -> own.put(sweptKey(p.getKey(), source),
                        parameter(p.getKey(), p.getValue(), method, source, "parameters.optimizer." + opt + "." + p.getKey())));
            } else if (e.getValue() != null && !e.getValue().isNull()) {
                throw new SweepSpecException(source + ": parameters.optimizer." + opt + " must be a mapping of its parameters");
            }
            out.put(opt, own);
        });
    }

    private static String checkOptimizer(String name, String source) {
        if (!GroupRules.names().contains(name)) {
            throw new SweepSpecException(source + ": unknown optimizer '" + name + "'; choose from " + GroupRules.names());
        }
        return name;
    }

    /** One swept setting; every value it can take is typed as its run key now. */
    private static SweepParameter parameter(String key, JsonNode node, SweepSpec.Method method, String source, String path) {
        SweepParameter p = shape(node, source, path);
        if (p.isDistribution() && method != SweepSpec.Method.RANDOM) {
            throw new SweepSpecException(source + ": " + path + " has a distribution: " + (method == SweepSpec.Method.GRID
                    ? "grid search" : "a one-at-a-time sweep") + " takes value or values; use method: random");
        }
        if (p.center() != null && method != SweepSpec.Method.ONE_AT_A_TIME) {
            throw new SweepSpecException(source + ": " + path + ".default is the value a one-at-a-time sweep holds while "
                    + "another setting varies; use method: one_at_a_time or remove it");
        }
        if (method == SweepSpec.Method.ONE_AT_A_TIME && new java.util.HashSet<>(p.grid()).size() < p.grid().size()) {
            throw new SweepSpecException(source + ": " + path + ".values lists a value twice; a one-at-a-time sweep runs "
                    + "each value once");
        }
        if (method == SweepSpec.Method.ONE_AT_A_TIME && p.center() == null && p.grid().size() > 1) {
            throw new SweepSpecException(source + ": " + path + " has " + p.grid().size() + " values: a one-at-a-time "
                    + "sweep needs its default, the value it keeps while another setting varies, e.g. {values: "
                    + p.grid().stream().map(SweptValue::text).toList() + ", default: " + p.grid().get(0).text() + "}");
        }
        List<Object> samples = new ArrayList<>();
        if (p.isDistribution()) {
            samples.addAll(List.of(p.min(), p.max()));
        } else {
            p.grid().forEach(v -> samples.add(v.setting()));
        }
        for (Object v : samples) {
            try {
                RunKeys.apply(RunSpec.builder(), key, v);
            } catch (RunSpecException | HyperparameterException e) {
                throw new SweepSpecException(source + ": " + path + ": " + e.getMessage());
            }
        }
        return p;
    }

    private static SweepParameter shape(JsonNode node, String source, String path) {
        if (!node.isObject()) {
            return SweepParameter.fixed(value(node, source, path));
        }
        checkKeys(node, PARAM_KEYS, source, path + ".");
        if (node.has("default") && !node.has("values")) {
            throw new SweepSpecException(source + ": " + path + ".default goes with a list of values, the one a "
                    + "one-at-a-time sweep holds while another setting varies");
        }
        if (node.has("value")) {
            return SweepParameter.fixed(value(node.get("value"), source, path + ".value"));
        }
        if (node.has("values")) {
            if (!node.get("values").isArray() || node.get("values").isEmpty()) {
                throw new SweepSpecException(source + ": " + path + ".values must be a non-empty list");
            }
            List<SweptValue> values = new ArrayList<>();
            node.get("values").forEach(v -> values.add(value(v, source, path + ".values")));
            SweptValue center = null;
            if (node.has("default")) {
                center = value(node.get("default"), source, path + ".default");
                if (!values.contains(center)) {
                    throw new SweepSpecException(source + ": " + path + ".default " + center.text() + " is not one of its "
                            + "values " + values.stream().map(SweptValue::text).toList() + "; add it to values");
                }
            }
            return new SweepParameter(values, null, 0, 0, 0, center);
        }
        String distribution = node.path("distribution").asText("uniform");
        if (!SweepParameter.DISTRIBUTIONS.contains(distribution)) {
            throw new SweepSpecException(source + ": " + path + ".distribution '" + distribution + "' is not one of "
                    + SweepParameter.DISTRIBUTIONS);
        }
        if (!node.path("min").isNumber() || !node.path("max").isNumber()
                || node.get("min").asDouble() > node.get("max").asDouble()) {
            throw new SweepSpecException(source + ": " + path + " needs numbers min <= max for its distribution");
        }
        if (distribution.contains("log") && node.get("min").asDouble() <= 0) {
            throw new SweepSpecException(source + ": " + path + " is log-distributed: min must be positive");
        }
        if (distribution.startsWith("q_") && !(node.path("q").asDouble(1) > 0)) {
            throw new SweepSpecException(source + ": " + path + ".q must be positive");
        }
        return new SweepParameter(null, distribution, node.get("min").asDouble(), node.get("max").asDouble(),
                node.path("q").asDouble(1), null);
    }

    /** A swept value from YAML: a number, true/false or a word; a list or a mapping is an error. */
    private static SweptValue value(JsonNode v, String source, String path) {
        if (!v.isValueNode() || v.isNull()) {
            throw new SweepSpecException(source + ": " + path + ": a swept value must be a number, true/false or a word, "
                    + "not " + SweepSpecException.shorten(v.toString()) + " (a rule file's path, for groups)");
        }
        return SweptValue.of(plain(v));
    }

    /** A YAML value as plain Java: Number, Boolean, String, List or Map. */
    private static Object plain(JsonNode v) {
        return YAML.convertValue(v, Object.class);
    }

    private static void checkKeys(JsonNode node, Set<String> valid, String source, String prefix) {
        node.fieldNames().forEachRemaining(k -> {
            if (!valid.contains(k)) {
                throw new SweepSpecException(source + ": unknown key '" + prefix + k + "'; valid keys: " + sorted(valid));
            }
        });
    }

    private static List<String> sorted(Set<String> s) {
        return s.stream().sorted().toList();
    }
}
