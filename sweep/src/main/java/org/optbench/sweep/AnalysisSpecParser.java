package org.optbench.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.optbench.sweep.analysis.AnalysisSpec;
import org.optbench.sweep.analysis.Arm;
import org.optbench.sweep.analysis.Bootstrap;
import org.optbench.sweep.analysis.ClaimSpec;
import org.optbench.sweep.analysis.MarginPolicy;
import org.optbench.sweep.analysis.Metric;
import org.optbench.sweep.error.SweepSpecException;
import org.optbench.sweep.trial.Point;
import org.optbench.sweep.trial.SweptValue;

/**
 * Reads a spec's {@code analysis:}, {@code claims:}, {@code refine:} and {@code extend_edges:}
 * keys against its optimizers and swept settings, so that a claim naming an optimizer the sweep
 * does not run, or a value no grid holds, is refused before anything runs.
 *
 * <pre>
 * analysis: {margin: 0.02, min_seeds: 5, correction: holm, select_on: [0], bootstrap: 2000, device_tolerance: 0.01}
 * claims:
 *   - {id: adam-signum, type: equivalent, a: adamw, b: signum, metric: best_loss}
 *   - {id: momentum-helps, type: better, a: 0.9, b: 0.0, optimizer: signum, axis: beta1}
 *   - {id: tied, type: equivalent, a: {optimizer: adamw, tie_betas: true}, b: signum, margin: 0.05}
 * refine: {seeds: 3, around_best: 1}
 * extend_edges: true                 # or {max_points: 3}
 * </pre>
 */
final class AnalysisSpecParser {

    private static final Set<String> ANALYSIS_KEYS = Set.of("margin", "bootstrap", "device_tolerance", "min_seeds",
            "correction", "select_on");
    private static final Set<String> CLAIM_KEYS = Set.of("id", "type", "a", "b", "metric", "margin", "optimizer", "axis");

    private final String source;
    /** Optimizer to its swept settings (own and shared) with their grids (null for a distribution). */
    private final Map<String, Map<String, List<SweptValue>>> swept;
    /** One-at-a-time sweeps: optimizer to the defaults of its settings with several values; else empty. */
    private final Map<String, Map<String, SweptValue>> defaults;

    AnalysisSpecParser(String source, Map<String, Map<String, SweepParameter>> optimizers,
                       Map<String, SweepParameter> shared) {
        this.source = source;
        this.swept = new LinkedHashMap<>();
        this.defaults = new LinkedHashMap<>();
        optimizers.forEach((opt, own) -> {
            Map<String, SweepParameter> params = new LinkedHashMap<>(own);
            shared.forEach(params::putIfAbsent);
            Map<String, List<SweptValue>> all = new LinkedHashMap<>();
            Map<String, SweptValue> held = new LinkedHashMap<>();
            params.forEach((k, p) -> {
                all.put(k, p.grid());
                if (p.center() != null) {
                    held.put(k, p.center());
                }
            });
            swept.put(opt, all);
            defaults.put(opt, held);
        });
    }

    /**
     * A parser for claims on runs whose optimizers set these settings to these values, with the
     * defaults a one-at-a-time sweep held them at ({@code held}: empty for any other sweep).
     */
    static AnalysisSpecParser forTable(String source, Map<String, Map<String, List<SweptValue>>> swept,
                                       Map<String, Point> held) {
        return new AnalysisSpecParser(swept, source, held);
    }

    private AnalysisSpecParser(Map<String, Map<String, List<SweptValue>>> swept, String source, Map<String, Point> held) {
        this.source = source;
        this.swept = new LinkedHashMap<>(swept);
        this.defaults = new LinkedHashMap<>();
        held.forEach((opt, point) -> {
            Map<String, SweptValue> values = new LinkedHashMap<>();
            point.forEach(values::put);
            defaults.put(opt, values);
        });
    }

    /** The arm of {@code opt} at {@code where}, holding the settings it does not name at their defaults. */
    private Arm arm(String opt, Map<String, SweptValue> where) {
        Map<String, SweptValue> held = new LinkedHashMap<>(defaults.getOrDefault(opt, Map.of()));
        held.keySet().removeAll(where.keySet());
        return new Arm(opt, Point.of(where), Point.of(held));
    }

    private SweepSpecException error(String message) {
        return new SweepSpecException(source + ": " + message);
    }

    AnalysisSpec analysis(JsonNode root) {
        JsonNode a = root.path("analysis");
        MarginPolicy margin = MarginPolicy.NONE;
        int samples = Bootstrap.DEFAULT_SAMPLES;
        double tolerance = AnalysisSpec.DEFAULT_DEVICE_TOLERANCE;
        int minSeeds = AnalysisSpec.DEFAULT_MIN_SEEDS;
        boolean holm = true;
        Set<Long> selectOn = new java.util.TreeSet<>();
        if (!a.isMissingNode()) {
            if (!a.isObject()) {
                throw error("analysis must be a mapping such as {margin: 0.02, bootstrap: 2000}");
            }
            a.fieldNames().forEachRemaining(k -> {
                if (!ANALYSIS_KEYS.contains(k)) {
                    throw error("unknown key 'analysis." + k + "'; valid keys: " + ANALYSIS_KEYS.stream().sorted().toList());
                }
            });
            if (a.has("margin")) {
                margin = margin(a.get("margin"));
            }
            if (a.has("min_seeds")) {
                minSeeds = whole(a.get("min_seeds"), "analysis.min_seeds", 2, 1000);
            }
            if (a.has("correction")) {
                String c = a.get("correction").asText("");
                if (!c.equals("holm") && !c.equals("none")) {
                    throw error("analysis.correction '" + SweepSpecException.shorten(c) + "' must be holm (Holm's "
                            + "correction across the claims, the default) or none");
                }
                holm = c.equals("holm");
            }
            if (a.has("select_on")) {
                JsonNode list = a.get("select_on");
                if (!list.isArray() || list.isEmpty()) {
                    throw error("analysis.select_on must be a list of seeds, such as [0]: the seeds that choose each "
                            + "arm's best setting");
                }
                for (JsonNode seed : list) {
                    selectOn.add((long) whole(seed, "analysis.select_on seed", 0, Integer.MAX_VALUE));
                }
            }
            if (a.has("bootstrap")) {
                double b = positive(a.get("bootstrap"), "analysis.bootstrap", "resamples, e.g. 2000");
                if (b != Math.rint(b) || b < 100 || b > 100_000) {
                    throw error("analysis.bootstrap " + a.get("bootstrap").asText() + " must be a whole number in [100, "
                            + "100000]");
                }
                samples = (int) b;
            }
            if (a.has("device_tolerance")) {
                tolerance = positive(a.get("device_tolerance"), "analysis.device_tolerance",
                        "the largest |final loss difference| between devices that counts as agreement, e.g. 0.01");
            }
        }
        Map<String, Point> held = new LinkedHashMap<>();
        defaults.forEach((opt, values) -> {
            if (!values.isEmpty()) {
                held.put(opt, Point.of(values));
            }
        });
        return new AnalysisSpec(margin, samples, tolerance, claims(root.path("claims"), margin), 0, minSeeds, holm,
                selectOn, held);
    }

    /** {@code 0.05} (nats), {@code {relative: 0.01}} or {@code {seed_sd: 2}}. */
    private MarginPolicy margin(JsonNode v) {
        if (v.isNumber()) {
            return MarginPolicy.nats(positive(v, "analysis.margin", "an equivalence margin in nats, e.g. 0.05"));
        }
        if (v.isObject() && v.size() == 1 && (v.has("relative") || v.has("seed_sd"))) {
            boolean relative = v.has("relative");
            double x = positive(v.get(relative ? "relative" : "seed_sd"), "analysis.margin." + (relative ? "relative"
                    : "seed_sd"), relative ? "a fraction of the reference arm's best loss, e.g. 0.01"
                    : "a multiple of the pooled seed standard deviation, e.g. 2");
            return new MarginPolicy(relative ? MarginPolicy.Kind.RELATIVE : MarginPolicy.Kind.SEED_SD, x);
        }
        throw error("analysis.margin '" + SweepSpecException.shorten(v.toString()) + "' must be nats (0.05), "
                + "{relative: R} (R times the reference arm's best loss) or {seed_sd: K} (K pooled seed SDs)");
    }

    private double positive(JsonNode v, String where, String what) {
        if (!v.isNumber() || !(v.asDouble() > 0) || !Double.isFinite(v.asDouble())) {
            throw error(where + " '" + SweepSpecException.shorten(v.asText()) + "' must be a positive number: " + what);
        }
        return v.asDouble();
    }

    /** The most claims one spec may declare. */
    static final int MAX_CLAIMS = 200;

    private List<ClaimSpec> claims(JsonNode node, MarginPolicy policy) {
        List<ClaimSpec> out = new ArrayList<>();
        if (node.isMissingNode()) {
            return out;
        }
        if (!node.isArray()) {
            throw error("claims must be a list such as [{id: sgd-worse, type: worse, a: sgd, b: adamw, metric: best_loss}]");
        }
        if (node.size() > MAX_CLAIMS) {
            throw error("claims lists " + node.size() + " claims, more than the " + MAX_CLAIMS + " a spec may declare "
                    + "(each is judged on every view of the results): keep the ones the study sets out to show");
        }
        Set<String> ids = new HashSet<>();
        int i = 0;
        for (JsonNode c : node) {
            i++;
            String where = "claims[" + i + "]";
            if (!c.isObject()) {
                throw error(where + " must be a mapping with id, type, a, b and metric");
            }
            c.fieldNames().forEachRemaining(k -> {
                if (!CLAIM_KEYS.contains(k)) {
                    throw error("unknown key '" + where + "." + k + "'; valid keys: " + CLAIM_KEYS.stream().sorted().toList());
                }
            });
            String id = c.path("id").asText("");
            if (!SweepSpec.NAME.matcher(id).matches()) {
                throw error(where + ".id '" + SweepSpecException.shorten(id) + "' must be a letter or digit followed by at "
                        + "most 63 letters, digits, '.', '_' or '-'");
            }
            if (!ids.add(id)) {
                throw error("claim id '" + id + "' appears twice; give each claim its own id");
            }
            ClaimSpec.Type type = type(c.path("type").asText(""), id);
            Metric metric;
            try {
                metric = Metric.of(c.path("metric").asText("best_loss"));
            } catch (IllegalArgumentException e) {
                throw error("claim " + id + ": " + e.getMessage());
            }
            if ((type == ClaimSpec.Type.WIDER || type == ClaimSpec.Type.NARROWER) && !metric.isWidth()) {
                throw error("claim " + id + ": " + type.key() + " compares widths; set metric to one of "
                        + Metric.keys().stream().filter(k -> k.startsWith("width")).toList());
            }
            double margin = Double.NaN;
            if (type == ClaimSpec.Type.EQUIVALENT) {
                boolean lossUnits = metric == Metric.BEST_LOSS || metric == Metric.EXCESS || metric == Metric.EXCESS_FINITE;
                if (c.has("margin")) {
                    margin = positive(c.get("margin"), "claim " + id + " margin", "the equivalence margin");
                } else if (!lossUnits) {
                    throw error("claim " + id + ": equivalent on " + metric.key() + " needs its own margin in "
                            + (metric.isWidth() ? "the width's units (decades on a log axis)" : "runs") + ", e.g. "
                            + "margin: 0.25; the study's analysis.margin is in nats");
                } else if (policy.isNone()) {
                    throw error("claim " + id + ": equivalent needs a margin: set the study's analysis.margin (nats, "
                            + "{relative: R} or {seed_sd: K}) or this claim's margin, e.g. margin: 0.05");
                }
            } else if (c.has("margin")) {
                throw error("claim " + id + ": margin is for equivalent claims; remove it");
            }
            String optimizer = c.hasNonNull("optimizer") ? c.get("optimizer").asText() : null;
            if (optimizer != null && !swept.containsKey(optimizer)) {
                throw error("claim " + id + ": optimizer '" + SweepSpecException.shorten(optimizer) + "' is not in this "
                        + "sweep; choose from " + swept.keySet());
            }
            String axis = c.hasNonNull("axis") ? c.get("axis").asText() : null;
            Arm a = arm(c.get("a"), id + ".a", optimizer, axis);
            Arm b = arm(c.get("b"), id + ".b", optimizer, axis);
            if (a.equals(b)) {
                throw error("claim " + id + ": a and b are the same trials (" + a.label() + "); compare two different ones");
            }
            out.add(new ClaimSpec(id, type, a, b, metric, margin, text(c.get("a")), text(c.get("b"))));
        }
        return out;
    }

    /** An arm as people write it: {@code adamw}, {@code 0.9}, or {@code adamw beta1=0.9 tie_betas=false}. */
    private static String text(JsonNode n) {
        if (n.isValueNode() || !n.isObject()) {
            return n.isValueNode() ? n.asText() : n.toString();
        }
        List<String> parts = new ArrayList<>();
        if (n.hasNonNull("optimizer")) {
            parts.add(n.get("optimizer").asText());
        }
        n.fields().forEachRemaining(e -> {
            if (!e.getKey().equals("optimizer")) {
                parts.add(e.getKey() + "=" + (e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString()));
            }
        });
        return String.join(" ", parts);
    }

    private ClaimSpec.Type type(String text, String id) {
        for (ClaimSpec.Type t : ClaimSpec.Type.values()) {
            if (t.key().equals(text)) {
                return t;
            }
        }
        throw error("claim " + id + ": type '" + SweepSpecException.shorten(text) + "' must be one of "
                + java.util.Arrays.stream(ClaimSpec.Type.values()).map(ClaimSpec.Type::key).toList());
    }

    private Arm arm(JsonNode node, String where, String optimizer, String axis) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw error("claim " + where + " is missing: name an optimizer, a value of a swept setting, or "
                    + "{optimizer: NAME, KEY: VALUE}");
        }
        if (node.isObject()) {
            String opt = node.hasNonNull("optimizer") ? node.get("optimizer").asText() : defaultOptimizer(where, optimizer);
            if (!swept.containsKey(opt)) {
                throw error("claim " + where + ": optimizer '" + SweepSpecException.shorten(opt) + "' is not in this sweep; "
                        + "choose from " + swept.keySet());
            }
            Map<String, SweptValue> whereValues = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("optimizer")) {
                    whereValues.put(e.getKey(), checkValue(opt, e.getKey(), e.getValue().asText(), where));
                }
            });
            return arm(opt, whereValues);
        }
        String text = node.asText();
        if (swept.containsKey(text) && axis == null) {
            return arm(text, Map.of());
        }
        if (org.optbench.optim.GroupRules.names().contains(text) && axis == null) {
            throw error("claim " + where + ": optimizer '" + text + "' is not in this sweep; choose from " + swept.keySet());
        }
        String opt = defaultOptimizer(where, optimizer);
        String key = axis != null ? axis : keyHolding(opt, text, where);
        return arm(opt, Map.of(key, checkValue(opt, key, text, where)));
    }

    private String defaultOptimizer(String where, String optimizer) {
        if (optimizer != null) {
            return optimizer;
        }
        if (swept.size() == 1) {
            return swept.keySet().iterator().next();
        }
        throw error("claim " + where + ": names a value, not an optimizer of this sweep " + swept.keySet()
                + "; add optimizer: NAME to the claim to say whose trials");
    }

    private String keyHolding(String opt, String value, String where) {
        List<String> keys = new ArrayList<>();
        SweptValue typed = SweptValue.parse(value);
        swept.get(opt).forEach((k, grid) -> {
            if (grid != null && grid.contains(typed)) {
                keys.add(k);
            }
        });
        if (keys.size() == 1) {
            return keys.get(0);
        }
        if (keys.isEmpty()) {
            throw error("claim " + where + ": '" + SweepSpecException.shorten(value) + "' is neither an optimizer of this "
                    + "sweep " + swept.keySet() + " nor a value of a setting " + opt + " sweeps");
        }
        throw error("claim " + where + ": '" + value + "' is a value of " + keys + "; add axis: KEY to the claim");
    }

    private SweptValue checkValue(String opt, String key, String value, String where) {
        Map<String, List<SweptValue>> settings = swept.get(opt);
        if (!settings.containsKey(key)) {
            throw error("claim " + where + ": " + opt + " does not sweep '" + SweepSpecException.shorten(key) + "'; it sweeps "
                    + settings.keySet());
        }
        List<SweptValue> grid = settings.get(key);
        SweptValue typed = SweptValue.parse(value);
        if (grid != null && !grid.contains(typed)) {
            throw error("claim " + where + ": " + key + " " + SweepSpecException.shorten(value) + " is not in " + opt
                    + "'s grid " + grid);
        }
        return typed;
    }

    AdaptiveSpec adaptive(JsonNode root, SweepSpec.Method method) {
        JsonNode refine = root.path("refine");
        JsonNode extend = root.path("extend_edges");
        if (refine.isMissingNode() && extend.isMissingNode()) {
            return null;
        }
        int seeds = 0;
        int around = 0;
        if (!refine.isMissingNode()) {
            if (!refine.isObject() || !refine.has("seeds")) {
                throw error("refine must be a mapping such as {seeds: 3, around_best: 1}");
            }
            refine.fieldNames().forEachRemaining(k -> {
                if (!Set.of("seeds", "around_best").contains(k)) {
                    throw error("unknown key 'refine." + k + "'; valid keys: [around_best, seeds]");
                }
            });
            seeds = whole(refine.get("seeds"), "refine.seeds", 2, AdaptiveSpec.MAX_REFINE_SEEDS);
            around = refine.has("around_best") ? whole(refine.get("around_best"), "refine.around_best", 0,
                    AdaptiveSpec.MAX_AROUND_BEST) : 1;
        }
        boolean extendEdges = false;
        int max = AdaptiveSpec.DEFAULT_MAX_EXTEND;
        if (!extend.isMissingNode()) {
            if (extend.isBoolean()) {
                extendEdges = extend.asBoolean();
            } else if (extend.isObject() && extend.has("max_points") && extend.size() == 1) {
                extendEdges = true;
                max = whole(extend.get("max_points"), "extend_edges.max_points", 1, AdaptiveSpec.MAX_EXTEND);
            } else {
                throw error("extend_edges must be true, false or {max_points: N}");
            }
        }
        if (method != SweepSpec.Method.GRID) {
            throw error("refine and extend_edges work on a grid; use method: grid");
        }
        String axis = adaptiveAxis();
        for (Map.Entry<String, Map<String, List<SweptValue>>> e : swept.entrySet()) {
            List<SweptValue> grid = e.getValue().get(axis);
            if (extendEdges && (grid == null || grid.size() < 2 || grid.stream().anyMatch(v -> !v.isNumber()))) {
                throw error("extend_edges: " + e.getKey() + " needs at least two numbers in its " + axis + " grid, "
                        + "whose spacing the new points continue");
            }
        }
        return new AdaptiveSpec(axis, extendEdges, max, seeds, around);
    }

    /** The learning rate, or the one setting the sweep varies. */
    private String adaptiveAxis() {
        Set<String> varied = new java.util.LinkedHashSet<>();
        swept.values().forEach(m -> m.forEach((k, grid) -> {
            if (grid != null && grid.size() > 1) {
                varied.add(k);
            }
        }));
        if (varied.contains("lr")) {
            return "lr";
        }
        if (varied.size() == 1) {
            return varied.iterator().next();
        }
        throw error("refine and extend_edges act along the learning rate, which this sweep does not vary"
                + (varied.isEmpty() ? "" : " (it varies " + varied + ")") + "; sweep lr");
    }

    private int whole(JsonNode v, String where, int min, int max) {
        if (!v.isIntegralNumber() || v.asLong() < min || v.asLong() > max) {
            throw error(where + " '" + SweepSpecException.shorten(v.asText()) + "' must be a whole number in [" + min
                    + ", " + max + "]");
        }
        return v.asInt();
    }
}
