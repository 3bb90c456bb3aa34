package org.optbench.sweep;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optbench.model.ModelConfig;
import org.optbench.model.ModelPresets;
import org.optbench.model.ParameterLayout;
import org.optbench.optim.GroupRules;
import org.optbench.optim.HyperparameterException;

/**
 * Reads a sweep spec (YAML or JSON) and checks it before any trial starts: syntax errors carry
 * line and column; unknown keys, optimizers and hyperparameters name the valid ones; every grid
 * point's hyperparameters are checked by the optimizer itself on the sweep's model.
 *
 * <pre>
 * name: quick
 * method: grid                      # or random (with run_cap)
 * metric: {name: val_loss, goal: minimize}
 * model: {preset: nano}             # or d_model, layers, heads, seq_len, vocab
 * data: default                     # default corpus, synthetic, or a prepared directory
 * steps: 150                        # or tokens
 * batch: 16
 * seeds: [0]
 * parallel: 2
 * divergence_threshold: 12
 * train: {eval_tokens: 16384}       # any other option of optbench train
 * parameters:
 *   optimizer:                      # each optimizer with its own grid ...
 *     adamw: {lr: {values: [1e-3, 3.16e-3, 1e-2]}}
 *     lion:  {lr: {values: [1e-4, 3.16e-4]}}
 *   warmup: {value: 0.1}            # ... and parameters shared by all
 * </pre>
 */
public final class SweepSpecParser {

    private static final Set<String> TOP = Set.of("name", "description", "method", "metric", "model", "data", "steps",
            "tokens", "batch", "micro_batch", "seeds", "parallel", "run_cap", "random_seed", "divergence_threshold",
            "train", "parameters", "executor", "early_terminate");
    private static final Set<String> MODEL_KEYS = Set.of("preset", "vocab", "d_model", "layers", "heads", "seq_len");
    private static final Set<String> PARAM_KEYS = Set.of("value", "values", "min", "max", "distribution", "q");
    /** Optimizer hyperparameters: swept under parameters, checked by the optimizer. */
    static final Set<String> OPTIMIZER_KEYS = Set.of("lr", "beta1", "beta2", "eps", "momentum", "nesterov", "wd",
            "wd_mode", "lr_last", "neuron_only", "vector_mode");
    /** Training options that may also be swept (the paper sweeps warmup and batch size at fixed tokens). */
    static final Set<String> SWEEPABLE_TRAIN_KEYS = Set.of("warmup", "batch", "micro_batch", "schedule", "clip",
            "z_loss", "steps", "tokens", "batch_order");

    private SweepSpecParser() {
    }

    public static SweepSpec parse(String text, String source) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SweepSpecException(source + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new SweepSpecException(source + ": a sweep spec is a mapping of keys " + sorted(TOP));
        }
        checkKeys(root, TOP, source, "");
        String name = text(root, "name", null, source);
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new SweepSpecException(source + ": name '" + name + "' must be 1-80 letters, digits, '.', '_' or '-'");
        }
        String method = text(root, "method", "grid", source);
        if (!method.equals("grid") && !method.equals("random")) {
            throw new SweepSpecException(source + ": method '" + method + "' must be grid or random");
        }
        JsonNode metric = root.path("metric");
        String metricName = metric.path("name").asText("val_loss");
        if (!metricName.equals("val_loss") || !metric.path("goal").asText("minimize").equals("minimize")) {
            throw new SweepSpecException(source + ": metric must be {name: val_loss, goal: minimize}, the study's metric");
        }
        ExecutorSpec executor = ExecutorSpec.defaults();
        if (root.has("executor")) {
            if (!root.get("executor").isObject()) {
                throw new SweepSpecException(source + ": executor must be a mapping such as {type: slurm, partition: gpu}");
            }
            executor = ExecutorSpec.parse(new ObjectMapper().convertValue(root.get("executor"),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }), source);
        }
        EarlyStopRule earlyStop = null;
        if (root.has("early_terminate")) {
            if (!root.get("early_terminate").isObject()) {
                throw new SweepSpecException(source + ": early_terminate must be a mapping such as {type: hyperband, min_iter: 50, eta: 3}");
            }
            earlyStop = EarlyStopRule.parse(new ObjectMapper().convertValue(root.get("early_terminate"),
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { }), source);
            if (!root.has("steps") || !root.get("steps").canConvertToInt()) {
                throw new SweepSpecException(source + ": early_terminate needs a fixed 'steps' (its rungs are training steps)");
            }
        }
        Map<String, String> train = new LinkedHashMap<>();
        JsonNode model = root.path("model");
        if (!model.isMissingNode()) {
            checkKeys(model, MODEL_KEYS, source, "model.");
            model.fields().forEachRemaining(e -> train.put(e.getKey(), e.getValue().asText()));
        }
        train.putIfAbsent("preset", "nano");
        copy(root, "data", train);
        copy(root, "steps", train);
        copy(root, "tokens", train);
        copy(root, "batch", train);
        copy(root, "micro_batch", train);
        copy(root, "divergence_threshold", train);
        JsonNode extra = root.path("train");
        if (!extra.isMissingNode()) {
            extra.fields().forEachRemaining(e -> {
                if (OPTIMIZER_KEYS.contains(e.getKey())) {
                    throw new SweepSpecException(source + ": train." + e.getKey() + " is a hyperparameter: put it under "
                            + "parameters (as {value: ...}) so every trial records it");
                }
                train.put(e.getKey(), e.getValue().asText());
            });
        }
        if (!train.containsKey("steps") && !train.containsKey("tokens")) {
            throw new SweepSpecException(source + ": give steps or tokens, the length of every trial");
        }
        List<Long> seeds = new ArrayList<>();
        JsonNode seedNode = root.path("seeds");
        if (seedNode.isMissingNode()) {
            seeds.add(0L);
        } else if (seedNode.isArray() && !seedNode.isEmpty()) {
            seedNode.forEach(s -> seeds.add(s.asLong()));
        } else {
            throw new SweepSpecException(source + ": seeds must be a non-empty list of integers");
        }
        int parallel = root.path("parallel").asInt(1);
        if (parallel < 1 || parallel > 64) {
            throw new SweepSpecException(source + ": parallel " + parallel + " must lie in [1, 64]");
        }
        int runCap = root.path("run_cap").asInt(method.equals("random") ? -1 : 0);
        if (method.equals("random") && runCap < 1) {
            throw new SweepSpecException(source + ": random search needs run_cap, the trials per optimizer");
        }
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
                parseOptimizers(e.getValue(), optimizers, source);
            } else {
                shared.put(e.getKey(), parameter(e.getValue(), source, "parameters." + e.getKey(), method));
            }
        }
        if (optimizers.isEmpty()) {
            throw new SweepSpecException(source + ": parameters.optimizer names no optimizer; choose from " + GroupRules.names());
        }
        SweepSpec spec = new SweepSpec(name, text, method, metricName, optimizers, shared, train, seeds, parallel,
                Math.max(runCap, 0), root.path("random_seed").asLong(0), earlyStop,
                executor);
        validateAgainstModel(spec, source);
        return spec;
    }

    private static void parseOptimizers(JsonNode node, Map<String, Map<String, SweepParameter>> out, String source) {
        if (node.isObject() && (node.has("values") || node.has("value"))) {
            List<String> names = new ArrayList<>();
            (node.has("values") ? node.get("values") : node).forEach(v -> names.add(v.asText()));
            if (node.has("value")) {
                names.clear();
                names.add(node.get("value").asText());
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
                e.getValue().fields().forEachRemaining(p -> own.put(p.getKey(), parameter(p.getValue(), source,
                        "parameters.optimizer." + opt + "." + p.getKey(), "grid")));
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

    private static SweepParameter parameter(JsonNode node, String source, String path, String method) {
        if (!node.isObject()) {
            return SweepParameter.fixed(scalar(node));
        }
        checkKeys(node, PARAM_KEYS, source, path + ".");
        if (node.has("value")) {
            return SweepParameter.fixed(scalar(node.get("value")));
        }
        if (node.has("values")) {
            if (!node.get("values").isArray() || node.get("values").isEmpty()) {
                throw new SweepSpecException(source + ": " + path + ".values must be a non-empty list");
            }
            List<Object> values = new ArrayList<>();
            node.get("values").forEach(v -> values.add(scalar(v)));
            return new SweepParameter(values, null, 0, 0, 0);
        }
        String distribution = node.path("distribution").asText("uniform");
        if (!SweepParameter.DISTRIBUTIONS.contains(distribution)) {
            throw new SweepSpecException(source + ": " + path + ".distribution '" + distribution + "' is not one of "
                    + SweepParameter.DISTRIBUTIONS);
        }
        if (!node.has("min") || !node.has("max") || node.get("min").asDouble() > node.get("max").asDouble()) {
            throw new SweepSpecException(source + ": " + path + " needs min <= max for its distribution");
        }
        if (distribution.contains("log") && node.get("min").asDouble() <= 0) {
            throw new SweepSpecException(source + ": " + path + " is log-distributed: min must be positive");
        }
        return new SweepParameter(null, distribution, node.get("min").asDouble(), node.get("max").asDouble(),
                node.path("q").asDouble(1));
    }

    private static Object scalar(JsonNode v) {
        return v.isNumber() ? v.numberValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText();
    }

    private static void validateAgainstModel(SweepSpec spec, String source) {
        ParameterLayout layout = new ParameterLayout(modelConfig(spec.trainOptions(), source));
        for (TrialSpec trial : SweepExpander.expand(spec)) {
            if (spec.method().equals("grid") && trial.index() > 100_000) {
                throw new SweepSpecException(source + ": the grid has over 100000 trials; narrow it");
            }
            Map<String, Object> optimizerValues = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : trial.hyperparameters().entrySet()) {
                if (OPTIMIZER_KEYS.contains(e.getKey())) {
                    optimizerValues.put(e.getKey(), e.getValue());
                } else if (!SWEEPABLE_TRAIN_KEYS.contains(e.getKey())) {
                    throw new SweepSpecException(source + ": '" + e.getKey() + "' is neither a hyperparameter "
                            + sorted(OPTIMIZER_KEYS) + " nor a sweepable training option " + sorted(SWEEPABLE_TRAIN_KEYS));
                }
            }
            try {
                GroupRules.named(trial.optimizer()).resolve(layout.specs(), optimizerValues);
            } catch (HyperparameterException e) {
                throw new SweepSpecException(source + ": optimizer " + trial.optimizer() + ": " + e.getMessage());
            }
        }
        for (SweepParameter p : spec.shared().values()) {
            if (p.isDistribution() && spec.method().equals("grid")) {
                throw new SweepSpecException(source + ": a distribution needs method: random; grid takes value or values");
            }
        }
    }

    private static ModelConfig modelConfig(Map<String, String> train, String source) {
        try {
            ModelConfig base = ModelPresets.get(train.get("preset")).config();
            int d = intOr(train, "d_model", base.dModel());
            return new ModelConfig(intOr(train, "vocab", base.vocabSize()), d, intOr(train, "layers", base.nLayers()),
                    intOr(train, "heads", base.nHeads()), intOr(train, "seq_len", base.seqLen()),
                    train.containsKey("d_model") ? 4 * d : base.mlpHidden(), base.zLoss(), base.qkNorm(), base.ropeTheta());
        } catch (IllegalArgumentException e) {
            throw new SweepSpecException(source + ": model: " + e.getMessage());
        }
    }

    private static int intOr(Map<String, String> m, String key, int fallback) {
        return m.containsKey(key) ? Integer.parseInt(m.get(key)) : fallback;
    }

    private static void copy(JsonNode root, String key, Map<String, String> train) {
        if (root.has(key)) {
            train.put(key, root.get(key).asText());
        }
    }

    private static String text(JsonNode root, String key, String fallback, String source) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? fallback : n.asText();
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
